// The binding: what the signed statement says must be about THIS package, at the bytes the
// lockfile pins. A valid signature on a statement about something else proves nothing here.

import npa from 'npm-package-arg';
import { toFinding } from '../findings.js';
import type { Finding } from '../types.js';
import type { Statement } from './statement.js';

// npm-package-arg's toPurl, which its published types do not list.
const npaPurl = (npa as typeof npa & { toPurl(arg: string): string }).toPurl;

// The package URL last built: a package's attestations (provenance, publish) are checked one
// after the other and each asks for it, and npm-package-arg's parse is most of a binding check.
let lastPurl: { spec: string; purl: string | undefined } | undefined;

// The package URL npm puts in attestation subjects, built by npm's own npm-package-arg (toPurl):
// the scope's leading "@" percent-encoded, the version verbatim. Undefined for a name npm would
// refuse or a version that is not one exact version: such a package has no URL to be bound to.
//
// Only this canonical spelling is accepted, not a raw "@scope": npm never produces it, pacote
// compares the exact string, and accepting two spellings would make "same package" a parsing
// question rather than an equality.
export function toPurl(name: string, version: string): string | undefined {
  const spec = `${name}@${version}`;
  if (lastPurl?.spec !== spec) {
    let purl: string | undefined;
    try {
      purl = npaPurl(spec);
    } catch {
      purl = undefined;
    }
    lastPurl = { spec, purl };
  }
  return lastPurl.purl;
}

// Checks EVERY subject, not only the first (pacote reads subject[0] alone): a statement with a
// second subject naming another package vouches for that package too, and is rejected.
// `sha512Hex` is the lockfile's pinned digest; undefined when the lockfile pins no sha512.
export function verifySubjects(statement: Pick<Statement, 'subject'>, name: string, version: string, sha512Hex: string | undefined): Finding[] {
  const expected = toPurl(name, version);
  const findings: Finding[] = [];
  for (const [i, subject] of statement.subject.entries()) {
    if (expected === undefined || subject.name !== expected) {
      const detail = expected ?? `a package URL for ${name}@${version}, which has none`;
      findings.push(toFinding('SUBJECT_NAME_MISMATCH', `expected subject[${i}] name ${detail}, got ${subject.name}`, { index: i, expected: expected ?? null, actual: subject.name }));
      continue;
    }
    const actual = subject.digest['sha512'];
    if (sha512Hex === undefined) {
      findings.push(
        toFinding('SUBJECT_DIGEST_MISMATCH', `expected the lockfile to pin a sha512 to compare subject[${i}] against, got none (subject sha512 ${actual ?? 'none'})`, {
          index: i,
          actual: actual ?? null,
        }),
      );
    } else if (actual === undefined || actual.toLowerCase() !== sha512Hex) {
      findings.push(
        toFinding('SUBJECT_DIGEST_MISMATCH', `expected subject[${i}] sha512 ${sha512Hex} (the lockfile's), got ${actual ?? 'none'}`, {
          index: i,
          expected: sha512Hex,
          actual: actual ?? null,
        }),
      );
    }
  }
  return findings;
}

// Checks that the document's (unsigned) predicateType is what the signed statement says, so a
// registry response cannot relabel a publish attestation as provenance or the reverse.
export function verifyPredicateType(claimed: string, statement: Pick<Statement, 'predicateType'>): Finding[] {
  return claimed === statement.predicateType
    ? []
    : [toFinding('PREDICATE_TYPE_MISMATCH', `expected the signed statement's predicateType to be ${claimed} (the document's label), got ${statement.predicateType}`, { claimed, signed: statement.predicateType })];
}
