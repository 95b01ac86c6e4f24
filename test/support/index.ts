// One import for tests: the test PKI, attestation maker, fixture registry, scenarios and mutations.
export { createTestPki, type TestPki, type TestPkiOptions } from './pki.js';
export { githubActionsIdentity, gitlabCiIdentity, FULCIO_OID, type CiIdentity } from './identity.js';
export {
  makeNpmAttestations,
  inTotoStatement,
  signStatementKeyless,
  signStatementWithKey,
  npmPurl,
  sha512HexOfIntegrity,
  SLSA_PROVENANCE_V1,
  NPM_PUBLISH_V01,
  type AttestationsDocument,
  type NpmAttestationOptions,
  type Statement,
} from './attestations.js';
export { signDsseBundle, BUNDLE_MEDIA_TYPE, type BundleJson, type BundleOptions } from './bundle.js';
export { FixtureRegistry, startFixtureRegistry, type RecordedRequest } from './registry.js';
export type { Fault } from './registry-faults.js';
export { lockfileScenario, syntheticScenario, type BuiltScenario, type ScenarioOptions } from './scenario.js';
export type { RegistryScenario, ScenarioPackage } from './scenario-types.js';
export {
  recordedScenario,
  negativeRecordedDocuments,
  publicGoodTrustedRoot,
  npmTufKeys,
  PUBLIC_GOOD_TRUSTED_ROOT_PATH,
  NPM_TUF_KEYS_PATH,
} from './recorded.js';
export * as mutate from './mutate.js';
export { makeTarball, sha512Integrity } from './tarball.js';
export { verifyBundleJson } from './sigstore-verify.js';
export { installNetworkGuard } from './network-guard.mjs';
export { httpGet } from './http-get.js';
