// The verify-bundle command line: FILE_OR_DIGEST detection, exit codes, the one stderr line,
// --json, the friendly signer forms, and strict reading of the files it is given.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseVerifyBundleArgs, resolveArtifactArgument } from '../../src/cli/commands/verify-bundle.js';
import { runCli } from '../support/run-cli.js';
import { CASES, SAMPLE_DIR } from './_cases.js';

const HAPPY = CASES.find((c) => c.case === 'happy-path-v0.3')!;
const DSSE_CUSTOM = CASES.find((c) => c.case === 'intoto-with-custom-trust-root')!;
const SAN = HAPPY.identity!;
const ISSUER = HAPPY.issuer!;
const BUNDLE = join(SAMPLE_DIR, HAPPY.bundle);
const ARTIFACT = join(SAMPLE_DIR, HAPPY.artifactOrDigest);
const ZERO_DIGEST = `sha256:${'0'.repeat(64)}`;
const tmp = mkdtempSync(join(tmpdir(), 'verify-bundle-'));

function identityArgs(san = SAN, issuer = ISSUER): string[] {
  return ['--certificate-identity', san, '--certificate-oidc-issuer', issuer];
}

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('FILE_OR_DIGEST', () => {
  test('sha256: + 64 hex that names no file is a digest (either case of hex)', async () => {
    expect(await resolveArtifactArgument(join(tmp, 'nothing'))).toEqual({ path: join(tmp, 'nothing') });
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      expect(await resolveArtifactArgument(ZERO_DIGEST)).toEqual({ sha256Hex: '0'.repeat(64) });
      expect(await resolveArtifactArgument(`sha256:${'AB'.repeat(32)}`)).toEqual({ sha256Hex: 'ab'.repeat(32) });
      // Anything else is a path, even when it looks almost like a digest.
      expect(await resolveArtifactArgument(`sha256:${'0'.repeat(63)}`)).toEqual({ path: `sha256:${'0'.repeat(63)}` });
      expect(await resolveArtifactArgument(`sha512:${'0'.repeat(64)}`)).toEqual({ path: `sha512:${'0'.repeat(64)}` });
      // A file of that exact name wins: it is read, not taken for a digest.
      writeFileSync(join(tmp, ZERO_DIGEST), 'x');
      expect(await resolveArtifactArgument(ZERO_DIGEST)).toEqual({ path: ZERO_DIGEST });
    } finally {
      process.chdir(cwd);
    }
  });

  test('through the CLI: a file named like a digest is verified by its content', async () => {
    const dir = join(tmp, 'cwd');
    mkdirSync(dir);
    const asDigest = await runCli(['verify-bundle', '--bundle', BUNDLE, ...identityArgs(), ZERO_DIGEST], { cwd: dir });
    expect(asDigest.code).toBe(1);
    expect(lines(asDigest.stderr)).toEqual([expect.stringMatching(/^verify-deps verify-bundle: SUBJECT_DIGEST_MISMATCH: /)]);
    copyFileSync(ARTIFACT, join(dir, ZERO_DIGEST));
    const asPath = await runCli(['verify-bundle', '--bundle', BUNDLE, ...identityArgs(), ZERO_DIGEST], { cwd: dir });
    expect(asPath.code, asPath.stderr).toBe(0);
  });

  test('a path that cannot be read is bad input (2), not a verification failure', async () => {
    const run = await runCli(['verify-bundle', '--bundle', BUNDLE, ...identityArgs(), join(tmp, 'missing.txt')]);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^verify-deps: error ARTIFACT_UNREADABLE: /)]);
  });
});

