import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPki, mutate, startFixtureRegistry, syntheticScenario, NPM_PUBLISH_V01, SLSA_PROVENANCE_V1,
  type FixtureRegistry, type NpmAttestationOptions, type ScenarioPackage,
} from '../support/index.js';
import { createWorkspace, PUBLISHED, HOUR, type ReportJson, type Workspace } from '../support/attack-kit.js';
import { runCli } from '../support/run-cli.js';

// npm's own `npm audit signatures` cases (npm/cli test/lib/commands/audit.js, "audit signatures"),
// replayed through the REAL CLI against fixture registries on 127.0.0.1 with the test PKI: what
// each registry serves (keys, manifests with or without signatures, attestations that verify or
// not), the project's lockfile and .npmrc, and the gate's verdict, exit code and finding codes.
// Where npm says "verified" the gate passes; "missing" is SIGNATURE_MISSING; "invalid" is
// SIGNATURE_INVALID (or the attestation's own finding). Where the gate is deliberately stricter
// (or runs earlier, from the lockfile) the row says so and asserts the gate's behaviour.

const NOW = '2026-06-01T00:00:00Z';
const pki = createTestPki();

// One package as a registry serves it: signed by the test registry key unless `signed: false`,
// with provenance and publish attestations when `attested`.
function pkg(name: string, version: string, o: { signed?: boolean; attested?: boolean; attestation?: NpmAttestationOptions } = {}): ScenarioPackage {
  const built = syntheticScenario(pki, [{ name, version }], {
    provenanceShare: o.attested === true ? 1 : 0,
    sign: o.signed !== false,
    attestation: { time: PUBLISHED, ...o.attestation },
  });
  return { ...(built.packages[0] as ScenarioPackage), publishedAt: PUBLISHED };
}

// The same package with `sig: 'bogus'`, as npm's cases serve an invalid signature.
const bogus = (p: ScenarioPackage): ScenarioPackage => ({ ...p, signatures: [{ keyid: pki.registryKey.keyid, sig: 'bogus' }] });

// The packages of npm's cases.
const KMS = pkg('kms-demo', '1.0.0');
const ASYNC = pkg('async', '2.5.0');
const ASYNC_DEV = pkg('async', '1.1.1');
const NODE_FETCH = pkg('node-fetch', '1.6.0');
const NODE_FETCH_ALIASED = pkg('node-fetch', '1.7.1');
const LIGHT_CYCLE = pkg('light-cycle', '1.4.2');
const ARBORIST = pkg('@npmcli/arborist', '1.0.14');
const SIGSTORE = pkg('sigstore', '1.0.0', { attested: true });
const TUF_JS = pkg('tuf-js', '1.0.0', { attested: true });
const ARBORIST_ATTESTED = pkg('@npmcli/arborist', '1.0.15', { attested: true });
// Unsigned, with keyless provenance only: the publish attestation needs the registry's key.
const SIGSTORE_KEYLESS = pkg('sigstore', '1.0.1', { signed: false, attested: true, attestation: { publish: false } });
const unsigned = (p: ScenarioPackage): ScenarioPackage => ({ ...p, signatures: [] });
const withAttestations = (p: ScenarioPackage, doc: ScenarioPackage['attestations']): ScenarioPackage => ({ ...p, attestations: doc });
// An attestation whose signature does not verify (npm's cases make sigstore's verify throw).
const badBundle = (p: ScenarioPackage, predicateType: string): ScenarioPackage =>
  withAttestations(p, mutate.mapBundle(p.attestations ?? { attestations: [] }, predicateType, (b) => mutate.replaceSignature(b)));

// What one fixture registry serves. `keys: null` makes /-/npm/v1/keys 404; `keysStatus` answers it
// with that HTTP status instead.
interface Served {
  packages: ScenarioPackage[];
  keys?: null;
  keysStatus?: number;
  pathPrefix?: string;
}

// A lockfile `packages` entry (beyond the root) and where it is installed.
type Entries = Record<string, Record<string, unknown>>;

// The project's lockfile entries, package.json fields, files, and .npmrc (given the registries' URLs).
interface Project {
  entries: Entries;
  root?: Record<string, unknown>;
  files?: Record<string, string>;
  npmrc?: (urls: string[]) => string;
}

