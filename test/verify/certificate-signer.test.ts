// The signer facts read from a Fulcio certificate: every known extension under its name, the
// 2023 (UTF8String) ones only when they decode as such, the pre-2023 issuer as a fallback, and
// nothing from extensions outside Fulcio's arc. Certificates are built here extension by extension.

import { X509Certificate } from '@sigstore/core';
import { describe, expect, it } from 'vitest';
import { getCertificateSigner } from '../../src/verify/attestation/identity.js';
import * as der from '../support/der.js';
import { FULCIO_OID, fulcioExtensions, githubActionsIdentity, gitlabCiIdentity } from '../support/identity.js';
import { generateEcKey } from '../support/keys.js';
import { buildCertificate, rawExtension, subjectAltName, utf8Extension, type CertExtension } from '../support/x509.js';

const KEY = generateEcKey('P-256');
const NAME = der.name([[der.OID.commonName, 'test']]);

const NOT_BEFORE = new Date('2026-01-01T00:00:00Z');
const NOT_AFTER = new Date('2026-01-01T00:10:00Z');

function certificate(extensions: CertExtension[]): X509Certificate {
  const bytes = buildCertificate({ serial: 1n, issuer: NAME, subject: der.sequence(), notBefore: NOT_BEFORE, notAfter: NOT_AFTER, subjectKey: KEY, issuerKey: KEY, extensions });
  return X509Certificate.parse(Buffer.from(bytes));
}

// A certificate whose extension list holds these DER items as they are (an extension need not be
// well formed); its signature is not checked here, so it is zeros.
function certificateWithRawExtensions(extensions: Buffer[]): X509Certificate {
  const algorithm = der.sequence(der.oid(der.OID.ecdsaWithSha256));
  const tbs = der.sequence(
    der.explicit(0, der.integer(2)),
    der.integer(1n),
    algorithm,
    NAME,
    der.sequence(der.x509Time(NOT_BEFORE), der.x509Time(NOT_AFTER)),
    der.sequence(),
    KEY.spki,
    der.explicit(3, der.sequence(...extensions)),
  );
  return X509Certificate.parse(Buffer.from(der.sequence(tbs, algorithm, der.bitString(Buffer.alloc(8)))));
}

const extension = (ext: CertExtension): Buffer => der.sequence(der.oid(ext.oid), der.octetString(ext.value));

const GITHUB = githubActionsIdentity();

