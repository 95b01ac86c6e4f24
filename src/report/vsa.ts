import { toPurl } from '../verify/attestation/binding.js';
import { getSha512Hex } from '../verify/integrity.js';
import type { ComplianceReport } from './report.generated.js';

export const VSA_PREDICATE_TYPE = 'https://slsa.dev/verification_summary/v1';
const VERIFIER_ID = 'https://github.com/verify-deps/verify-deps';
// Extension field (the spec lets producers add fields named by URIs): which dependencies the
// counts in dependencyLevels are, so a consumer can match them against their own VSAs.
export const VERIFIED_DEPENDENCIES_FIELD = `${VERIFIER_ID}/vsa/verifiedDependencies`;

type Digest = Record<string, string>;

export interface VerificationSummaryAttestation {
  _type: 'https://in-toto.io/Statement/v1';
  subject: Array<{ name: string; digest: Digest }>;
  predicateType: typeof VSA_PREDICATE_TYPE;
  predicate: {
    verifier: { id: string; version: Record<string, string> };
    timeVerified: string;
    resourceUri: string;
    policy: { uri: string; digest: Digest };
    inputAttestations: Array<{ name: string; digest: Digest; annotations: Record<string, string> }>;
    verificationResult: 'PASSED' | 'FAILED';
    verifiedLevels: string[];
    dependencyLevels: Record<string, number>;
    slsaVersion: '1.0';
    [VERIFIED_DEPENDENCIES_FIELD]: Array<{ name: string; digest: Digest }>;
  };
}

// What the VSA says that the report does not: where the lockfile and the policy are, as URIs
// whose bytes hash to the digests recorded (src/report/vsa-inputs.ts finds them).
export interface VsaInputs {
  // Basename of the lockfile: the subject name `actions/attest` and `cosign attest-blob` give it.
  lockfileName: string;
  resourceUri: string;
  policy: { uri: string; sha256: string };
}

// The report's verdict as an in-toto Statement v1 with a SLSA Verification Summary Attestation
// v1.0 predicate (https://slsa.dev/spec/v1.0/verification_summary). One VSA whose subject is the
// lockfile (sha256 of its bytes), not one per package: the gate judges the lockfile as a whole
// (PASSED needs every package of it covered), the lockfile's integrity pins bind each package's
// bytes, and the spec's dependencyLevels counts an artifact's dependencies, which only exist with
// the lockfile as the artifact. The dependencies are the packages whose evidence verified, and
// they alone are counted. PASSED only when the gate passed and every package of the lockfile is
// verified (with a sha512 that its evidence bound), bundled inside another package's tarball, or
// one of the project's own workspaces: a pass that let unverified dependencies through (a
// registry that cannot sign, a waiver, an allowed git dependency, audit mode) is FAILED, and so
// is one with no verified dependency at all. verifiedLevels is the lockfile's own level (the spec:
// "for the artifact (and not its dependencies)"): SLSA_BUILD_LEVEL_0, since a lockfile is no
// build output with provenance, and ["FAILED"] when verification failed, as the spec requires.
// Unsigned here: the file is the exact statement a DSSE signer signs (docs: actions/attest, cosign).
export function buildVsa(report: ComplianceReport, inputs: VsaInputs): VerificationSummaryAttestation {
  const verified = report.packages.filter((p) => p.verification.verified);
  const dependencyLevels: Record<string, number> = {};
  for (const pkg of verified) {
    const level = buildLevelOf(pkg);
    dependencyLevels[level] = (dependencyLevels[level] ?? 0) + 1;
  }
  const dependencies = verified.flatMap((p) => {
    // A sha1-only pin's dependency is the sha512 its evidence was verified against: the downloaded
    // bytes' that matched the pin (nothing signed the sha1).
    const sha512 = getSha512Hex(p.evidence?.boundIntegrity ?? p.integrity);
    const purl = toPurl(p.name, p.version);
    return sha512 === undefined || purl === undefined ? [] : [{ name: purl, digest: { sha512 } }];
  });
  const lockfileSha256 = report.lockfile.sha256;
  // A verified package without a single sha512 pin is partial coverage too.
  const passed =
    report.verdict === 'pass' && lockfileSha256 !== null && dependencies.length > 0 && dependencies.length === verified.length && report.packages.every(isCovered);
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: lockfileSha256 === null ? [] : [{ name: inputs.lockfileName, digest: { sha256: lockfileSha256 } }],
    predicateType: VSA_PREDICATE_TYPE,
    predicate: {
      verifier: { id: VERIFIER_ID, version: { 'verify-deps': report.tool.version } },
      timeVerified: report.evaluatedAt,
      resourceUri: inputs.resourceUri,
      policy: { uri: inputs.policy.uri, digest: { sha256: inputs.policy.sha256 } },
      inputAttestations: verified.flatMap(toInputAttestations),
      verificationResult: passed ? 'PASSED' : 'FAILED',
      verifiedLevels: passed ? ['SLSA_BUILD_LEVEL_0'] : ['FAILED'],
      dependencyLevels,
      slsaVersion: '1.0',
      [VERIFIED_DEPENDENCIES_FIELD]: dependencies,
    },
  };
}

type ReportPackage = ComplianceReport['packages'][number];

// Each bundle judged, by the digest the report records (sha256 of the bundle's canonical JSON).
// No `uri` (the spec: SHOULD, not MUST): the registry serves a document of several bundles,
// whose bytes do not hash to one bundle's digest, so a uri there would name other bytes. Where
// the bundle was found is an annotation instead.
function toInputAttestations(pkg: ReportPackage): VerificationSummaryAttestation['predicate']['inputAttestations'] {
  const purl = toPurl(pkg.name, pkg.version) ?? `${pkg.name}@${pkg.version}`;
  return (pkg.evidence?.attestations ?? []).flatMap((a) =>
    a.bundleSha256 === undefined
      ? []
      : [
          {
            name: `${purl} ${a.predicateType}`,
            digest: { sha256: a.bundleSha256 },
            annotations: {
              digestOf: 'the bundle as RFC 8785 canonical JSON',
              ...(pkg.registry === null ? {} : { foundIn: `${pkg.registry}-/npm/v1/attestations/${encodeURIComponent(pkg.name)}@${pkg.version}` }),
            },
          },
        ],
  );
}

// Verified; or bundled, whose bytes are inside a tarball that is itself in the lockfile (so
// verified too, or the VSA fails on it); or the project's own workspace, which is the resource
// being judged rather than a dependency of it.
function isCovered(pkg: ReportPackage): boolean {
  if (pkg.verification.verified) return true;
  return pkg.verification.reasons.every((r) => r.kind === 'bundled' || (r.kind === 'not-from-a-registry' && r.source === 'workspace'));
}

// A dependency's build level: 2 when all its verified provenance comes from a hosted runner,
// 1 when it has verified provenance, else 0.
function buildLevelOf(pkg: ReportPackage): string {
  const provenance = (pkg.evidence?.attestations ?? []).filter((a) => a.status === 'verified' && a.predicateType.startsWith('https://slsa.dev/provenance/'));
  if (provenance.length === 0) return 'SLSA_BUILD_LEVEL_0';
  return provenance.every((a) => a.runnerEnvironment === 'github-hosted' || a.runnerEnvironment === 'gitlab-hosted') ? 'SLSA_BUILD_LEVEL_2' : 'SLSA_BUILD_LEVEL_1';
}
