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
// predicate: one subject per package whose evidence verified (purl + sha512). Unsigned here.
// verifiedLevels is conservative: SLSA_BUILD_LEVEL_2 only when every subject has verified
// provenance from a hosted runner (github-hosted or gitlab-hosted), LEVEL_1 when every subject has
// verified provenance, else LEVEL_0; dependencyLevels counts the subjects at each level.
export function buildVsa(report: ComplianceReport): VerificationSummaryAttestation {
  const verified = report.packages.filter((p) => p.verdict === 'pass' && p.evidence !== null && p.integrity !== null);
  const levels = verified.map(buildLevelOf);
  const dependencyLevels: Record<string, number> = {};
  for (const level of levels) dependencyLevels[level] = (dependencyLevels[level] ?? 0) + 1;
  const lowest = levels.length === 0 ? 'SLSA_BUILD_LEVEL_0' : [...levels].sort()[0] ?? 'SLSA_BUILD_LEVEL_0';
  const passed = report.verdict === 'pass';
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: verified.flatMap((p) => {
      const sha512 = getSha512Hex(p.integrity);
      return sha512 === undefined ? [] : [{ name: toPurl(p.name, p.version), digest: { sha512 } }];
    }),
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

function buildLevelOf(pkg: ReportPackage): string {
  const provenance = (pkg.evidence?.attestations ?? []).filter((a) => a.status === 'verified' && a.predicateType.startsWith('https://slsa.dev/provenance/'));
  if (provenance.length === 0) return 'SLSA_BUILD_LEVEL_0';
  return provenance.every((a) => a.runnerEnvironment === 'github-hosted' || a.runnerEnvironment === 'gitlab-hosted') ? 'SLSA_BUILD_LEVEL_2' : 'SLSA_BUILD_LEVEL_1';
}

