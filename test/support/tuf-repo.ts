// A one-key TUF repository (root, timestamp, snapshot, targets; ed25519; no consistent snapshots)
// whose targets are the test PKI's `trusted_root.json` and `registry.npmjs.org/keys.json`, made
// with @tufjs/models. `writeNpmTufCache` lays it out as @sigstore/tuf's cache of Sigstore's
// mirror inside an npm cache dir, so `npm audit signatures` trusts the test PKI; the proxy
// (tuf-proxy.ts) serves the same files as the mirror's refresh.
import crypto from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Key, Metadata, MetaFile, Root, Signature, Snapshot, TargetFile, Targets, Timestamp } from '@tufjs/models';

type Role = Root | Timestamp | Snapshot | Targets;

export const SIGSTORE_TUF_HOST = 'tuf-repo-cdn.sigstore.dev';
const SPEC_VERSION = '1.0.31';

export interface TufRepo {
  // Metadata files by name (root.json, timestamp.json, snapshot.json, targets.json).
  metadata: Map<string, Buffer>;
  // Target files by target path (e.g. registry.npmjs.org/keys.json).
  targets: Map<string, Buffer>;
}

// Builds the repository; every role expires in a year, the timestamp at `timestampExpires` if given.
export function createTufRepo(targets: Record<string, unknown>, options: { timestampExpires?: Date } = {}): TufRepo {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const keyID = crypto.createHash('sha256').update(raw).digest('hex');
  const key = new Key({ keyID, keyType: 'ed25519', scheme: 'ed25519', keyVal: { public: raw.toString('hex') } });
  const expires = new Date(Date.now() + 365 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const common = { version: 1, specVersion: SPEC_VERSION, expires };
  const signer = (data: Buffer): Signature => new Signature({ keyID, sig: crypto.sign(null, data, privateKey).toString('hex') });
  const serialize = (signed: Role): Buffer => {
    const metadata = new Metadata(signed);
    metadata.sign(signer);
    return Buffer.from(JSON.stringify(metadata.toJSON()));
  };
  const hashes = (bytes: Buffer) => ({ sha256: crypto.createHash('sha256').update(bytes).digest('hex') });

  const targetFiles = new Map(Object.entries(targets).map(([path, doc]) => [path, Buffer.from(JSON.stringify(doc))]));
  const root = new Root({ ...common, consistentSnapshot: false });
  for (const role of ['root', 'timestamp', 'snapshot', 'targets']) root.addKey(key, role);
  const targetsRole = new Targets({
    ...common,
    targets: Object.fromEntries([...targetFiles].map(([path, bytes]) => [path, new TargetFile({ path, length: bytes.length, hashes: hashes(bytes) })])),
  });
  const targetsJson = serialize(targetsRole);
  const snapshotJson = serialize(new Snapshot({ ...common, meta: { 'targets.json': new MetaFile({ version: 1 }) } }));
  const timestampJson = serialize(
    new Timestamp({ ...common, ...(options.timestampExpires ? { expires: options.timestampExpires.toISOString().replace(/\.\d+Z$/, 'Z') } : {}), snapshotMeta: new MetaFile({ version: 1, length: snapshotJson.length, hashes: hashes(snapshotJson) }) }),
  );
  const metadata = new Map([
    ['root.json', serialize(root)],
    ['timestamp.json', timestampJson],
    ['snapshot.json', snapshotJson],
    ['targets.json', targetsJson],
  ]);
  return { metadata, targets: targetFiles };
}

// Writes the repository as @sigstore/tuf caches Sigstore's mirror under an npm cache dir:
// CACHE/_tuf/tuf-repo-cdn.sigstore.dev/{root,timestamp,snapshot,targets}.json and
// targets/<encodeURIComponent(target path)>.
export function writeNpmTufCache(npmCacheDir: string, repo: TufRepo): void {
  const dir = join(npmCacheDir, '_tuf', encodeURIComponent(SIGSTORE_TUF_HOST));
  mkdirSync(join(dir, 'targets'), { recursive: true });
  for (const [name, bytes] of repo.metadata) writeFileSync(join(dir, name), bytes);
  for (const [path, bytes] of repo.targets) writeFileSync(join(dir, 'targets', encodeURIComponent(path)), bytes);
}
