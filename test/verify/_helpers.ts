// Shared test material for test/verify: the real fixtures, the trust built from them, and a
// fixed clock. Read-only; every test that edits a fixture edits a deep copy.

import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTrust, type Trust } from '../../src/verify/index.js';
import type { PackageEvidence } from '../../src/verify/types.js';

export const NOW = new Date('2026-11-23T00:00:00Z');

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function readFixture(path: string): Buffer {
  return readFileSync(FIXTURES + path);
}

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFixture(path).toString('utf8')) as T;
}

export interface IndexEntry {
  name: string;
  version: string;
  integrity: string;
  file: string;
  verifiesOffline: boolean;
  predicateTypes: string[];
  attestations: { predicateType: string; bundleMediaType: string; verificationMaterial: string; tlogEntry: { logIndex: string; integratedTime: string; inclusionProof: boolean }; verifiesOffline: boolean }[];
}

export const INDEX: IndexEntry[] = readJson('attestations/index.json');
export const POSITIVE = INDEX.filter((e) => !e.file.startsWith('negative/'));
export const NEGATIVE = INDEX.filter((e) => e.file.startsWith('negative/'));

export const TRUSTED_ROOT_BYTES = readFixture('trusted-root/trusted_root.json');
export const KEYS_BYTES = readFixture('trusted-root/keys.json');

// A registry signing key made for the tests, added to the real keys as npm:signatures.
export const TEST_SIGNING = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const TEST_KEYID = 'SHA256:test-signing-key';

export function tufKey(keyId: string, usage: string, publicKey: KeyObject, validFor: { start: string; end?: string }) {
  return {
    keyId,
    keyUsage: usage,
    publicKey: {
      rawBytes: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      keyDetails: 'PKIX_ECDSA_P256_SHA_256',
      validFor,
    },
  };
}

// The real keys plus the test signing key valid from 2020 with no end.
export function keysWithTestKey(validFor: { start: string; end?: string } = { start: '2020-01-01T00:00:00Z' }) {
  const keys = readJson('attestations/../trusted-root/keys.json');
  keys.keys.push(tufKey(TEST_KEYID, 'npm:signatures', TEST_SIGNING.publicKey, validFor));
  return keys;
}

let cached: Trust | undefined;
// The real public-good root and npm keys (plus the test signing key), built once.
export function realTrust(): Trust {
  cached ??= createTrust({ trustedRoot: TRUSTED_ROOT_BYTES, registryKeys: keysWithTestKey() });
  return cached;
}

export function signRegistry(name: string, version: string, integrity: string, key: KeyObject = TEST_SIGNING.privateKey): string {
  return sign('sha256', Buffer.from(`${name}@${version}:${integrity}`, 'utf8'), key).toString('base64');
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

// Evidence for an index entry: its attestations document, a good test signature, and the
// packument integrity equal to the lockfile's.
export function evidenceFor(entry: IndexEntry, overrides: Partial<PackageEvidence> = {}): PackageEvidence {
  return {
    name: entry.name,
    version: entry.version,
    lockfileIntegrity: entry.integrity,
    manifest: {
      integrity: entry.integrity,
      signatures: [{ keyid: TEST_KEYID, sig: signRegistry(entry.name, entry.version, entry.integrity) }],
      attestationsAdvertised: true,
      time: entry.attestations[0]?.tlogEntry.integratedTime,
    },
    attestations: readJson(`attestations/${entry.file}`),
    ...overrides,
  };
}

export function codes(findings: readonly { code: string }[]): string[] {
  return findings.map((f) => f.code);
}
