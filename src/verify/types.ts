// The data the verify stage takes in and gives back. Verification never throws for a bad package:
// what went wrong is a Finding with a stable code, and what was proven is a fact.

import type { KeyObject } from 'node:crypto';
import type { FindingCode } from './finding-codes.js';

// Every code a Finding can carry: src/verify/finding-codes.ts lists them (a runtime list, with
// what each means). Add codes there, never rename them.
export type { FindingCode } from './finding-codes.js';

// One thing that failed, as data. `message` says what was expected and what was found.
export interface Finding {
  code: FindingCode;
  message: string;
  details?: Record<string, unknown>;
}

// What the registry says about one version, as the fetch stage hands it over.
export interface ManifestEvidence {
  // versions[v].dist.integrity of the packument.
  integrity?: string;
  // versions[v].dist.signatures of the packument.
  signatures?: { keyid: string; sig: string }[];
  // True when the packument advertises provenance (versions[v].dist.attestations is present).
  attestationsAdvertised: boolean;
  // packument.time[v], the registry's (unsigned) claim of when the version was published.
  time?: string;
}

// Everything known about one package before verification.
export interface PackageEvidence {
  name: string;
  version: string;
  // The lockfile's pinned SRI string; null when the lockfile records none.
  lockfileIntegrity: string | null;
  // The sha512 SRI string computed from downloaded tarball bytes that matched a lockfile pin of
  // sha1 only (a sha1 cannot be signed over or named as a subject): the digest every check binds
  // to instead of the pin. Set only by the caller that hashed the bytes, never read from a cache.
  boundIntegrity?: string;
  manifest: ManifestEvidence;
  // The parsed response of /-/npm/v1/attestations/NAME@VERSION, untrusted; undefined when not fetched.
  attestations?: unknown;
}

// What a registry key may be used for, as npm's TUF target names it.
export type KeyUsage = 'npm:signatures' | 'npm:attestations';

// A registry public key, normalised from either npm's /-/npm/v1/keys or the TUF keys.json.
export interface RegistryKey {
  keyid: string;
  publicKey: KeyObject;
  usage: ReadonlySet<KeyUsage>;
  validFrom?: Date;
  // The first instant the key is no longer valid (npm's `expires`, TUF's `validFor.end`).
  validUntil?: Date;
}

// The sha256 of the trust material a run used, so a report can say what it trusted.
export interface TrustDigests {
  // sha256 (hex) of the trusted root's bytes when given as bytes, else of its canonical JSON.
  trustedRoot: string;
  // sha256 (hex) of the registry keys document, same rule.
  registryKeys: string;
  // sha256 (hex) of npm's keys document, when npm's keys are accepted beside the registry's.
  npmKeys?: string;
  basis: { trustedRoot: 'bytes' | 'canonical-json'; registryKeys: 'bytes' | 'canonical-json' };
}

export type SignatureStatus = 'verified' | 'failed' | 'missing';

export interface RegistrySignatureFacts {
  status: SignatureStatus;
  // The keyid of the first signature (the one npm serves today); undefined when there is none.
  keyid?: string;
  // Every keyid the registry listed, in order.
  keyids: string[];
}

// The Fulcio certificate extensions of a keyless signer (OIDs 1.3.6.1.4.1.57264.1.*).
// The v2 fields (1.8 and later) are DER UTF8Strings; the legacy GitHub fields (1.2–1.6) are
// raw bytes and only present on certificates from before Fulcio's 2023 schema.
export interface FulcioExtensions {
  issuer?: string;
  buildSignerURI?: string;
  buildSignerDigest?: string;
  runnerEnvironment?: string;
  sourceRepositoryURI?: string;
  sourceRepositoryDigest?: string;
  sourceRepositoryRef?: string;
  sourceRepositoryIdentifier?: string;
  sourceRepositoryOwnerURI?: string;
  sourceRepositoryOwnerIdentifier?: string;
  buildConfigURI?: string;
  buildConfigDigest?: string;
  buildTrigger?: string;
  runInvocationURI?: string;
  sourceRepositoryVisibilityAtSigning?: string;
  githubWorkflowTrigger?: string;
  githubWorkflowSHA?: string;
  githubWorkflowName?: string;
  githubWorkflowRepository?: string;
  githubWorkflowRef?: string;
}

export type SignerFacts =
  | { kind: 'certificate'; issuer?: string; subjectAlternativeName?: string; extensions: FulcioExtensions }
  | { kind: 'public-key'; keyid: string };

export interface TLogFacts {
  // base64 of the log's key id, as in the bundle.
  logId: string;
  logIndex: string;
  kind: string;
  // ISO time; undefined when the entry carries none (Rekor v2).
  integratedTime?: string;
  inclusionPromise: boolean;
  inclusionProof: boolean;
}

export interface TimestampFacts {
  source: 'transparency-log' | 'timestamp-authority';
  time: string;
}

export type AttestationStatus = 'verified' | 'failed';

export interface AttestationFacts {
  // The signed statement's predicateType once decoded, else the document's (unsigned) claim.
  predicateType: string;
  status: AttestationStatus;
  // sha256 (hex) of the bundle's canonical JSON (RFC 8785).
  bundleSha256?: string;
  bundleMediaType?: string;
  signer?: SignerFacts;
  tlog: TLogFacts[];
  // The timestamps that verified; empty when the bundle did not verify.
  timestamps: TimestampFacts[];
  findings: Finding[];
}

export interface PublishTimeFacts {
  value: string;
  // True when taken from the publish attestation's verified transparency-log time.
  signed: boolean;
  source: 'publish-attestation' | 'packument';
}

export interface PackageFacts {
  name: string;
  version: string;
  // bound: the sha512 the evidence was verified against when the lockfile pins sha1 only, computed
  // from the downloaded bytes that matched that pin (PackageEvidence.boundIntegrity).
  integrity: { lockfile: string | null; registry?: string; bound?: string };
  registrySignature: RegistrySignatureFacts;
  attestationsAdvertised: boolean;
  attestations: AttestationFacts[];
  publishTime?: PublishTimeFacts;
  trust: TrustDigests;
  // Every finding of the package, the attestations' included; empty means everything verified.
  findings: Finding[];
}
