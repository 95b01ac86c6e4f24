import { toPurl } from '../verify/attestation/binding.js';
import { getSha512Hex } from '../verify/integrity.js';
import type { ComplianceReport } from './report.generated.js';

export const VSA_PREDICATE_TYPE = 'https://slsa.dev/verification_summary/v1';
const VERIFIER_ID = 'https://github.com/verify-deps/verify-deps';

export interface VerificationSummaryAttestation {
  _type: 'https://in-toto.io/Statement/v1';
  subject: Array<{ name: string; digest: { sha512: string } }>;
  predicateType: typeof VSA_PREDICATE_TYPE;
  predicate: {
    verifier: { id: string; version: Record<string, string> };
    timeVerified: string;
    resourceUri: string;
    policy: { uri: string; digest: { sha256: string } };
    inputAttestations: Array<{ uri: string; digest: { sha256: string } }>;
    verificationResult: 'PASSED' | 'FAILED';
    verifiedLevels: string[];
    dependencyLevels: Record<string, number>;
    slsaVersion: '1.0';
  };
}

// The report's verdict as an in-toto Statement v1 with a SLSA Verification Summary Attestation
// predicate, one subject per verified package (the report's verification: purl + sha512).
// Unsigned here. PASSED only when the gate passed and every package of the lockfile is verified,
// bundled inside another package's tarball, or one of the project's own workspaces: the resource
// is the whole lockfile, so a pass that let unverified dependencies through (a registry that
// cannot sign, a waiver, an allowed git dependency, audit mode) is FAILED, and so is one with no
// subject at all. verifiedLevels is conservative and empty unless PASSED: SLSA_BUILD_LEVEL_2 only
// when every subject has verified provenance from a hosted runner (github-hosted or
// gitlab-hosted), LEVEL_1 when every subject has verified provenance, else LEVEL_0;
// dependencyLevels counts the subjects at each level.
export function buildVsa(report: ComplianceReport): VerificationSummaryAttestation {
  const verified = report.packages.filter((p) => p.verification.verified);
  const levels = verified.map(buildLevelOf);
  const dependencyLevels: Record<string, number> = {};
  for (const level of levels) dependencyLevels[level] = (dependencyLevels[level] ?? 0) + 1;
  const lowest = levels.length === 0 ? 'SLSA_BUILD_LEVEL_0' : [...levels].sort()[0] ?? 'SLSA_BUILD_LEVEL_0';
  const subject = verified.flatMap((p) => {
    // A sha1-only pin's subject is the sha512 its evidence was verified against: the downloaded
    // bytes' that matched the pin (nothing signed the sha1).
    const sha512 = getSha512Hex(p.evidence?.boundIntegrity ?? p.integrity);
    return sha512 === undefined ? [] : [{ name: toPurl(p.name, p.version), digest: { sha512 } }];
  });
  // A verified package without a single sha512 pin has no subject: coverage is partial then too.
  const passed = report.verdict === 'pass' && subject.length > 0 && subject.length === verified.length && report.packages.every(isCovered);
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject,
    predicateType: VSA_PREDICATE_TYPE,
    predicate: {
      verifier: { id: VERIFIER_ID, version: { 'verify-deps': report.tool.version } },
      timeVerified: report.evaluatedAt,
      resourceUri: `file:${report.lockfile.path}`,
      policy: { uri: report.policy.path, digest: { sha256: report.policy.sha256 } },
      inputAttestations: verified.flatMap((p) =>
        (p.evidence?.attestations ?? []).flatMap((a) =>
          a.bundleSha256 === undefined ? [] : [{ uri: `${p.registry ?? ''}-/npm/v1/attestations/${encodeURIComponent(p.name)}@${p.version}`, digest: { sha256: a.bundleSha256 } }],
        ),
      ),
      verificationResult: passed ? 'PASSED' : 'FAILED',
      verifiedLevels: passed ? [lowest] : [],
      dependencyLevels,
      slsaVersion: '1.0',
    },
  };
}

type ReportPackage = ComplianceReport['packages'][number];

// Verified; or bundled, whose bytes are inside a tarball that is itself in the lockfile (so
// verified too, or the VSA fails on it); or the project's own workspace, which is the resource
// being judged rather than a dependency of it.
function isCovered(pkg: ReportPackage): boolean {
  if (pkg.verification.verified) return true;
  return pkg.verification.reasons.every((r) => r.kind === 'bundled' || (r.kind === 'not-from-a-registry' && r.source === 'workspace'));
}

function buildLevelOf(pkg: ReportPackage): string {
  const provenance = (pkg.evidence?.attestations ?? []).filter((a) => a.status === 'verified' && a.predicateType.startsWith('https://slsa.dev/provenance/'));
  if (provenance.length === 0) return 'SLSA_BUILD_LEVEL_0';
  return provenance.every((a) => a.runnerEnvironment === 'github-hosted' || a.runnerEnvironment === 'gitlab-hosted') ? 'SLSA_BUILD_LEVEL_2' : 'SLSA_BUILD_LEVEL_1';
}