interface Case {
  // npm's test name(s) it replays.
  npm: string[];
  title: string;
  serve: Served[];
  project: Project;
  // --registry-keys with the test PKI's keys (npm's TUF copy, for registry.npmjs.org): default;
  // `endpoint` lets each registry's own /-/npm/v1/keys speak; an object is written and passed.
  registryKeys?: 'endpoint' | object;
  // A policy (given the registries' hosts), else the default policy.
  policy?: (hosts: string[]) => object;
  args?: string[];
  expected: {
    exit: number;
    verdict: 'pass' | 'fail' | 'incomplete';
    // Every package of the report (`name@version`) and its finding codes, in report order.
    findings: Record<string, string[]>;
    signatures?: Record<string, string>;
    attestations?: Record<string, string[]>;
    // What the registries were (or were not) asked for, by decoded path.
    requested?: (registries: FixtureRegistry[]) => void;
  };
}

// The paths a registry was asked for.
const paths = (registry: FixtureRegistry | undefined): string[] => (registry?.requests ?? []).map((r) => r.path);

// Lockfile entries installing these packages at the top of node_modules.
function installed(packages: ScenarioPackage[], extra: Record<string, unknown> = {}): Entries {
  return Object.fromEntries(packages.map((p) => [`node_modules/${p.name}`, { version: p.version, integrity: p.integrity, ...extra }]));
}

const spec = (p: ScenarioPackage): string => `${p.name}@${p.version}`;
const clean = (...packages: ScenarioPackage[]): Record<string, string[]> => Object.fromEntries(packages.map((p) => [spec(p), []]));

