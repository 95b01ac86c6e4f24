// Scenario builders for the fixture registry:
// - lockfileScenario: a real lockfile's registry packages ("lockfile packages": the lockfile's own
//   integrity values, so any tarball bytes served cannot match them), all signed by the test
//   registry key, a deterministic share with SLSA v1 provenance + publish attestations.
// - syntheticScenario: generated packages ("synthetic packages") with real small .tgz tarballs whose
//   integrity is their true sha512, signed and attested the same way.
// - recordedScenario (in recorded.ts): the real recorded npm bundles and public-good trust roots.
import crypto from 'node:crypto';
import { type NpmAttestationOptions, makeNpmAttestations } from './attestations.js';
import { listLockfilePackages, signablePackages } from './lockfile-packages.js';
import type { TestPki } from './pki.js';
import type { RegistryScenario, ScenarioPackage } from './scenario-types.js';
import { makeTarball, sha512Integrity } from './tarball.js';

// The scenario data types, re-exported for callers of the builders.
export type { RegistryScenario, ScenarioPackage } from './scenario-types.js';

// A built scenario and which packages got attestations.
export interface BuiltScenario extends RegistryScenario {
  // `name@version` of packages that have provenance + publish attestations.
  attested: Set<string>;
}

// Shared choices for test-PKI scenarios.
export interface ScenarioOptions {
  // Fraction (0..1) of packages given attestations; default 0.5. Selection is deterministic:
  // sha256(`${seed}:${name}@${version}`) read as a fraction, below the share.
  provenanceShare?: number;
  seed?: string;
  // Sign dist.signatures with the registry key (default true).
  sign?: boolean;
  attestation?: NpmAttestationOptions;
  // Lockfile scenarios only: serve a generated tarball (whose bytes do NOT match the lockfile's
  // integrity) for each package; default false (tarball URL 404s).
  placeholderTarballs?: boolean;
}

// Deterministic "random" fraction in [0, 1) for a package.
export function selectionFraction(seed: string, name: string, version: string): number {
  return crypto.createHash('sha256').update(`${seed}:${name}@${version}`).digest().readUInt32BE(0) / 2 ** 32;
}

const spec = (p: { name: string; version: string }) => `${p.name}@${p.version}`;

// Signs and attests package shells according to the options.
function dress(pki: TestPki, shells: ScenarioPackage[], o: ScenarioOptions): BuiltScenario {
  const share = o.provenanceShare ?? 0.5;
  const seed = o.seed ?? 'verify-deps';
  const attested = new Set<string>();
  const packages = shells.map((p) => {
    const pkg: ScenarioPackage = { ...p };
    if (o.sign !== false) pkg.signatures = [pki.signPackage(p.name, p.version, p.integrity)];
    if (selectionFraction(seed, p.name, p.version) < share) {
      pkg.attestations = makeNpmAttestations(pki, p, o.attestation);
      attested.add(spec(p));
    }
    return pkg;
  });
  return { packages, keys: pki.npmKeys(), attested };
}

// Scenario from a real lockfile directory (see the module comment for what "lockfile packages" means).
export async function lockfileScenario(pki: TestPki, dir: string, o: ScenarioOptions = {}): Promise<BuiltScenario> {
  const refs = signablePackages(await listLockfilePackages(dir));
  const shells = refs.map((r): ScenarioPackage => {
    const shell: ScenarioPackage = { name: r.name, version: r.version, integrity: r.integrity };
    if (o.placeholderTarballs) shell.tarball = makeTarball({ name: r.name, version: r.version });
    return shell;
  });
  return dress(pki, shells, o);
}

// One synthetic package to generate.
export interface SyntheticPackageSpec {
  name: string;
  version: string;
  manifest?: Record<string, unknown>;
  // Files of the tarball besides package/package.json, by package-relative path.
  files?: Record<string, string>;
}

// Scenario of generated packages with real tarballs and their true integrity.
export function syntheticScenario(pki: TestPki, specs: SyntheticPackageSpec[], o: ScenarioOptions = {}): BuiltScenario {
  const shells = specs.map((s): ScenarioPackage => {
    const tarball = makeTarball({ name: s.name, version: s.version, ...s.manifest }, s.files);
    return { name: s.name, version: s.version, integrity: sha512Integrity(tarball), tarball, manifest: s.manifest ?? {} };
  });
  return dress(pki, shells, o);
}
