// Hand-built evidence for the policy tests: facts as the verify stage would report them, with
// only the fields a test cares about chosen by it.

import { parsePolicy } from '../../src/policy/index.js';
import type { NormalizedPolicy, PolicySubject } from '../../src/policy/index.js';
import type { PackageRef } from '../../src/types.js';
import type { AttestationFacts, FulcioExtensions, PackageFacts } from '../../src/verify/types.js';
import { npmjsTarballUrl, REKOR_URL } from '../support/public-urls.js';

export const NOW = new Date('2026-06-01T00:00:00Z');
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const PUBLISH_V01 = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';
export const REKOR = { logId: 'wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=', baseUrl: REKOR_URL };
export const OTHER_LOG = { logId: 'b3RoZXItbG9nLWtleS1pZC1mb3ItdGVzdHMtb25seQ==', baseUrl: 'https://rekor.example.com' };

export function ref(name: string, version: string, over: Partial<PackageRef> = {}): PackageRef {
  return {
    name,
    version,
    integrity: 'sha512-AAAA',
    resolved: npmjsTarballUrl(name, version),
    registryHost: 'registry.npmjs.org',
    source: 'registry',
    dev: false,
    optional: false,
    devOptional: false,
    peer: false,
    bundled: false,
    extraneous: false,
    hasInstallScript: false,
    aliases: [],
    locations: [`node_modules/${name}`],
    ...over,
  };
}

// A GitHub Actions provenance certificate for repo/workflow@ref, extensions as Fulcio writes them.
export interface Signer {
  issuer: string;
  san: string;
  extensions: FulcioExtensions;
}

export function githubSigner(repo: string, workflow = '.github/workflows/release.yml', gitRef = 'refs/heads/main', ext: FulcioExtensions = {}): Signer {
  const san = `https://github.com/${repo}/${workflow}@${gitRef}`;
  return {
    issuer: GITHUB_ISSUER,
    san,
    extensions: {
      issuer: GITHUB_ISSUER,
      buildSignerURI: san,
      runnerEnvironment: 'github-hosted',
      sourceRepositoryURI: `https://github.com/${repo}`,
      sourceRepositoryRef: gitRef,
      buildConfigURI: san,
      buildTrigger: 'push',
      ...ext,
    },
  };
}

export function provenance(signer: Signer, over: Partial<AttestationFacts> = {}): AttestationFacts {
  return {
    predicateType: PROVENANCE_V1,
    status: 'verified',
    signer: { kind: 'certificate', issuer: signer.issuer, subjectAlternativeName: signer.san, extensions: signer.extensions },
    tlog: [{ logId: REKOR.logId, logIndex: '1', kind: 'dsse/0.0.1', inclusionPromise: true, inclusionProof: true }],
    timestamps: [{ source: 'transparency-log', time: '2026-01-01T00:00:00.000Z' }],
    findings: [],
    ...over,
  };
}

export function publishAttestation(over: Partial<AttestationFacts> = {}): AttestationFacts {
  return {
    predicateType: PUBLISH_V01,
    status: 'verified',
    signer: { kind: 'public-key', keyid: 'SHA256:npm-attestations' },
    tlog: [{ logId: REKOR.logId, logIndex: '2', kind: 'intoto/0.0.2', inclusionPromise: true, inclusionProof: true }],
    timestamps: [{ source: 'transparency-log', time: '2026-01-01T00:00:00.000Z' }],
    findings: [],
    ...over,
  };
}

export function facts(name: string, version: string, attestations: AttestationFacts[] = [], signature: 'verified' | 'missing' = 'verified'): PackageFacts {
  return {
    name,
    version,
    integrity: { lockfile: 'sha512-AAAA', registry: 'sha512-AAAA' },
    registrySignature: { status: signature, keyids: signature === 'verified' ? ['SHA256:k'] : [], ...(signature === 'verified' ? { keyid: 'SHA256:k' } : {}) },
    attestationsAdvertised: attestations.length > 0,
    attestations,
    trust: { trustedRoot: 'x', registryKeys: 'y', basis: { trustedRoot: 'bytes', registryKeys: 'bytes' } },
    findings: attestations.flatMap((a) => a.findings),
  };
}

// A registry package; with `attestations` its facts are built, else pass `facts: undefined`.
export function subject(name: string, version: string, attestations: AttestationFacts[] = [], over: Partial<PolicySubject> = {}): PolicySubject {
  return {
    ref: ref(name, version),
    registryHost: 'registry.npmjs.org',
    registryPublishesKeys: true,
    facts: facts(name, version, attestations),
    verificationFindings: [],
    ...over,
  };
}

// Parses a policy given as an object, through the real loader.
export function policyOf(doc: object): NormalizedPolicy {
  return parsePolicy(JSON.stringify(doc), 'test-policy.json').policy;
}

// A native policy with one rule (fields of the rule given) and the rest given in `top`.
export function oneRule(rule: Record<string, unknown>, top: Record<string, unknown> = {}): NormalizedPolicy {
  return policyOf({ version: 1, enforcement: 'strict', downgrade: 'off', rules: [{ name: 'r', match: { package: '*' }, ...rule }], ...top });
}

export function codes(decision: { packages: { findings: { code: string }[] }[] }): string[] {
  return decision.packages.flatMap((p) => p.findings.map((f) => f.code));
}
