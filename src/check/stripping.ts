import type { PackageOutcome, RegistryTrust } from './types.js';

// Registries with keys where not one package carried a signature: almost certainly a mirror or
// proxy that strips `dist.signatures` (as this project's own development mirror does). Said
// once, plainly, instead of once per package.
export function findSignatureStrippingRegistries(outcomes: readonly PackageOutcome[], registries: readonly RegistryTrust[]): string[] {
  return registries
    .filter((r) => r.publishesKeys)
    .map((r) => r.registry)
    .filter((registry) => {
      const fetched = outcomes.filter((o) => o.registry === registry && o.facts !== undefined);
      return fetched.length > 0 && fetched.every((o) => o.facts?.registrySignature.status === 'missing');
    });
}
