// The signer the caller pins, turned into what @sigstore/verify's Verifier needs: trust material
// whose key lookup answers only for the pinned key, and the identity policy for a certificate.

import { createHash, type KeyObject } from 'node:crypto';
import { PolicyError, Verifier, VerificationError, type SignedEntity, type TrustMaterial, type VerificationPolicy } from '@sigstore/verify';
import { toFinding } from '../findings.js';
import type { Trust } from '../trust/index.js';
import type { Finding, SignerFacts } from '../types.js';

// A keyless signer: the exact OIDC issuer, and a regular expression the certificate's SAN must
// match. The pattern is tested as given, so it must be `^…$`-anchored by the caller (the policy's
// expandIdentity escapes and anchors every literal form); an unanchored one matches substrings.
export interface KeylessSigner {
  issuer: string;
  sanPattern: string;
}

// A key signer: the bundle must be signed by exactly this key (the bundle's key hint is an
// unsigned label and is not trusted to pick one).
export interface KeySigner {
  publicKey: KeyObject;
}

// Who must have signed the bundle: a keyless identity or a key.
export type ExpectedSigner = KeylessSigner | KeySigner;

// The same thresholds as createTrust's Verifier: one verified tlog entry, one SCT and one
// verified timestamp per bundle are the minimum this tool accepts.
const THRESHOLDS = { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 } as const;

// The run's trust with the key lookup replaced: for a key signer it answers the pinned key for
// any hint (the trusted root's logs, CAs and TSAs are unchanged); for a keyless signer it knows no
// key at all, so a key-signed bundle cannot pass by way of some other trusted key.
export function toSignerTrust(trust: Trust, signer: ExpectedSigner): Trust {
  const material: TrustMaterial = {
    ...trust.material,
    publicKey: (hint: string) => {
      if ('publicKey' in signer) {
        // A key the user pins has no validity window of its own.
        return { publicKey: signer.publicKey, validFor: () => true };
      }
      throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `a certificate identity is pinned; no key is trusted (hint ${hint})` });
    },
  };
  return { ...trust, material, verifier: new Verifier(material, THRESHOLDS) };
}

// The Verifier's identity policy: the SAN pattern and the exact issuer extension.
export function toVerificationPolicy(signer: ExpectedSigner): VerificationPolicy | undefined {
  return 'publicKey' in signer ? undefined : { subjectAlternativeName: signer.sanPattern, extensions: { issuer: signer.issuer } };
}

// Requires the bundle's key kind to be the pinned one: a certificate for an identity, a public
// key for a key. Without it a Fulcio certificate would pass `--key` (the Verifier checks it
// against the trusted root's CAs, never against the pinned key).
export function verifySignerKind(entity: SignedEntity, signer: ExpectedSigner): Finding[] {
  const expected = 'publicKey' in signer ? 'public-key' : 'certificate';
  if (entity.key.$case === expected) {
    return [];
  }
  const describe = (kind: string) => (kind === 'public-key' ? 'a public key' : 'a Fulcio certificate');
  return [toFinding('UNEXPECTED_SIGNER', `expected the bundle to be signed with ${describe(expected)}, got ${describe(entity.key.$case)}`, { expected, actual: entity.key.$case })];
}

// Whether the signer facts satisfy the pinned identity: issuer exactly, SAN by the pattern. Run
// after the Verifier's own policy check, on this tool's reading of the certificate, so that the
// two readings must agree (the Verifier reads the issuer extension differently).
export function verifyIdentity(facts: SignerFacts, signer: ExpectedSigner): Finding[] {
  if ('publicKey' in signer || facts.kind !== 'certificate') {
    return [];
  }
  const san = facts.subjectAlternativeName;
  if (facts.issuer === signer.issuer && san !== undefined && new RegExp(signer.sanPattern).test(san)) {
    return [];
  }
  return [toIdentityFinding(facts, signer)];
}

// Maps the Verifier's PolicyError (thrown after every cryptographic check passed) to a finding
// that names what was expected and what the certificate says.
export function toPolicyFinding(err: unknown, facts: SignerFacts, signer: ExpectedSigner): Finding | undefined {
  return err instanceof PolicyError && !('publicKey' in signer) ? toIdentityFinding(facts, signer, err.message) : undefined;
}

// The signer facts of a public-key signer: the pinned key's npm-style id (SHA256:<base64 of the
// SPKI's sha256>), since the bundle's hint is an unsigned label.
export function getKeySigner(signer: KeySigner): SignerFacts {
  const spki = signer.publicKey.export({ format: 'der', type: 'spki' });
  return { kind: 'public-key', keyid: `SHA256:${createHash('sha256').update(spki).digest('base64').replace(/=+$/, '')}` };
}

function toIdentityFinding(facts: SignerFacts, signer: KeylessSigner, cause?: string): Finding {
  const san = facts.kind === 'certificate' ? facts.subjectAlternativeName : undefined;
  const issuer = facts.kind === 'certificate' ? facts.issuer : undefined;
  return toFinding(
    'UNEXPECTED_SIGNER',
    `expected a certificate for SAN /${signer.sanPattern}/ issued by ${signer.issuer}, got SAN ${san ?? 'none'} issued by ${issuer ?? 'none'}`,
    { expected: { issuer: signer.issuer, sanPattern: signer.sanPattern }, actual: { issuer: issuer ?? null, san: san ?? null }, ...(cause ? { sigstore: cause } : {}) },
  );
}