const CASES: Case[] = [
  {
    npm: ['with valid signatures', 'json output with valid signatures'],
    title: 'a package whose registry signature verifies passes',
    serve: [{ packages: [KMS] }],
    project: { entries: installed([KMS]) },
    expected: { exit: 0, verdict: 'pass', findings: clean(KMS), signatures: { [spec(KMS)]: 'verified' } },
  },
  {
    npm: ['with min-release-age set verifies installed versions'],
    // npm verifies the installed version whatever its age; the gate verifies it too, and then its
    // default policy applies npm's cooldown to it (a version under 99,999 days old is too new).
    title: 'min-release-age in .npmrc does not stop the pinned version being checked: verified, then judged by the cooldown',
    serve: [{ packages: [KMS] }],
    project: { entries: installed([KMS]), npmrc: ([url]) => `registry=${url}/\nmin-release-age=99999\n` },
    expected: { exit: 1, verdict: 'fail', findings: { [spec(KMS)]: ['RELEASE_TOO_NEW'] }, signatures: { [spec(KMS)]: 'verified' } },
  },
  {
    npm: ['with valid signatures using alias'],
    title: 'a package installed under an npm: alias is checked under its real name',
    serve: [{ packages: [NODE_FETCH_ALIASED] }],
    project: {
      root: { dependencies: { get: 'npm:node-fetch@^1.0.0' } },
      entries: { 'node_modules/get': { name: 'node-fetch', version: '1.7.1', integrity: NODE_FETCH_ALIASED.integrity } },
    },
    expected: {
      exit: 0,
      verdict: 'pass',
      findings: clean(NODE_FETCH_ALIASED),
      signatures: { [spec(NODE_FETCH_ALIASED)]: 'verified' },
      requested: ([registry]) => {
        expect(paths(registry)).toContain('/node-fetch');
        expect(paths(registry).some((p) => p.startsWith('/get'))).toBe(false);
      },
    },
  },
  {
    npm: ['with key fallback to legacy API'],
    title: 'without a keys file, the registry\'s own /-/npm/v1/keys is used',
    serve: [{ packages: [KMS] }],
    project: { entries: installed([KMS]) },
    registryKeys: 'endpoint',
    expected: {
      exit: 0,
      verdict: 'pass',
      findings: clean(KMS),
      signatures: { [spec(KMS)]: 'verified' },
      requested: ([registry]) => expect(paths(registry)).toContain('/-/npm/v1/keys'),
    },
  },
  {
    npm: ['with multiple valid signatures and one invalid'],
    title: 'one bad signature among good ones fails that package only',
    serve: [{ packages: [KMS, ASYNC, bogus(NODE_FETCH)] }],
    project: { entries: { ...installed([KMS, NODE_FETCH]), ...installed([ASYNC], { dev: true }) } },
    expected: {
      exit: 1,
      verdict: 'fail',
      findings: { ...clean(KMS, ASYNC), [spec(NODE_FETCH)]: ['SIGNATURE_INVALID'] },
      signatures: { [spec(KMS)]: 'verified', [spec(ASYNC)]: 'verified', [spec(NODE_FETCH)]: 'failed' },
    },
  },
  {
    npm: ['with bundled and peer deps and no signatures'],
    title: 'a peer dependency is checked like any other',
    serve: [{ packages: [KMS] }],
    project: { root: { peerDependencies: { 'kms-demo': '^1.0.0' } }, entries: installed([KMS], { peer: true }) },
    expected: { exit: 0, verdict: 'pass', findings: clean(KMS), signatures: { [spec(KMS)]: 'verified' } },
  },
  {
    npm: ['with bundled and peer deps and no signatures'],
    title: 'a package bundled inside another\'s tarball is covered by that tarball, not fetched on its own',
    serve: [{ packages: [KMS] }],
    project: {
      entries: {
        'node_modules/kms-demo': { version: '1.0.0', integrity: KMS.integrity, bundleDependencies: ['inner'], dependencies: { inner: '^3.0.0' } },
        'node_modules/kms-demo/node_modules/inner': { version: '3.0.0', inBundle: true },
      },
    },
    expected: {
      exit: 0,
      verdict: 'pass',
      findings: { ...clean(KMS), 'inner@3.0.0': [] },
      signatures: { [spec(KMS)]: 'verified' },
      requested: ([registry]) => expect(paths(registry).filter((p) => p.includes('inner'))).toEqual([]),
    },
  },
  {
    npm: ['with invalid signatures', 'json output with invalid signatures', 'with invalid signatures and color output enabled'],
    title: 'a registry signature that does not verify fails',
    serve: [{ packages: [bogus(KMS)] }],
    project: { entries: installed([KMS]) },
    expected: { exit: 1, verdict: 'fail', findings: { [spec(KMS)]: ['SIGNATURE_INVALID'] }, signatures: { [spec(KMS)]: 'failed' } },
  },
  {
    npm: ['with keys but missing signature', 'output details about missing signatures'],
    title: 'an unsigned package from a registry that publishes keys fails',
    serve: [{ packages: [unsigned(KMS)] }],
    project: { entries: installed([KMS]) },
    expected: { exit: 1, verdict: 'fail', findings: { [spec(KMS)]: ['SIGNATURE_MISSING'] }, signatures: { [spec(KMS)]: 'missing' } },
  },
  {
    npm: ['with valid and missing signatures'],
    title: 'a signed and an unsigned package: the unsigned one fails',
    serve: [{ packages: [KMS, unsigned(ASYNC_DEV)] }],
    project: { entries: { ...installed([KMS]), ...installed([ASYNC_DEV], { dev: true }) } },
    expected: { exit: 1, verdict: 'fail', findings: { ...clean(KMS), [spec(ASYNC_DEV)]: ['SIGNATURE_MISSING'] } },
  },
  {
    npm: ['with both invalid and missing signatures', 'json output with invalid and missing signatures'],
    title: 'a bad signature and a missing one are each reported',
    serve: [{ packages: [bogus(KMS), unsigned(ASYNC_DEV)] }],
    project: { entries: { ...installed([KMS]), ...installed([ASYNC_DEV], { dev: true }) } },
    expected: { exit: 1, verdict: 'fail', findings: { [spec(KMS)]: ['SIGNATURE_INVALID'], [spec(ASYNC_DEV)]: ['SIGNATURE_MISSING'] } },
  },
  {
    npm: ['with multiple invalid signatures'],
    title: 'several bad signatures are each reported',
    serve: [{ packages: [bogus(KMS), bogus(ASYNC_DEV)] }],
    project: { entries: { ...installed([KMS]), ...installed([ASYNC_DEV], { dev: true }) } },
    expected: { exit: 1, verdict: 'fail', findings: { [spec(KMS)]: ['SIGNATURE_INVALID'], [spec(ASYNC_DEV)]: ['SIGNATURE_INVALID'] } },
  },
  {
    npm: ['with multiple missing signatures'],
    title: 'several unsigned packages are each reported',
    serve: [{ packages: [unsigned(KMS), unsigned(ASYNC_DEV)] }],
    project: { entries: { ...installed([KMS]), ...installed([ASYNC_DEV], { dev: true }) } },
    expected: { exit: 1, verdict: 'fail', findings: { [spec(KMS)]: ['SIGNATURE_MISSING'], [spec(ASYNC_DEV)]: ['SIGNATURE_MISSING'] } },
  },
  {
    npm: ['with signatures but no public keys'],
    // npm stops with "no corresponding public key can be found"; the gate fails the package by
    // the same fact (UNKNOWN_KEY) and, the registry publishing no keys, adds that nothing about it
    // verified (NO_EVIDENCE).
    title: 'a signed package from a registry that publishes no keys fails: the signer is unknown',
    serve: [{ packages: [KMS], keys: null }],
    project: { entries: installed([KMS]) },
    registryKeys: 'endpoint',
    expected: { exit: 1, verdict: 'fail', findings: { [spec(KMS)]: ['UNKNOWN_KEY', 'NO_EVIDENCE'] }, signatures: { [spec(KMS)]: 'failed' } },
  },
  {
    npm: ['with signatures but the public keys are expired'],
    title: 'a signature by a key that had ended before the package was published fails',
    serve: [{ packages: [KMS] }],
    project: { entries: installed([KMS]) },
    registryKeys: mutate.expireKey(pki.tufKeys(), pki.registryKey.keyid, new Date(PUBLISHED.getTime() - 24 * HOUR)),
    expected: { exit: 1, verdict: 'fail', findings: { [spec(KMS)]: ['KEY_EXPIRED'] }, signatures: { [spec(KMS)]: 'failed' } },
  },
  {
    npm: ['with signatures but the public keyid does not match'],
    title: 'a signature by a keyid the registry keys do not list fails',
    serve: [{ packages: [KMS] }],
    project: { entries: installed([KMS]) },
    registryKeys: { keys: pki.tufKeys().keys.map((k) => ({ ...k, keyId: `${k.keyId}-other` })) },
    expected: { exit: 1, verdict: 'fail', findings: { [spec(KMS)]: ['UNKNOWN_KEY'] }, signatures: { [spec(KMS)]: 'failed' } },
  },
  {
    npm: ['omit dev dependencies with missing signature'],
    title: '--omit dev leaves an unsigned dev dependency out',
    serve: [{ packages: [KMS, unsigned(ASYNC_DEV)] }],
    project: { entries: { ...installed([KMS]), ...installed([ASYNC_DEV], { dev: true }) } },
    args: ['--omit', 'dev'],
    expected: { exit: 0, verdict: 'pass', findings: clean(KMS) },
  },
  {
    npm: ['ignores optional dependencies'],
    title: 'an optional dependency that is not installed is not checked',
    serve: [{ packages: [KMS] }],
    project: { root: { dependencies: { 'kms-demo': '^1.0.0' }, optionalDependencies: { lorem: '^1.0.0' } }, entries: installed([KMS]) },
    expected: { exit: 0, verdict: 'pass', findings: clean(KMS) },
  },
  {
    npm: ['errors when no installed dependencies'],
    // npm audits what is installed and finds nothing; the gate runs before install, from the
    // lockfile, so the package the lockfile pins is checked (no node_modules is ever written here).
    title: 'a project that is not installed yet is checked from its lockfile',
    serve: [{ packages: [KMS] }],
    project: { entries: installed([KMS]) },
    expected: { exit: 0, verdict: 'pass', findings: clean(KMS), signatures: { [spec(KMS)]: 'verified' } },
  },
  {
    npm: ['should skip git specs'],
    // npm finds nothing from a registry to audit and stops; the gate reports the git dependency
    // as unverifiable under the default policy's `sources.git: "warn"` (audit: it does not block;
    // a policy with "deny" makes it fail) and fetches nothing for it.
    title: 'a git dependency is reported as unverifiable, not fetched from a registry',
    serve: [{ packages: [] }],
    project: {
      root: { dependencies: { cat: 'github:username/foo' } },
      entries: { 'node_modules/cat': { version: '1.0.0', resolved: 'git+ssh://git@github.com/username/foo.git#0123456789abcdef0123456789abcdef01234567' } },
    },
    expected: {
      exit: 0,
      verdict: 'pass',
      findings: { 'cat@1.0.0': ['SOURCE_UNVERIFIABLE'] },
      requested: ([registry]) => expect(paths(registry).filter((p) => p.includes('cat'))).toEqual([]),
    },
  },
  {
    npm: ['third-party registry without keys (E404) does not verify'],
    // npm stops: nothing came from a registry it can verify. The gate fails the package instead
    // of passing it unverified: nothing about it verified (NO_EVIDENCE).
    title: 'a third-party registry that publishes no keys: its unsigned package fails',
    serve: [{ packages: [unsigned(ARBORIST)], keys: null }],
    project: { entries: installed([ARBORIST]) },
    registryKeys: 'endpoint',
    expected: { exit: 1, verdict: 'fail', findings: { [spec(ARBORIST)]: ['NO_EVIDENCE'] }, signatures: { [spec(ARBORIST)]: 'missing' } },
  },
  {
    npm: ['third-party registry without keys (E400) does not verify'],
    // A 400 from the keys endpoint means "no keys", as npm reads it; the gate then fails the
    // unsigned package, as for a 404 (NO_EVIDENCE), instead of skipping it.
    title: 'a third-party registry whose keys endpoint answers 400 publishes no keys: its unsigned package fails',
    serve: [{ packages: [unsigned(ARBORIST)], keysStatus: 400 }],
    project: { entries: installed([ARBORIST]) },
    registryKeys: 'endpoint',
    expected: { exit: 1, verdict: 'fail', findings: { [spec(ARBORIST)]: ['NO_EVIDENCE'] }, signatures: { [spec(ARBORIST)]: 'missing' } },
  },
  {
    npm: ['errors when the keys endpoint errors'],
    title: 'a keys endpoint that answers 500 fails closed: the run is incomplete',
    serve: [{ packages: [KMS, ASYNC_DEV], keysStatus: 500 }],
    project: { entries: { ...installed([KMS]), ...installed([ASYNC_DEV], { dev: true }) } },
    registryKeys: 'endpoint',
    args: ['--retries', '0'],
    expected: { exit: 3, verdict: 'incomplete', findings: { [spec(KMS)]: ['FETCH_FAILED'], [spec(ASYNC_DEV)]: ['FETCH_FAILED'] } },
  },
  {
    npm: ['third-party registry with keys and signatures'],
    title: 'a third-party registry with keys: its signed package passes',
    serve: [{ packages: [ARBORIST] }],
    project: { entries: installed([ARBORIST]) },
    registryKeys: 'endpoint',
    expected: { exit: 0, verdict: 'pass', findings: clean(ARBORIST), signatures: { [spec(ARBORIST)]: 'verified' } },
  },
  {
    npm: ['third-party registry with invalid signatures errors'],
    title: 'a third-party registry with keys: a bad signature fails',
    serve: [{ packages: [bogus(ARBORIST)] }],
    project: { entries: installed([ARBORIST]) },
    registryKeys: 'endpoint',
    expected: { exit: 1, verdict: 'fail', findings: { [spec(ARBORIST)]: ['SIGNATURE_INVALID'] } },
  },
  {
    npm: ['third-party registry with keys and missing signatures errors'],
    title: 'a third-party registry with keys: an unsigned package fails',
    serve: [{ packages: [unsigned(ARBORIST)] }],
    project: { entries: installed([ARBORIST]) },
    registryKeys: 'endpoint',
    expected: { exit: 1, verdict: 'fail', findings: { [spec(ARBORIST)]: ['SIGNATURE_MISSING'] } },
  },
  {
    npm: ['third-party registry with sub-path'],
    title: 'a registry under a sub-path (/npm): keys and manifests are fetched there',
    serve: [{ packages: [ARBORIST], pathPrefix: '/npm' }],
    project: { entries: installed([ARBORIST]), npmrc: ([url]) => `registry=${url}\n` },
    registryKeys: 'endpoint',
    expected: {
      exit: 0,
      verdict: 'pass',
      findings: clean(ARBORIST),
      signatures: { [spec(ARBORIST)]: 'verified' },
      requested: ([registry]) => expect(registry?.requests.filter((r) => r.status === 404)).toEqual([]),
    },
  },
  {
    npm: ['third-party registry with sub-path (trailing slash)'],
    title: 'a registry under a sub-path written with a trailing slash (/npm/)',
    serve: [{ packages: [ARBORIST], pathPrefix: '/npm' }],
    project: { entries: installed([ARBORIST]), npmrc: ([url]) => `registry=${url}/\n` },
    registryKeys: 'endpoint',
    expected: {
      exit: 0,
      verdict: 'pass',
      findings: clean(ARBORIST),
      signatures: { [spec(ARBORIST)]: 'verified' },
      requested: ([registry]) => expect(registry?.requests.filter((r) => r.status === 404)).toEqual([]),
    },
  },
  {
    npm: ['third-party registry with sub-path'],
    // Not one of npm's cases (they serve no attestations there): the attestations URL a registry
    // under a sub-path advertises already holds that sub-path.
    title: 'a registry under a sub-path serving provenance: the attestations are fetched there',
    serve: [{ packages: [ARBORIST_ATTESTED], pathPrefix: '/npm' }],
    project: { entries: installed([ARBORIST_ATTESTED]), npmrc: ([url]) => `registry=${url}/\n` },
    registryKeys: 'endpoint',
    expected: {
      exit: 0,
      verdict: 'pass',
      findings: clean(ARBORIST_ATTESTED),
      attestations: { [spec(ARBORIST_ATTESTED)]: ['verified', 'verified'] },
      requested: ([registry]) => {
        expect(paths(registry)).toContain(`/-/npm/v1/attestations/${spec(ARBORIST_ATTESTED)}`);
        expect(registry?.requests.filter((r) => r.status === 404)).toEqual([]);
      },
    },
  },
  {
    npm: ['multiple registries with keys and signatures'],
    title: 'a scope on its own registry beside the default one, both with keys: both packages pass',
    serve: [{ packages: [KMS] }, { packages: [ARBORIST] }],
    project: { entries: installed([KMS, ARBORIST]), npmrc: ([main, scoped]) => `registry=${main}/\n@npmcli:registry=${scoped}/\n` },
    registryKeys: 'endpoint',
    expected: { exit: 0, verdict: 'pass', findings: clean(KMS, ARBORIST), signatures: { [spec(KMS)]: 'verified', [spec(ARBORIST)]: 'verified' } },
  },
  {
    npm: ['mixed registries report signature checks skipped without keys', 'mixed registries report signature checks skipped without keys (json)'],
    // Stricter than npm, which skips the keyless registry's package and exits 0: the gate fails it
    // (NO_EVIDENCE) unless the policy accepts that registry unsigned (the next row).
    title: 'a scope on a registry without keys beside a keyed one: its unverified package fails',
    serve: [{ packages: [KMS] }, { packages: [unsigned(ARBORIST)], keys: null }],
    project: { entries: installed([KMS, ARBORIST]), npmrc: ([main, scoped]) => `registry=${main}/\n@npmcli:registry=${scoped}/\n` },
    registryKeys: 'endpoint',
    expected: { exit: 1, verdict: 'fail', findings: { ...clean(KMS), [spec(ARBORIST)]: ['NO_EVIDENCE'] } },
  },
  {
    npm: ['mixed registries report signature checks skipped without keys'],
    title: 'a scope on a registry without keys that the policy accepts unsigned: passes, recorded as unverified',
    serve: [{ packages: [KMS] }, { packages: [unsigned(ARBORIST)], keys: null }],
    project: { entries: installed([KMS, ARBORIST]), npmrc: ([main, scoped]) => `registry=${main}/\n@npmcli:registry=${scoped}/\n` },
    registryKeys: 'endpoint',
    policy: ([, keyless]) => ({ version: 1, enforcement: 'strict', downgrade: 'fail', registries: { unsigned: [keyless] }, rules: [{ name: 'every package', match: { package: '*' } }] }),
    expected: { exit: 0, verdict: 'pass', findings: { ...clean(KMS), [spec(ARBORIST)]: ['NO_EVIDENCE'] } },
  },
  {
    npm: ['with valid attestations', 'with valid attestations --json --include-attestations', 'with valid attestations and --include-attestations (human-readable)'],
    title: 'a package whose provenance and publish attestations verify passes',
    serve: [{ packages: [SIGSTORE] }],
    project: { entries: installed([SIGSTORE]) },
    expected: { exit: 0, verdict: 'pass', findings: clean(SIGSTORE), signatures: { [spec(SIGSTORE)]: 'verified' }, attestations: { [spec(SIGSTORE)]: ['verified', 'verified'] } },
  },
  {
    npm: ['with multiple valid attestations'],
    title: 'two packages whose attestations verify pass',
    serve: [{ packages: [SIGSTORE, TUF_JS] }],
    project: { entries: installed([SIGSTORE, TUF_JS]) },
    expected: {
      exit: 0,
      verdict: 'pass',
      findings: clean(SIGSTORE, TUF_JS),
      attestations: { [spec(SIGSTORE)]: ['verified', 'verified'], [spec(TUF_JS)]: ['verified', 'verified'] },
    },
  },
  {
    npm: ['with keyless attestations and no registry keys'],
    title: 'an unsigned package with verified provenance from a registry that publishes no keys passes',
    serve: [{ packages: [SIGSTORE_KEYLESS], keys: null }],
    project: { entries: installed([SIGSTORE_KEYLESS]) },
    registryKeys: 'endpoint',
    expected: {
      exit: 0,
      verdict: 'pass',
      findings: clean(SIGSTORE_KEYLESS),
      signatures: { [spec(SIGSTORE_KEYLESS)]: 'missing' },
      attestations: { [spec(SIGSTORE_KEYLESS)]: ['verified'] },
    },
  },
  {
    npm: ['with invalid attestations', 'json output with invalid attestations'],
    title: 'a provenance attestation whose signature does not verify fails',
    serve: [{ packages: [badBundle(SIGSTORE, SLSA_PROVENANCE_V1)] }],
    project: { entries: installed([SIGSTORE]) },
    expected: { exit: 1, verdict: 'fail', findings: { [spec(SIGSTORE)]: ['SIGNATURE_INVALID'] }, attestations: { [spec(SIGSTORE)]: ['failed', 'verified'] } },
  },
  {
    npm: ['with multiple invalid attestations'],
    title: 'two packages whose attestations do not verify each fail',
    serve: [{ packages: [badBundle(SIGSTORE, SLSA_PROVENANCE_V1), badBundle(TUF_JS, SLSA_PROVENANCE_V1)] }],
    project: { entries: installed([SIGSTORE, TUF_JS]) },
    expected: { exit: 1, verdict: 'fail', findings: { [spec(SIGSTORE)]: ['SIGNATURE_INVALID'], [spec(TUF_JS)]: ['SIGNATURE_INVALID'] } },
  },
  {
    npm: ['with invalid attestations', 'with signatures but the public keys are expired'],
    // The publish attestation carries the signed publish time a key with an end date is judged
    // at. When it fails, its own finding fails the package; the key is left unjudged (the signature
    // is not verified) without a second, misleading PUBLISH_TIME_UNKNOWN.
    title: 'a publish attestation that does not verify, with a registry key that has an end date: fails by the attestation alone',
    serve: [{ packages: [badBundle(SIGSTORE, NPM_PUBLISH_V01)] }],
    project: { entries: installed([SIGSTORE]) },
    registryKeys: mutate.expireKey(pki.tufKeys(), pki.registryKey.keyid, new Date('2030-01-01T00:00:00Z')),
    expected: {
      exit: 1,
      verdict: 'fail',
      findings: { [spec(SIGSTORE)]: ['SIGNATURE_INVALID'] },
      signatures: { [spec(SIGSTORE)]: 'failed' },
      attestations: { [spec(SIGSTORE)]: ['verified', 'failed'] },
    },
  },
  {
    npm: ['workspaces: verifies registry deps and ignores local workspace deps'],
    title: 'workspace packages are the project\'s own code: only their registry dependencies are fetched',
    serve: [{ packages: [KMS, ASYNC, LIGHT_CYCLE] }],
    project: {
      root: { workspaces: ['packages/*'], dependencies: { 'kms-demo': '^1.0.0' } },
      entries: {
        'node_modules/a': { resolved: 'packages/a', link: true },
        'node_modules/b': { resolved: 'packages/b', link: true },
        'node_modules/c': { resolved: 'packages/c', link: true },
        'packages/a': { name: 'a', version: '1.0.0', dependencies: { b: '^1.0.0', async: '^2.0.0' } },
        'packages/b': { name: 'b', version: '1.0.0', dependencies: { 'light-cycle': '^1.0.0' } },
        'packages/c': { name: 'c', version: '1.0.0' },
        ...installed([KMS, ASYNC, LIGHT_CYCLE]),
      },
      files: {
        'packages/a/package.json': JSON.stringify({ name: 'a', version: '1.0.0', dependencies: { b: '^1.0.0', async: '^2.0.0' } }),
        'packages/b/package.json': JSON.stringify({ name: 'b', version: '1.0.0', dependencies: { 'light-cycle': '^1.0.0' } }),
        'packages/c/package.json': JSON.stringify({ name: 'c', version: '1.0.0' }),
      },
    },
    expected: {
      exit: 0,
      verdict: 'pass',
      findings: { ...clean(KMS, ASYNC, LIGHT_CYCLE), 'a@1.0.0': [], 'b@1.0.0': [], 'c@1.0.0': [] },
      requested: ([registry]) => expect(paths(registry).filter((p) => /^\/[abc](\/|$)/.test(p))).toEqual([]),
    },
  },
];