describe('verify-bundle command line', () => {
  test('--json prints the verdict and the signer', async () => {
    const pass = await runCli(['verify-bundle', '--bundle', BUNDLE, ...identityArgs(), '--json', ARTIFACT]);
    expect(pass.code).toBe(0);
    expect(JSON.parse(pass.stdout)).toMatchObject({ verified: true, signer: { kind: 'certificate', subjectAlternativeName: SAN, issuer: ISSUER } });
    const fail = await runCli(['verify-bundle', '--bundle', BUNDLE, ...identityArgs(SAN.slice(0, -4)), '--json', ARTIFACT]);
    expect(fail.code).toBe(1);
    expect(JSON.parse(fail.stdout)).toMatchObject({ verified: false, code: 'UNEXPECTED_SIGNER', message: expect.any(String) });
    expect(lines(fail.stderr)).toEqual([expect.stringMatching(/^verify-deps verify-bundle: UNEXPECTED_SIGNER: /)]);
  });

  test('the github preset and an anchored regexp verify; an unanchored regexp warns', async () => {
    const github = ['--github-repo', 'sigstore-conformance/extremely-dangerous-public-oidc-beacon', '--github-workflow', '.github/workflows/extremely-dangerous-oidc-beacon.yml', '--github-ref', 'refs/heads/main'];
    expect((await runCli(['verify-bundle', '--bundle', BUNDLE, ...github, ARTIFACT])).code).toBe(0);
    const anchored = await runCli(['verify-bundle', '--bundle', BUNDLE, '--certificate-identity-regexp', '^https://github\\.com/sigstore-conformance/.*$', '--certificate-oidc-issuer', ISSUER, ARTIFACT]);
    expect(anchored.code).toBe(0);
    expect(anchored.stderr).not.toMatch(/warning/);
    const loose = await runCli(['verify-bundle', '--bundle', BUNDLE, '--certificate-identity-regexp', 'sigstore-conformance', '--certificate-oidc-issuer', ISSUER, ARTIFACT]);
    expect(loose.code).toBe(0);
    expect(loose.stderr).toMatch(/warning: --certificate-identity-regexp: unanchored pattern is substring-matched/);
  });

  test.each([
    ['no signer', ['--bundle', BUNDLE, ARTIFACT], 'USAGE'],
    ['two signers', ['--bundle', BUNDLE, ...identityArgs(), '--key', 'k.pub', ARTIFACT], 'USAGE'],
    ['an identity without issuer', ['--bundle', BUNDLE, '--certificate-identity', SAN, ARTIFACT], 'USAGE'],
    ['an incomplete github preset', ['--bundle', BUNDLE, '--github-repo', 'o/r', ARTIFACT], 'USAGE'],
    ['no artifact', ['--bundle', BUNDLE, ...identityArgs()], 'USAGE'],
    ['two artifacts', ['--bundle', BUNDLE, ...identityArgs(), ARTIFACT, ARTIFACT], 'USAGE'],
    ['no bundle', [...identityArgs(), ARTIFACT], 'USAGE'],
    ['a repeated flag', ['--bundle', BUNDLE, '--bundle', BUNDLE, ...identityArgs(), ARTIFACT], 'INVALID_OPTION'],
    ['an unknown flag', ['--bundle', BUNDLE, ...identityArgs(), '--offline', ARTIFACT], 'UNKNOWN_OPTION'],
    ['an invalid regexp', ['--bundle', BUNDLE, '--certificate-identity-regexp', '(', '--certificate-oidc-issuer', ISSUER, ARTIFACT], 'INVALID_OPTION'],
  ])('%s is a usage error', (_label, args, code) => {
    expect(() => parseVerifyBundleArgs(args)).toThrow(expect.objectContaining({ code, exitCode: 2 }));
  });

  test('usage errors exit 2 with one line', async () => {
    const run = await runCli(['verify-bundle', '--bundle', BUNDLE, ARTIFACT]);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^verify-deps: error USAGE: verify-bundle: expected exactly one signer/)]);
  });

  test('a bundle that is not JSON, and a key that is not a key, are bad input', async () => {
    const notJson = join(tmp, 'bundle.txt');
    writeFileSync(notJson, 'not json');
    const bundleRun = await runCli(['verify-bundle', '--bundle', notJson, ...identityArgs(), ARTIFACT]);
    expect([bundleRun.code, lines(bundleRun.stderr)]).toEqual([2, [expect.stringMatching(/error BUNDLE_UNPARSEABLE: /)]]);
    const keyRun = await runCli(['verify-bundle', '--bundle', BUNDLE, '--key', notJson, ARTIFACT]);
    expect([keyRun.code, lines(keyRun.stderr)]).toEqual([2, [expect.stringMatching(/error KEY_INVALID: /)]]);
  });

  test('the trusted root is read strictly: a CA without validFor.start is refused (exit 2)', async () => {
    const root = JSON.parse(readFileSync(join(SAMPLE_DIR, DSSE_CUSTOM.trustedRoot), 'utf8'));
    delete root.certificateAuthorities[0].validFor.start;
    const rootFile = join(tmp, 'root-without-start.json');
    writeFileSync(rootFile, JSON.stringify(root));
    const args = ['verify-bundle', '--bundle', join(SAMPLE_DIR, DSSE_CUSTOM.bundle), ...identityArgs(DSSE_CUSTOM.identity!, DSSE_CUSTOM.issuer!)];
    expect((await runCli([...args, '--trusted-root', join(SAMPLE_DIR, DSSE_CUSTOM.trustedRoot), join(SAMPLE_DIR, DSSE_CUSTOM.artifactOrDigest)])).code).toBe(0);
    const run = await runCli([...args, '--trusted-root', rootFile, join(SAMPLE_DIR, DSSE_CUSTOM.artifactOrDigest)]);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/error TRUSTED_ROOT_INVALID: .*certificateAuthorities\[0\]\.validFor\.start/)]);
  });

  test('--help names the command', async () => {
    const run = await runCli(['verify-bundle', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/verify-deps verify-bundle --bundle/);
    expect(run.stdout).toMatch(/--certificate-identity-regexp/);
  });
});
