// The sigstore-conformance sample (test/fixtures/conformance-sample, see its README.md) as test
// material: every case, its files, and the protocol's argument list for it.

import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expandIdentity } from '../../src/policy/identity.js';
import type { ArtifactInput, ExpectedSigner } from '../../src/verify/artifact/index.js';

export const SAMPLE_DIR = fileURLToPath(new URL('../fixtures/conformance-sample/', import.meta.url));

// The production root the sample's default cases use: the public-good root embedded in
// @sigstore/tuf, which the CLI uses when no --trusted-root is given.
export const PRODUCTION_ROOT = 'trust/production_trusted_root.json';

// A fixed clock after every case was signed.
export const NOW = new Date('2026-11-23T00:00:00Z');

export interface SampleCase {
  case: string;
  bundle: string;
  artifactOrDigest: string;
  artifactDigest: string;
  trustedRoot: string;
  identity: string | null;
  issuer: string | null;
  key?: string;
  expect: 'pass' | 'fail';
  modes: ('path' | 'digest')[];
  // Why this tool cannot yet give the suite's expected outcome (a gap kept visible, not a pass).
  knownFailure?: string;
  // A `_fail` case this tool rejects, but before it reaches the flaw the case was written for.
  failsForAnotherReason?: string;
}

export const CASES: SampleCase[] = JSON.parse(readFileSync(`${SAMPLE_DIR}cases.json`, 'utf8')) as SampleCase[];

export type Mode = 'path' | 'digest';

export interface Run {
  c: SampleCase;
  mode: Mode;
  name: string;
}

// Every case in both modes, as the conformance suite runs them.
export const RUNS: Run[] = CASES.flatMap((c) => c.modes.map((mode) => ({ c, mode, name: `${c.case} (${mode})` })));

// The runs this tool gets right today, and the known gaps (run as expected failures, so that a gap
// that closes makes the suite say so).
export const PASSING_RUNS: Run[] = RUNS.filter((r) => r.c.knownFailure === undefined);
export const KNOWN_FAILURE_RUNS: Run[] = RUNS.filter((r) => r.c.knownFailure !== undefined);

// The suite's rule: a case whose name ends in `_fail` must fail, every other must verify.
export function expectsFailure(c: SampleCase): boolean {
  return c.case.endsWith('_fail');
}

export function readSample(path: string): Buffer {
  return readFileSync(SAMPLE_DIR + path);
}

export function readSampleJson(path: string): unknown {
  return JSON.parse(readSample(path).toString('utf8')) as unknown;
}

// The client protocol's arguments, in its order; --trusted-root only for a case's own root (the
// production root is the CLI's default, as the suite leaves it out for those cases).
export function protocolArgs(c: SampleCase, mode: Mode): string[] {
  const signer = c.key !== undefined ? ['--key', c.key] : ['--certificate-identity', c.identity ?? '', '--certificate-oidc-issuer', c.issuer ?? ''];
  const root = c.trustedRoot === PRODUCTION_ROOT ? [] : ['--trusted-root', c.trustedRoot];
  return ['verify-bundle', '--bundle', c.bundle, ...signer, ...root, mode === 'path' ? c.artifactOrDigest : c.artifactDigest];
}

// The signer a case pins, built the way the CLI builds it (the policy's expandIdentity).
export function toIdentity(c: SampleCase): ExpectedSigner {
  if (c.key !== undefined) return { publicKey: createPublicKey(readSample(c.key)) };
  const { issuer, sanPattern } = expandIdentity({ san: c.identity ?? '', oidcIssuer: c.issuer ?? '' });
  return { issuer, sanPattern: sanPattern ?? '' };
}

export function toArtifactInput(c: SampleCase, mode: Mode): ArtifactInput {
  return mode === 'path' ? { bytes: readSample(c.artifactOrDigest) } : { sha256Hex: c.artifactDigest.replace(/^sha256:/, '') };
}
