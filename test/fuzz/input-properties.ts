// The fuzz properties of the tool's other inputs: version manifests, policies and lockfiles
// (arbitrary and mutated real ones) end in a result or a documented typed error, never a crash.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { VerifyDepsError } from '../../src/errors.js';
import { PolicyError } from '../../src/policy/errors.js';
import { parsePolicy } from '../../src/policy/load.js';
import { FetchError } from '../../src/registry/fetch-error.js';
import { toVersionManifest } from '../../src/registry/manifest.js';
import { assertLockfileShape, walkTree } from '../../src/walk/index.js';
import { NPMJS_REGISTRY, npmjsTarballUrl } from '../support/public-urls.js';
import { PropertyViolation, checkProperty, expectTypedError, outsideTheClock, type FuzzProperty } from './harness.js';
import { applyMutation, mutationArbitrary, type Json, type JsonMutation, type Path } from './json-mutation.js';

// (c) Version manifests.

const REAL_MANIFEST: Json = {
  name: 'sigstore',
  version: '2.3.1',
  repository: { type: 'git', url: 'git+https://github.com/sigstore/sigstore-js.git' },
  dist: {
    integrity: 'sha512-8G+/XDU8wNsJOQS5ysDVO0Etg9/2uA5gR9l4ZwijjlwxBcrU6RPfwi2+jJmbP+Ap1Hlp/nVAaEO4Fj22/SL2gQ==',
    shasum: 'c5f0a2c9c3a2b6b3e5f1b1b8b0b8a0e3f4b8c1d2',
    tarball: npmjsTarballUrl('sigstore', '2.3.1'),
    signatures: [{ keyid: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA', sig: 'MEUCIQDrP3LkT2W1k0Y4mCn+Bd4=' }],
    attestations: { url: `${NPMJS_REGISTRY}/-/npm/v1/attestations/sigstore@2.3.1`, provenance: { predicateType: 'https://slsa.dev/provenance/v1' } },
  },
};

function checkManifest(body: unknown): string {
  try {
    const manifest = toVersionManifest(body, 'sigstore', '2.3.1', `${NPMJS_REGISTRY}/sigstore/2.3.1`);
    for (const [key, path] of [['attestationsPath', manifest.attestationsPath], ['tarballPath', manifest.tarballPath]] as const) {
      // Only a path: the (unsigned) packument must not choose the host we connect to.
      if (path !== undefined && (!path.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(path))) throw new PropertyViolation(`${key} ${JSON.stringify(path)} is not a path`);
    }
    if (manifest.integrity !== undefined && typeof manifest.integrity !== 'string') throw new PropertyViolation('integrity is not a string');
    if (manifest.signatures?.some((s) => typeof s.keyid !== 'string' || typeof s.sig !== 'string')) throw new PropertyViolation('a signature is not {keyid, sig} strings');
    if (manifest.attestationsAdvertised !== (manifest.attestationsPath !== undefined)) throw new PropertyViolation('attestationsAdvertised disagrees with attestationsPath');
    return 'accepted';
  } catch (error) {
    return expectTypedError(error, (e) => (e instanceof FetchError && e.kind === 'malformed' ? 'FetchError malformed' : undefined));
  }
}

export const manifests: FuzzProperty = {
  name: 'manifests: arbitrary and mutated',
  weight: 2,
  run: (numRuns, seed) =>
    checkProperty(
      'manifests: arbitrary and mutated',
      fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => ({ arbitrary: v as Json })), fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }).map((mutations) => ({ mutations }))),
      numRuns,
      seed,
      (input) => {
        if ('arbitrary' in input) return checkManifest(input.arbitrary);
        let doc: Json = structuredClone(REAL_MANIFEST);
        const interesting = (path: Path) => path.includes('dist') || path.includes('name') || path.includes('version');
        for (const m of input.mutations) doc = applyMutation(doc, m, interesting, []);
        return checkManifest(doc);
      },
    ),
};

// ---------------------------------------------------------------------------------------------
// (b) Policies.

const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));
let realPolicies: { file: string; doc: Json; text: string }[] | undefined;

function getRealPolicies() {
  realPolicies ??= readdirSync(POLICIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(POLICIES_DIR, file), 'utf8');
      return { file, doc: JSON.parse(text) as Json, text };
    });
  return realPolicies;
}

