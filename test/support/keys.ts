// Key helpers shared by the test PKI: EC key generation, encodings and signing.
import crypto, { type KeyObject } from 'node:crypto';

// An EC key pair with its public key in the encodings the Sigstore / npm formats use.
export interface EcKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  // SubjectPublicKeyInfo DER.
  spki: Buffer;
  curve: 'P-256' | 'P-384';
}

// Generates a fresh ECDSA key (P-256 for signers and logs, P-384 for CA roots as Fulcio uses).
export function generateEcKey(curve: 'P-256' | 'P-384' = 'P-256'): EcKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: curve });
  return { privateKey, publicKey, spki: publicKey.export({ format: 'der', type: 'spki' }), curve };
}

// Hash that pairs with the key's curve (SHA-256 for P-256, SHA-384 for P-384).
export const hashFor = (key: EcKey): 'sha256' | 'sha384' => (key.curve === 'P-384' ? 'sha384' : 'sha256');

// DER ECDSA signature over data with the key's paired hash (or the one given).
export function signDer(key: EcKey, data: Buffer, hash: string = hashFor(key)): Buffer {
  return crypto.sign(hash, data, key.privateKey);
}

// PEM text of the public key (Rekor bodies carry base64 of this).
export const publicKeyPem = (key: EcKey): string =>
  key.publicKey.export({ format: 'pem', type: 'spki' }).toString();

// PEM text of a DER certificate.
export function certificatePem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

// Rekor / CT log id: SHA-256 of the log key's SPKI DER.
export const logIdOf = (key: EcKey): Buffer => crypto.createHash('sha256').update(key.spki).digest();

// npm registry keyid: the OpenSSH SHA256 fingerprint of the key, `SHA256:` + unpadded base64 of
// sha256(ssh wire blob). This is what registry.npmjs.org publishes (checked against the real
// test/fixtures/trusted-root/keys.json); it is NOT a hash of the SPKI DER.
export function npmKeyId(key: EcKey): string {
  if (key.curve !== 'P-256') throw new Error('npm registry keys are ecdsa-sha2-nistp256');
  const point = key.spki.subarray(key.spki.length - 65); // uncompressed EC point
  const sshString = (b: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const blob = Buffer.concat([
    sshString(Buffer.from('ecdsa-sha2-nistp256')),
    sshString(Buffer.from('nistp256')),
    sshString(point),
  ]);
  const digest = crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return `SHA256:${digest}`;
}

// Node KeyObject from base64 SPKI DER (the `rawBytes` / npm `key` encoding).
export const publicKeyFromBase64Spki = (b64: string): KeyObject =>
  crypto.createPublicKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki' });
