// The test PKI in one object: Fulcio-like CA, CT log, Rekor-like tlog, optional TSA and the npm
// registry key, plus the trusted root / keys documents that name them. Generated in milliseconds.
import { type FulcioCa, createFulcioCa } from './ca.js';
import { type TestCtLog, createCtLog } from './ctlog.js';
import { type RegistryKey, createRegistryKey, npmKeysDocument, signPackage, tufKeysDocument } from './registry-key.js';
import { type TestTlog, createTlog } from './tlog.js';
import { type TrustedRootJson, buildTrustedRoot, writeJsonFile } from './trusted-root.js';
import { type TestTsa, createTsa } from './tsa.js';

// Validity windows and options of the whole PKI; everything defaults to 2000-01-01 .. 2099-12-31.
export interface TestPkiOptions {
  caValidFrom?: Date;
  caValidTo?: Date;
  tlogValidFrom?: Date;
  tlogValidTo?: Date;
  ctlogValidFrom?: Date;
  ctlogValidTo?: Date;
  registryKeyValidFrom?: Date;
  registryKeyValidTo?: Date | null;
  // Also create an RFC 3161 TSA and timestamp keyless bundles with it.
  withTsa?: boolean;
  tlogHost?: string;
}

// The PKI: parts plus the documents a verifier is configured with.
export interface TestPki {
  ca: FulcioCa;
  ctlog: TestCtLog;
  tlog: TestTlog;
  tsa: TestTsa | null;
  registryKey: RegistryKey;
  // All registry keys published (registryKey first); add rotated keys with addRegistryKey.
  registryKeys: RegistryKey[];
  addRegistryKey(options?: { validFrom?: Date; validTo?: Date | null }): RegistryKey;
  // `dist.signatures` entry for a package, signed by registryKey (or the key given).
  signPackage(name: string, version: string, integrity: string, key?: RegistryKey): { keyid: string; sig: string };
  trustedRoot(): TrustedRootJson;
  // `/-/npm/v1/keys` body.
  npmKeys(): ReturnType<typeof npmKeysDocument>;
  // TUF keys.json target body (shape of test/fixtures/trusted-root/keys.json).
  tufKeys(): ReturnType<typeof tufKeysDocument>;
  // Writes trusted_root.json to the given path; returns the path.
  writeTrustedRoot(path: string): Promise<string>;
  // Writes keys.json (TUF shape) to the given path; returns the path.
  writeTufKeys(path: string): Promise<string>;
}

const BEGIN = new Date('2000-01-01T00:00:00Z');

// Creates a complete test PKI.
export function createTestPki(o: TestPkiOptions = {}): TestPki {
  const ctlog = createCtLog();
  const ca = createFulcioCa({ validFrom: o.caValidFrom ?? BEGIN, ...(o.caValidTo ? { validTo: o.caValidTo } : {}), ctLog: ctlog });
  const tlog = createTlog({ ...(o.tlogHost ? { host: o.tlogHost } : {}) });
  const tsa = o.withTsa ? createTsa() : null;
  const registryKey = createRegistryKey({ validFrom: o.registryKeyValidFrom ?? BEGIN, validTo: o.registryKeyValidTo ?? null });
  const registryKeys = [registryKey];
  const pki: TestPki = {
    ca,
    ctlog,
    tlog,
    tsa,
    registryKey,
    registryKeys,
    addRegistryKey(options = {}) {
      const key = createRegistryKey(options);
      registryKeys.push(key);
      return key;
    },
    signPackage: (name, version, integrity, key = registryKey) => signPackage(key, name, version, integrity),
    trustedRoot: () =>
      buildTrustedRoot({
        ca: { chain: ca.chain, validFrom: o.caValidFrom ?? BEGIN, ...(o.caValidTo ? { validTo: o.caValidTo } : {}) },
        tlog: { key: tlog.key, baseUrl: tlog.baseUrl, validFrom: o.tlogValidFrom ?? BEGIN, ...(o.tlogValidTo ? { validTo: o.tlogValidTo } : {}) },
        ctlog: { key: ctlog.key, validFrom: o.ctlogValidFrom ?? BEGIN, ...(o.ctlogValidTo ? { validTo: o.ctlogValidTo } : {}) },
        ...(tsa ? { tsa: { chain: tsa.chain, validFrom: tsa.validFrom, validTo: tsa.validTo } } : {}),
      }),
    npmKeys: () => npmKeysDocument(registryKeys),
    tufKeys: () => tufKeysDocument(registryKeys),
    writeTrustedRoot: (path) => writeJsonFile(path, pki.trustedRoot()),
    writeTufKeys: (path) => writeJsonFile(path, pki.tufKeys()),
  };
  return pki;
}