function checkPolicy(text: string): string {
  try {
    parsePolicy(text, 'fuzz.policy.json');
    return 'accepted';
  } catch (error) {
    return expectTypedError(error, (e) => (e instanceof PolicyError && e.code === 'POLICY_INVALID' && e.problems.length > 0 ? 'PolicyError POLICY_INVALID' : undefined));
  }
}

export const policies: FuzzProperty = {
  name: 'policies: arbitrary and mutated',
  weight: 2,
  run: (numRuns, seed) =>
    checkProperty(
      'policies: arbitrary and mutated',
      fc.oneof(
        fc.json({ maxDepth: 4 }).map((text) => ({ text })),
        fc.string({ maxLength: 64 }).map((text) => ({ text })),
        fc.record({ policy: fc.nat(), mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }) }),
        fc.record({ policy: fc.nat(), cut: fc.nat(), insert: fc.string({ maxLength: 4 }) }),
      ),
      numRuns,
      seed,
      (input) => {
        if ('text' in input) return checkPolicy(input.text);
        const all = getRealPolicies();
        const real = all[input.policy % all.length]!;
        if ('cut' in input) {
          const at = input.cut % (real.text.length + 1);
          return checkPolicy(real.text.slice(0, at) + input.insert + real.text.slice(at + (input.cut % 3)));
        }
        let doc = structuredClone(real.doc);
        for (const m of input.mutations) doc = applyMutation(doc, m, () => true, all.map((p) => p.doc));
        return checkPolicy(JSON.stringify(doc));
      },
    ),
};

// ---------------------------------------------------------------------------------------------
// (a) Lockfiles.

const LOCKFILES_DIR = fileURLToPath(new URL('../fixtures/lockfiles/', import.meta.url));
// Small real lockfiles (v1, v2, v3) to mutate.
const LOCKFILE_SAMPLES = ['firepit-builder-small', 'socket.io-4.3.2-v1', 'axios-1.7.9'];
let realLockfiles: { name: string; doc: Json; packageJson: string }[] | undefined;

function getRealLockfiles() {
  realLockfiles ??= LOCKFILE_SAMPLES.map((name) => ({
    name,
    doc: JSON.parse(readFileSync(join(LOCKFILES_DIR, name, 'package-lock.json'), 'utf8')) as Json,
    packageJson: readFileSync(join(LOCKFILES_DIR, name, 'package.json'), 'utf8'),
  }));
  return realLockfiles;
}

const LOCKFILE_ERRORS: ReadonlySet<string> = new Set(['LOCKFILE_INVALID', 'LOCKFILE_UNPARSEABLE', 'INPUT_TOO_LARGE', 'PACKAGE_JSON_UNPARSEABLE']);

const lockfileError = (e: unknown): string | undefined => (e instanceof VerifyDepsError && e.name === 'InputError' && LOCKFILE_ERRORS.has(e.code) ? `InputError ${e.code}` : undefined);

const interestingLockfilePath = (path: Path): boolean => path.length <= 4;

const lockfileCase = fc.oneof(
  fc.jsonValue({ maxDepth: 5 }).map((v) => ({ arbitrary: v as Json })),
  fc.record({ sample: fc.nat(), mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }) }),
  fc.record({ depth: fc.integer({ min: 1, max: 20_000 }), version: fc.constantFrom(1, 2, 3) }),
);

function buildLockfile(input: { arbitrary: Json } | { sample: number; mutations: JsonMutation[] } | { depth: number; version: number }): Json {
  if ('arbitrary' in input) return input.arbitrary;
  if ('depth' in input) {
    // Deep nesting: v1 `dependencies` (the shape check once recursed on it) or deep v2+ locations.
    if (input.version === 1) {
      let deps: Json = {};
      for (let i = 0; i < input.depth; i++) deps = { a: { version: '1.0.0', dependencies: deps } };
      return { lockfileVersion: 1, dependencies: deps };
    }
    return { lockfileVersion: input.version, packages: { '': { name: 'deep' }, [`${'node_modules/a/'.repeat(input.depth)}node_modules/a`]: { version: '1.0.0' } } };
  }
  const all = getRealLockfiles();
  let doc = structuredClone(all[input.sample % all.length]!.doc);
  for (const m of input.mutations) doc = applyMutation(doc, m, interestingLockfilePath, all.map((l) => l.doc));
  return doc;
}

