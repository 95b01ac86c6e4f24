// A Rekor-like transparency log: real RFC 6962 Merkle tree, signed entry timestamps (SET),
// inclusion proofs with signed checkpoints, and entries in the bundle's JSON shape. Hand-built
// rather than @sigstore/mock's TLog, which picks random log indices and single-leaf trees and
// fixes the integrated time per log instance; here each entry chooses its own time.
import crypto from 'node:crypto';
import { json } from '@sigstore/core';
import { type EcKey, generateEcKey, logIdOf, signDer } from './keys.js';
import { MerkleTree, hashLeaf } from './merkle.js';

// A transparency-log entry as serialized in a Sigstore bundle (`verificationMaterial.tlogEntries[]`).
export interface TlogEntryJson {
  logIndex: string;
  logId: { keyId: string };
  kindVersion: { kind: string; version: string };
  integratedTime: string;
  inclusionPromise?: { signedEntryTimestamp: string };
  inclusionProof?: {
    logIndex: string;
    rootHash: string;
    treeSize: string;
    hashes: string[];
    checkpoint: { envelope: string };
  };
  canonicalizedBody: string;
}

// What to put in an appended entry.
export interface AppendOptions {
  integratedTime?: Date;
  inclusionPromise?: boolean; // default true
  inclusionProof?: boolean; // default true
}

// The log: key, identity, and the operations tests need.
export interface TestTlog {
  key: EcKey;
  logId: Buffer;
  host: string;
  baseUrl: string;
  // Appends a Rekor entry body (kind/apiVersion/spec object) and returns the bundle entry.
  append(body: { kind: string; apiVersion: string }, options?: AppendOptions): TlogEntryJson;
  // Recomputes the SET of an entry from its current fields (used to move times consistently).
  signEntryTimestamp(entry: TlogEntryJson): string;
  // Inclusion proof of an entry's leaf against the current tree, with a signed checkpoint.
  proveInclusion(logIndex: number): NonNullable<TlogEntryJson['inclusionProof']>;
}

// Creates a log; `fillerLeaves` pre-populates the tree so proofs have real audit paths.
export function createTlog(options: { key?: EcKey; host?: string; fillerLeaves?: number } = {}): TestTlog {
  const key = options.key ?? generateEcKey('P-256');
  const logId = logIdOf(key);
  const host = options.host ?? 'rekor.sigstore.test';
  const treeId = 4_242_424_242n;
  const tree = new MerkleTree();
  for (let i = 0; i < (options.fillerLeaves ?? 7); i++) tree.push(hashLeaf(crypto.randomBytes(32)));

  const signEntryTimestamp = (entry: TlogEntryJson): string => {
    const payload = {
      body: entry.canonicalizedBody,
      integratedTime: Number(entry.integratedTime),
      logIndex: Number(entry.logIndex),
      logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex'),
    };
    return signDer(key, Buffer.from(json.canonicalize(payload), 'utf8'), 'sha256').toString('base64');
  };

  const proveInclusion = (logIndex: number): NonNullable<TlogEntryJson['inclusionProof']> => {
    const rootHash = tree.hash().toString('base64');
    const note = `${host} - ${treeId}\n${tree.size}\n${rootHash}\n`;
    const signature = signDer(key, Buffer.from(note, 'utf8'), 'sha256');
    const hintAndSig = Buffer.concat([logId.subarray(0, 4), signature]).toString('base64');
    return {
      logIndex: String(logIndex),
      rootHash,
      treeSize: String(tree.size),
      hashes: tree.path(logIndex).map((h) => h.toString('base64')),
      checkpoint: { envelope: `${note}\n\u2014 ${host} ${hintAndSig}\n` },
    };
  };

  return {
    key,
    logId,
    host,
    baseUrl: `https://${host}`,
    signEntryTimestamp,
    proveInclusion,
    append(body, opts = {}) {
      const canonical = Buffer.from(json.canonicalize(body), 'utf8');
      const logIndex = tree.push(hashLeaf(canonical));
      const time = opts.integratedTime ?? new Date();
      const entry: TlogEntryJson = {
        logIndex: String(logIndex),
        logId: { keyId: logId.toString('base64') },
        kindVersion: { kind: body.kind, version: body.apiVersion },
        integratedTime: String(Math.floor(time.getTime() / 1000)),
        canonicalizedBody: canonical.toString('base64'),
      };
      if (opts.inclusionPromise !== false) entry.inclusionPromise = { signedEntryTimestamp: signEntryTimestamp(entry) };
      if (opts.inclusionProof !== false) entry.inclusionProof = proveInclusion(logIndex);
      return entry;
    },
  };
}