// Only the project's .npmrc speaks: no user or global config, no registry from the environment.
function isolatedEnv(dir: string): NodeJS.ProcessEnv {
  return { npm_config_userconfig: join(dir, 'no-user-npmrc'), npm_config_globalconfig: join(dir, 'no-global-npmrc'), npm_config_registry: undefined, NPM_CONFIG_REGISTRY: undefined };
}

// Writes package.json, package-lock.json (v3), the .npmrc and any other files of the project.
async function writeProject(dir: string, project: Project, urls: string[]): Promise<void> {
  const top = Object.entries(project.entries).filter(([location]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(location) && !project.entries[location]?.link);
  const dependencyFields = (flag: string) =>
    Object.fromEntries(top.filter(([, e]) => e[flag] === true).map(([location, e]) => [location.slice('node_modules/'.length), String(e.version)]));
  const root = {
    name: 'npm-case-app',
    version: '1.0.0',
    dependencies: Object.fromEntries(top.filter(([, e]) => e.dev !== true && e.peer !== true).map(([location, e]) => [location.slice('node_modules/'.length), String(e.version)])),
    devDependencies: dependencyFields('dev'),
    ...project.root,
  };
  const lockfile = { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: { '': root, ...project.entries } };
  const files: Record<string, string> = {
    'package.json': JSON.stringify(root, null, 2),
    'package-lock.json': JSON.stringify(lockfile, null, 2),
    '.npmrc': project.npmrc ? project.npmrc(urls) : `registry=${urls[0] ?? 'http://127.0.0.1:9'}/\n`,
    ...project.files,
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

describe('npm audit signatures cases, replayed through the gate', () => {
  let ws: Workspace;
  let trustedRoot: string;

  beforeAll(async () => {
    ws = await createWorkspace();
    trustedRoot = await pki.writeTrustedRoot(join(ws.dir, 'trusted_root.json'));
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it.each(CASES.map((c, index) => [c.title, c, index] as const))('%s', async (_title, c, index) => {
    const registries: FixtureRegistry[] = [];
    try {
      for (const served of c.serve) {
        const registry = await startFixtureRegistry({ packages: served.packages, keys: served.keys === null ? null : pki.npmKeys() }, served.pathPrefix === undefined ? {} : { pathPrefix: served.pathPrefix });
        if (served.keysStatus !== undefined) registry.addFault('/-/npm/v1/keys', { status: served.keysStatus });
        registries.push(registry);
      }
      const dir = join(ws.dir, `case-${index}`);
      const project = join(dir, 'project');
      await writeProject(project, c.project, registries.map((r) => r.url));
      const args = ['check', project, '--trusted-root', trustedRoot, '--cache', join(dir, 'cache'), '--report', join(dir, 'report.json'), '--sri', join(dir, 'sri.json'), '--now', NOW, '--json'];
      if (c.registryKeys !== 'endpoint') args.push('--registry-keys', await ws.writeJson(`case-${index}-keys.json`, c.registryKeys ?? pki.tufKeys()));
      if (c.policy !== undefined) args.push('--policy', await ws.writeJson(`case-${index}-policy.json`, c.policy(registries.map((r) => new URL(r.url).host))));
      args.push(...(c.args ?? []));

      const run = await runCli(args, { env: isolatedEnv(dir) });
      let report: ReportJson;
      try {
        report = JSON.parse(run.stdout) as ReportJson;
      } catch {
        throw new Error(`no JSON report (exit ${run.code}); stderr:\n${run.stderr}`);
      }
      const bySpec = new Map(report.packages.map((p) => [`${p.name}@${p.version}`, p]));
      const messages = report.packages.flatMap((p) => p.findings.map((f) => f.message)).join('\n');
      expect(Object.fromEntries([...bySpec].map(([s, p]) => [s, p.findings.map((f) => f.code)])), messages).toEqual(c.expected.findings);
      expect(report.verdict).toBe(c.expected.verdict);
      expect(run.code).toBe(c.expected.exit);
      for (const [s, status] of Object.entries(c.expected.signatures ?? {})) expect(bySpec.get(s)?.evidence?.registrySignature.status, s).toBe(status);
      for (const [s, statuses] of Object.entries(c.expected.attestations ?? {})) expect(bySpec.get(s)?.evidence?.attestations.map((a) => a.status), s).toEqual(statuses);
      c.expected.requested?.(registries);
    } finally {
      await Promise.all(registries.map((r) => r.close()));
    }
  });
});