describe('getCertificateSigner', () => {
  it('reads the SAN, the issuer and every Fulcio extension of a GitHub Actions certificate', () => {
    const signer = getCertificateSigner(certificate([subjectAltName(GITHUB.san), ...fulcioExtensions(GITHUB)]));
    expect(signer).toStrictEqual({
      kind: 'certificate',
      issuer: GITHUB.issuer,
      subjectAlternativeName: GITHUB.san,
      extensions: {
        githubWorkflowTrigger: GITHUB.trigger,
        githubWorkflowSHA: GITHUB.sha,
        githubWorkflowName: 'release',
        githubWorkflowRepository: GITHUB.repositoryPath,
        githubWorkflowRef: GITHUB.ref,
        issuer: GITHUB.issuer,
        buildSignerURI: GITHUB.san,
        buildSignerDigest: GITHUB.sha,
        runnerEnvironment: GITHUB.runnerEnvironment,
        sourceRepositoryURI: GITHUB.repositoryUri,
        sourceRepositoryDigest: GITHUB.sha,
        sourceRepositoryRef: GITHUB.ref,
        sourceRepositoryIdentifier: '123456789',
        sourceRepositoryOwnerURI: 'https://github.com/verify-deps-test',
        sourceRepositoryOwnerIdentifier: '987654321',
        buildConfigURI: GITHUB.san,
        buildConfigDigest: GITHUB.sha,
        buildTrigger: GITHUB.trigger,
        runInvocationURI: GITHUB.runInvocationUri,
        sourceRepositoryVisibilityAtSigning: 'public',
      },
    });
  });

  it('a certificate from before 2023: the deprecated issuer is the issuer, in the facts and in the extensions', () => {
    const signer = getCertificateSigner(certificate([rawExtension(FULCIO_OID.issuerV1, GITHUB.issuer), rawExtension(FULCIO_OID.githubWorkflowRef, GITHUB.ref)]));
    expect(signer).toStrictEqual({ kind: 'certificate', issuer: GITHUB.issuer, extensions: { issuer: GITHUB.issuer, githubWorkflowRef: GITHUB.ref } });
  });

  it('the 2023 issuer wins over the deprecated one, whichever comes first', () => {
    const v2 = utf8Extension(FULCIO_OID.issuer, 'https://v2.example');
    const v1 = rawExtension(FULCIO_OID.issuerV1, 'https://v1.example');
    for (const order of [[v1, v2], [v2, v1]]) {
      const signer = getCertificateSigner(certificate(order));
      expect(signer).toStrictEqual({ kind: 'certificate', issuer: 'https://v2.example', extensions: { issuer: 'https://v2.example' } });
    }
  });

  it('a certificate with no issuer and no SAN has neither, not an undefined one', () => {
    const signer = getCertificateSigner(certificate([utf8Extension(FULCIO_OID.sourceRepositoryRef, 'refs/heads/main')]));
    expect(signer).toStrictEqual({ kind: 'certificate', extensions: { sourceRepositoryRef: 'refs/heads/main' } });
    expect(Object.keys(signer)).toEqual(['kind', 'extensions']);
  });

  it('a GitLab certificate carries no deprecated GitHub extensions', () => {
    const gitlab = gitlabCiIdentity();
    const signer = getCertificateSigner(certificate([subjectAltName(gitlab.san), ...fulcioExtensions(gitlab)]));
    expect(signer).toMatchObject({ kind: 'certificate', issuer: 'https://gitlab.com', subjectAlternativeName: gitlab.san });
    expect(Object.keys(signer.kind === 'certificate' ? signer.extensions : {})).not.toContain('githubWorkflowRef');
  });

  it.each([
    ['raw bytes, not DER', Buffer.from('refs/heads/main', 'utf8')],
    ['a PrintableString', der.printableString('refs/heads/main')],
    ['an IA5String', der.ia5String('refs/heads/main')],
    ['a context-specific tag numbered like a UTF8String', der.tlv(0x8c, Buffer.from('refs/heads/main', 'utf8'))],
    ['a constructed UTF8String', der.tlv(0x2c, der.utf8String('refs/heads/main'))],
  ])('a 2023 extension whose value is %s is left out, not guessed at', (_label, value) => {
    const signer = getCertificateSigner(certificate([{ oid: FULCIO_OID.sourceRepositoryRef, value }, utf8Extension(FULCIO_OID.buildTrigger, 'push')]));
    expect(signer).toStrictEqual({ kind: 'certificate', extensions: { buildTrigger: 'push' } });
  });

  it('a 2023 issuer that does not decode is left out, and the deprecated one is used', () => {
    const signer = getCertificateSigner(
      certificate([{ oid: FULCIO_OID.issuer, value: Buffer.from('https://v2.example', 'utf8') }, rawExtension(FULCIO_OID.issuerV1, 'https://v1.example')]),
    );
    expect(signer).toStrictEqual({ kind: 'certificate', issuer: 'https://v1.example', extensions: { issuer: 'https://v1.example' } });
  });

  it('extensions outside the Fulcio arc, or of an arc it does not define, are ignored', () => {
    const signer = getCertificateSigner(
      certificate([
        utf8Extension('1.3.6.1.4.1.57264.2.8', 'https://not-fulcio.example'),
        utf8Extension('1.3.6.1.4.1.57265.1.8', 'https://not-fulcio.example'),
        rawExtension('1.3.6.1.4.1.57264.1.7', 'arc 7'),
        utf8Extension('1.3.6.1.4.1.57264.1.23', 'arc 23'),
        utf8Extension('1.3.6.1.4.1.57264.1.8.1', 'below arc 8'),
        utf8Extension('2.5.29.99', 'https://not-fulcio.example'),
      ]),
    );
    expect(signer).toStrictEqual({ kind: 'certificate', extensions: {} });
  });

  it('an extension without an OID is skipped, not thrown on', () => {
    // Placed after the SAN and the Fulcio extension, which @sigstore/core's lookup finds first.
    const cert = certificateWithRawExtensions([extension(subjectAltName(GITHUB.san)), extension(utf8Extension(FULCIO_OID.buildTrigger, 'push')), der.sequence()]);
    expect(getCertificateSigner(cert)).toStrictEqual({ kind: 'certificate', subjectAlternativeName: GITHUB.san, extensions: { buildTrigger: 'push' } });
  });
});

describe('getCertificateSigner: extensions with one OID', () => {
  it('reads the first of two extensions with the same OID, as @sigstore/core\'s lookup by OID does', () => {
    const cert = certificateWithRawExtensions([extension(utf8Extension(FULCIO_OID.buildTrigger, 'push')), extension(utf8Extension(FULCIO_OID.buildTrigger, 'workflow_dispatch'))]);
    expect(getCertificateSigner(cert)).toStrictEqual({ kind: 'certificate', extensions: { buildTrigger: 'push' } });
    expect(cert.extension(FULCIO_OID.buildTrigger)?.value.equals(utf8Extension(FULCIO_OID.buildTrigger, 'push').value)).toBe(true);
  });
});
