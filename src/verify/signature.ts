// Registry signatures: npm signs `${name}@${version}:${integrity}` with ECDSA P-256 / SHA-256
// and lists the result in dist.signatures as {keyid, sig (base64 DER)}.

import { verify, type KeyObject } from 'node:crypto';
import { isRecord, toBytesFromBase64 } from './encoding.js';
import { toFinding } from './findings.js';
import { isKeyValidAt, type RegistryKeyIndex } from './trust/registry-keys.js';
import type { Finding, RegistrySignatureFacts } from './types.js';

export interface PublishTime {
  value: Date;
  signed: boolean;
}

export interface RegistrySignatureInput {
  name: string;
  version: string;
  // The LOCKFILE's pinned integrity: a signature over the registry's claim would prove only that
  // the registry signed what it serves, not that it serves what the lockfile pinned.
  integrity: string | null;
  signatures: unknown;
  publishTime?: PublishTime;
  // True when the time is unknown because the publish attestation that carries it failed: that
  // attestation's own finding already fails the package, so a second finding for the same cause
  // (PUBLISH_TIME_UNKNOWN) would only mislead. The signature is still not verified.
  publishAttestationFailed?: boolean;
}

// Verifies every registry signature of a package version.
//
// Every signature listed must be by a known npm:signatures key, valid at the publish time, and
// verify. This is stricter than "one good signature is enough" and is what npm itself does
// (pacote's RegistryFetcher throws EMISSINGSIGNATUREKEY / EEXPIREDSIGNATUREKEY /
// EINTEGRITYSIGNATURE on the first signature that fails). A signature we cannot check means
// either tampering or trust material that is out of date; both call for a stop, not a pass.
export function verifyRegistrySignatures(
  input: RegistrySignatureInput,
  keys: RegistryKeyIndex,
): { facts: RegistrySignatureFacts; findings: Finding[] } {
  const { signatures } = input;
  if (signatures === undefined || (Array.isArray(signatures) && signatures.length === 0)) {
    return {
      facts: { status: 'missing', keyids: [] },
      findings: [toFinding('SIGNATURE_MISSING', `expected at least one registry signature for ${input.name}@${input.version}, got none`)],
    };
  }
  if (!Array.isArray(signatures) || !signatures.every((s) => isRecord(s) && typeof s.keyid === 'string' && typeof s.sig === 'string')) {
    return {
      facts: { status: 'failed', keyids: [] },
      findings: [toFinding('SIGNATURE_INVALID', 'expected dist.signatures to be an array of {keyid, sig} strings, got malformed data')],
    };
  }
  const entries = signatures as { keyid: string; sig: string }[];
  const keyids = entries.map((s) => s.keyid);
  const first = keyids[0];
  const facts = (status: RegistrySignatureFacts['status']): RegistrySignatureFacts =>
    first === undefined ? { status, keyids } : { status, keyid: first, keyids };

  // Without a pinned integrity there is no message to check; the integrity finding says why.
  if (input.integrity === null) {
    return { facts: facts('failed'), findings: [] };
  }
  const message = Buffer.from(`${input.name}@${input.version}:${input.integrity}`, 'utf8');
  const signingKeys = keys.get('npm:signatures');
  const findings: Finding[] = [];
  // A key with an end date judged at no time: never a verified signature, whatever else holds.
  let unjudged = false;
  for (const { keyid, sig } of entries) {
    const key = signingKeys?.get(keyid);
    if (key === undefined) {
      findings.push(toFinding('UNKNOWN_KEY', `expected a registry signature by a known npm:signatures key, got keyid ${keyid}`, { keyid }));
      continue;
    }
    // Only an end date makes the publish time decisive: a key that has expired must not vouch for
    // versions published after it expired. A start date alone is checked when a time is known,
    // but does not demand one (npm's current key starts in 2025 and has no end).
    if (key.validUntil !== undefined && input.publishTime === undefined) {
      unjudged = true;
      if (input.publishAttestationFailed !== true) {
        findings.push(
          toFinding('PUBLISH_TIME_UNKNOWN', `expected a publish time to judge key ${keyid} (valid ${describeWindow(key.validFrom, key.validUntil)}), got none`, { keyid }),
        );
      }
    } else if (input.publishTime !== undefined && !isKeyValidAt(key, input.publishTime.value)) {
      const at = input.publishTime.value.toISOString();
      findings.push(
        toFinding(
          'KEY_EXPIRED',
          `expected key ${keyid} to be valid at publish time ${at} (${input.publishTime.signed ? 'signed' : 'unsigned, from the packument'}), but it is valid ${describeWindow(key.validFrom, key.validUntil)}`,
          { keyid, publishTime: at, publishTimeSigned: input.publishTime.signed },
        ),
      );
    }
    const sigBytes = toBytesFromBase64(sig);
    if (sigBytes === undefined || !verifySafely(message, key.publicKey, sigBytes)) {
      findings.push(
        toFinding('SIGNATURE_INVALID', `expected a valid signature by ${keyid} over "${message.toString('utf8')}", got one that does not verify`, { keyid }),
      );
    }
  }
  return { facts: facts(findings.length === 0 && !unjudged ? 'verified' : 'failed'), findings };
}

// crypto.verify throws on some malformed DER signatures instead of returning false; either way
// the signature did not verify.
function verifySafely(message: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify('sha256', message, key, signature);
  } catch {
    return false;
  }
}

function describeWindow(from: Date | undefined, until: Date | undefined): string {
  return `from ${from?.toISOString() ?? 'the beginning'} until ${until?.toISOString() ?? 'no end'}`;
}
