// Scenario serving the REAL recorded npm attestation responses of test/fixtures/attestations/
// for their exact name@version and integrity, with the real public-good trusted root and npm keys.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AttestationsDocument } from './attestations.js';
import type { NpmKeyJson } from './registry-key.js';
import type { RegistryScenario, ScenarioPackage } from './scenario-types.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

// Path of the public-good Sigstore trusted root fixture (for `--trusted-root`).
export const PUBLIC_GOOD_TRUSTED_ROOT_PATH = `${FIXTURES}trusted-root/trusted_root.json`;

// Path of the real npm registry keys (TUF keys.json target shape).
export const NPM_TUF_KEYS_PATH = `${FIXTURES}trusted-root/keys.json`;

// One entry of test/fixtures/attestations/index.json.
export interface RecordedAttestationIndexEntry {
  name: string;
  version: string;
  integrity: string;
  file: string;
  verifiesOffline: boolean;
  variant?: string;
  attestations: Array<{ predicateType: string; bundleMediaType: string; verifiesOffline: boolean; tlogEntry: { integratedTime: string } }>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

// All index entries (positive and negative/).
export const recordedIndex = (): RecordedAttestationIndexEntry[] =>
  readJson<RecordedAttestationIndexEntry[]>(`${FIXTURES}attestations/index.json`);

// The attestations document of an index entry.
export const readRecordedDocument = (entry: RecordedAttestationIndexEntry): AttestationsDocument =>
  readJson<AttestationsDocument>(`${FIXTURES}attestations/${entry.file}`);

// The public-good trusted root JSON.
export const publicGoodTrustedRoot = (): unknown => readJson(PUBLIC_GOOD_TRUSTED_ROOT_PATH);

// The real npm keys in TUF keys.json shape.
export const npmTufKeys = () =>
  readJson<{ keys: Array<{ keyId: string; keyUsage: string; publicKey: { rawBytes: string; validFor: { start: string; end?: string } } }> }>(NPM_TUF_KEYS_PATH);

// The real npm keys in the `/-/npm/v1/keys` shape (derived from keys.json, npm:signatures usage).
export function npmKeysFromTuf(): { keys: NpmKeyJson[] } {
  return {
    keys: npmTufKeys()
      .keys.filter((k) => k.keyUsage === 'npm:signatures')
      .map((k) => ({
        expires: k.publicKey.validFor.end ?? null,
        keyid: k.keyId,
        keytype: 'ecdsa-sha2-nistp256' as const,
        scheme: 'ecdsa-sha2-nistp256' as const,
        key: k.publicKey.rawBytes,
      })),
  };
}

// Scenario of the positive recorded fixtures (no dist.signatures: none were recorded).
// Negative variants share name@version with positives; use negativeRecordedDocuments() to swap one in.
export function recordedScenario(): RegistryScenario & { entries: RecordedAttestationIndexEntry[] } {
  const entries = recordedIndex().filter((e) => !e.file.startsWith('negative/'));
  const packages = entries.map(
    (e): ScenarioPackage => ({ name: e.name, version: e.version, integrity: e.integrity, attestations: readRecordedDocument(e) }),
  );
  return { packages, keys: npmKeysFromTuf(), entries };
}

// The tampered recorded documents (test/fixtures/attestations/negative/), with their index entries.
export function negativeRecordedDocuments(): Array<{ entry: RecordedAttestationIndexEntry; document: AttestationsDocument }> {
  return recordedIndex()
    .filter((e) => e.file.startsWith('negative/'))
    .map((entry) => ({ entry, document: readRecordedDocument(entry) }));
}
