// Decodes the in-toto statement inside a DSSE envelope. Only called on envelopes whose
// signature verified: before that the payload is attacker-controlled text.

import type { Envelope } from '@sigstore/bundle';
import { isRecord } from '../encoding.js';
import { toFinding } from '../findings.js';
import type { Finding } from '../types.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const STATEMENT_TYPES: ReadonlySet<string> = new Set(['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1']);

// The most subjects a statement may name. npm's name exactly one; past this the statement is
// refused whole (INPUT_TOO_LARGE) instead of yielding one finding per subject.
export const MAX_SUBJECTS = 1_000;

export interface Subject {
  name: string;
  digest: Record<string, string>;
}

export interface Statement {
  type: string;
  predicateType: string;
  subject: Subject[];
  predicate: unknown;
}

// Returns the statement, or the STATEMENT_MALFORMED (or INPUT_TOO_LARGE) finding.
export function toStatement(envelope: Pick<Envelope, 'payloadType' | 'payload'>): { statement: Statement } | { finding: Finding } {
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return malformed(`expected payloadType ${IN_TOTO_PAYLOAD_TYPE}, got ${JSON.stringify(envelope.payloadType)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(envelope.payload).toString('utf8'));
  } catch (err) {
    return malformed(`expected a JSON in-toto statement, got unparseable payload: ${(err as Error).message}`);
  }
  if (!isRecord(doc)) {
    return malformed('expected the in-toto statement to be an object');
  }
  if (typeof doc._type !== 'string' || !STATEMENT_TYPES.has(doc._type)) {
    return malformed(`expected _type ${[...STATEMENT_TYPES].join(' or ')}, got ${JSON.stringify(doc._type)}`);
  }
  if (typeof doc.predicateType !== 'string' || doc.predicateType === '') {
    return malformed(`expected a predicateType string, got ${JSON.stringify(doc.predicateType)}`);
  }
  if (!Array.isArray(doc.subject) || doc.subject.length === 0) {
    return malformed('expected a non-empty subject array');
  }
  if (doc.subject.length > MAX_SUBJECTS) {
    return { finding: toFinding('INPUT_TOO_LARGE', `expected at most ${MAX_SUBJECTS} subjects in the in-toto statement, got ${doc.subject.length}`, { limit: MAX_SUBJECTS, actual: doc.subject.length }) };
  }
  const subject: Subject[] = [];
  for (const [i, s] of doc.subject.entries()) {
    if (!isRecord(s) || typeof s.name !== 'string') {
      return malformed(`expected subject[${i}] to have a name string`);
    }
    // A subject without digests binds nothing; it is kept (as an empty digest set) so the
    // binding check reports it as the digest mismatch it is.
    const digest: Record<string, string> = {};
    if (s.digest !== undefined) {
      if (!isRecord(s.digest) || !Object.values(s.digest).every((d) => typeof d === 'string')) {
        return malformed(`expected subject[${i}].digest to map algorithms to hex strings`);
      }
      Object.assign(digest, s.digest);
    }
    subject.push({ name: s.name, digest });
  }
  return { statement: { type: doc._type, predicateType: doc.predicateType, subject, predicate: doc.predicate } };
}

function malformed(message: string): { finding: Finding } {
  return { finding: toFinding('STATEMENT_MALFORMED', message) };
}