export const lockfileShapes: FuzzProperty = {
  name: 'lockfiles: assertLockfileShape',
  weight: 3,
  run: (numRuns, seed) =>
    checkProperty('lockfiles: assertLockfileShape', lockfileCase, numRuns, seed, (input) => {
      const doc = buildLockfile(input);
      try {
        const version = assertLockfileShape(doc, 'package-lock.json');
        if (![1, 2, 3].includes(version)) throw new PropertyViolation(`lockfile version ${version} accepted`);
        return `accepted v${version}`;
      } catch (error) {
        return expectTypedError(error, lockfileError);
      }
    }),
};

// walkTree on a temporary project: the whole read (text, shape, arborist, inventory). Slower, so
// a smaller share of the runs.
export const lockfileWalks: FuzzProperty = {
  name: 'lockfiles: walkTree',
  weight: 1,
  run: async (numRuns, seed) => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-deps-fuzz-'));
    try {
      return await checkProperty(
        'lockfiles: walkTree',
        fc.oneof(
          { weight: 4, arbitrary: lockfileCase.filter((c) => !('depth' in c) || c.depth <= 2_000).map((c) => ({ json: c })) },
          { weight: 1, arbitrary: fc.record({ sample: fc.nat(), cut: fc.nat(), insert: fc.string({ maxLength: 3 }) }) },
        ),
        numRuns,
        seed,
        async (input) => {
          const all = getRealLockfiles();
          let text: string;
          let packageJson = all[0]!.packageJson;
          if ('json' in input) {
            if ('sample' in input.json) packageJson = all[input.json.sample % all.length]!.packageJson;
            text = JSON.stringify(buildLockfile(input.json));
          } else {
            const real = all[input.sample % all.length]!;
            const source = JSON.stringify(real.doc, null, 2);
            const at = input.cut % (source.length + 1);
            text = source.slice(0, at) + input.insert + source.slice(at + (input.cut % 3));
            packageJson = real.packageJson;
          }
          writeFileSync(join(dir, 'package-lock.json'), text);
          writeFileSync(join(dir, 'package.json'), packageJson);
          // Differential: the walk (the linear lockfile reader when it applies) and arborist's
          // own tree walk the same lockfiles to the same inventory, and refuse the same ones.
          const walked = await walkTree(dir).catch((error: unknown) => expectTypedError(error, lockfileError));
          const arborist = await outsideTheClock(() => walkTree(dir, { arboristTree: true })).catch((error: unknown) => expectTypedError(error, lockfileError));
          if (typeof walked === 'string' || typeof arborist === 'string') {
            if (walked !== arborist) throw new PropertyViolation(`the walk says ${typeof walked === 'string' ? walked : 'walked'}, arborist's tree ${typeof arborist === 'string' ? arborist : 'walked'}`);
            return walked as string;
          }
          for (const ref of walked.packages) {
            if (typeof ref.name !== 'string' || typeof ref.version !== 'string') throw new PropertyViolation(`a package without a name/version string: ${JSON.stringify(ref).slice(0, 200)}`);
          }
          // A package.json out of sync: the walk reads the lockfile's own flags (and warns),
          // arborist recomputes them from package.json; the packages and locations agree.
          const comparable = (result: typeof walked) => {
            if (walked.outOfSync === undefined) return result;
            const { warnings: _warnings, outOfSync: _outOfSync, ...rest } = result;
            return { ...rest, packages: result.packages.map(({ dev: _d, optional: _o, devOptional: _do, peer: _p, extraneous: _e, ...ref }) => ref) };
          };
          if (JSON.stringify(comparable(walked)) !== JSON.stringify(comparable(arborist))) {
            throw new PropertyViolation(`the linear lockfile reader and arborist disagree:\n${JSON.stringify(walked).slice(0, 600)}\n${JSON.stringify(arborist).slice(0, 600)}`);
          }
          return `walked (${walked.packages.length > 0 ? 'packages' : 'empty'}), as arborist's tree`;
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
