// Small scenario-level helpers for the end-to-end attack tests, on top of mutate.ts: each returns a
// new scenario in which one package version's attestations (or one bundle of them) are changed.
import type { AttestationsDocument } from './attestations.js';
import type { BundleJson } from './bundle.js';
import * as mutate from './mutate.js';
import type { RegistryScenario, ScenarioPackage } from './scenario-types.js';

// The scenario's name@version; throws when it has none.
export function packageOf(scenario: RegistryScenario, name: string, version = '1.0.0'): ScenarioPackage {
  const pkg = scenario.packages.find((p) => p.name === name && p.version === version);
  if (!pkg) throw new Error(`no ${name}@${version} in the scenario`);
  return pkg;
}

// The attestations document a scenario serves for name@version; throws when it serves none.
export function attestationsOf(scenario: RegistryScenario, name: string, version = '1.0.0'): AttestationsDocument {
  const doc = packageOf(scenario, name, version).attestations;
  if (!doc) throw new Error(`${name}@${version} has no attestations in the scenario`);
  return doc;
}

// The bundle of one predicate type in a package's attestations.
export function bundleOf(scenario: RegistryScenario, name: string, predicateType: string, version = '1.0.0'): BundleJson {
  const bundle = attestationsOf(scenario, name, version).attestations.find((a) => a.predicateType === predicateType)?.bundle;
  if (!bundle) throw new Error(`${name}@${version} has no ${predicateType} attestation`);
  return bundle;
}

// Scenario in which the bundle of `predicateType` of name@version is replaced by fn(bundle).
export function mapPackageBundle(
  scenario: RegistryScenario,
  name: string,
  predicateType: string,
  fn: (bundle: BundleJson) => BundleJson,
  version = '1.0.0',
): RegistryScenario {
  return mutate.withAttestations(scenario, name, version, mutate.mapBundle(attestationsOf(scenario, name, version), predicateType, fn));
}

// Removes only the checkpoint of every inclusion proof (the proof's hashes stay, but nothing signed
// says which tree they lead to).
export function stripCheckpoint(bundle: BundleJson): BundleJson {
  const out = structuredClone(bundle);
  for (const entry of out.verificationMaterial.tlogEntries) {
    const proof = (entry as { inclusionProof?: { checkpoint?: unknown } }).inclusionProof;
    if (proof) delete proof.checkpoint;
  }
  return out;
}
