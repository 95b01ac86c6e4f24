// The in-memory data a fixture registry serves: packages (manifests, tarballs, signatures,
// attestations) and the registry keys document.
import type { AttestationsDocument } from './attestations.js';
import type { NpmKeyJson, RegistrySignature } from './registry-key.js';

// One package version as the registry knows it.
export interface ScenarioPackage {
  name: string;
  version: string;
  // dist.integrity. For "synthetic" packages this is the real sha512 of `tarball`; for "lockfile"
  // packages it is the lockfile's value and `tarball` (if any) cannot match it.
  integrity: string;
  tarball?: Buffer;
  // dist.signatures; omitted/empty means the registry serves none.
  signatures?: RegistrySignature[];
  // Served at /-/npm/v1/attestations/NAME@VERSION and referenced from dist.attestations.
  attestations?: AttestationsDocument | null;
  // Extra manifest fields (dependencies, scripts, ...).
  manifest?: Record<string, unknown>;
  publishedAt?: Date;
}

// Everything a registry serves.
export interface RegistryScenario {
  packages: ScenarioPackage[];
  // `/-/npm/v1/keys` body; null makes that endpoint 404.
  keys: { keys: NpmKeyJson[] } | null;
}
