// getVsaInputs: the lockfile's URI is its address in the repository at the commit when the CI job
// says which (and the lockfile is inside the checkout), else a file: URI; the policy's URI is its
// file with the sha256 of exactly its bytes.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getVsaInputs } from '../../src/report/vsa-inputs.js';

const POLICY_TEXT = '{ "enforcement": "strict" }\n';
const policy = { path: '/work/app/verify-deps.policy.json', text: POLICY_TEXT };
const inputs = (env: Record<string, string>, projectDir = '/work/app', lockfilePath = 'package-lock.json') => getVsaInputs({ projectDir, lockfilePath, policy, env });
const GITHUB = { GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.example', GITHUB_REPOSITORY: 'acme/app', GITHUB_SHA: 'f'.repeat(40), GITHUB_WORKSPACE: '/work' };

describe('getVsaInputs', () => {
  it('outside CI: file: URIs of the absolute paths, the policy digest of its raw bytes', () => {
    expect(inputs({})).toEqual({
      lockfileName: 'package-lock.json',
      resourceUri: 'file:///work/app/package-lock.json',
      policy: { uri: 'file:///work/app/verify-deps.policy.json', sha256: createHash('sha256').update(Buffer.from(POLICY_TEXT)).digest('hex') },
    });
  });

  it('a workspace\'s folder names the root lockfile it reads', () => {
    expect(inputs({}, '/work/app/packages/lib', '../../package-lock.json').resourceUri).toBe('file:///work/app/package-lock.json');
  });

  it('GitHub Actions: the lockfile in the repository at the commit', () => {
    expect(inputs(GITHUB).resourceUri).toBe(`https://github.example/acme/app/blob/${'f'.repeat(40)}/app/package-lock.json`);
  });

  it('GitLab CI: the lockfile in the project at the commit', () => {
    const env = { GITLAB_CI: 'true', CI_PROJECT_URL: 'https://gitlab.example/acme/app', CI_COMMIT_SHA: 'e'.repeat(40), CI_PROJECT_DIR: '/work/app' };
    expect(inputs(env).resourceUri).toBe(`https://gitlab.example/acme/app/-/blob/${'e'.repeat(40)}/package-lock.json`);
  });

  it('a lockfile outside the checkout, or a job that does not say the commit, gets a file: URI', () => {
    expect(inputs({ ...GITHUB, GITHUB_WORKSPACE: '/elsewhere' }).resourceUri).toBe('file:///work/app/package-lock.json');
    expect(inputs({ ...GITHUB, GITHUB_SHA: '' }).resourceUri).toBe('file:///work/app/package-lock.json');
  });

  it('path characters are URL-encoded', () => {
    expect(inputs({}, '/work/my app').resourceUri).toBe('file:///work/my%20app/package-lock.json');
    expect(inputs(GITHUB, '/work/my app#1').resourceUri).toBe(`https://github.example/acme/app/blob/${'f'.repeat(40)}/my%20app%231/package-lock.json`);
  });
});
