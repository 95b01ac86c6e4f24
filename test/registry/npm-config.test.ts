// The attestations registry as npm's configuration names it: the flag first, else .npmrc.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { ATTESTATIONS_REGISTRY_SETTING, loadNpmSettings } from '../../src/registry/npm-config.js';
import { makeTempDir } from '../support/fixture-project.js';

describe('the attestations registry setting', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const saved = { ...process.env };

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
  });
  // Only the project's .npmrc speaks; npm's loader exports what it read as npm_config_* into the
  // environment (for scripts), so each test starts from the environment as it was.
  beforeEach(() => {
    process.env = { ...saved, npm_config_userconfig: join(dir, 'no-user-npmrc'), npm_config_globalconfig: join(dir, 'no-global-npmrc') };
  });
  afterAll(async () => {
    process.env = saved;
    await cleanup();
  });

  const withNpmrc = async (text: string): Promise<string> => {
    await writeFile(join(dir, '.npmrc'), text);
    return dir;
  };

  it('is read from .npmrc, with a trailing slash; --attestations-registry wins over it', async () => {
    const project = await withNpmrc(`${ATTESTATIONS_REGISTRY_SETTING}=https://registry.npmjs.org\n`);
    expect((await loadNpmSettings(project)).attestationsRegistry).toBe('https://registry.npmjs.org/');
    expect((await loadNpmSettings(project, { attestationsRegistry: 'https://evidence.example/npm' })).attestationsRegistry).toBe('https://evidence.example/npm/');
  });

  it('is absent unless named', async () => {
    expect((await loadNpmSettings(await withNpmrc(''))).attestationsRegistry).toBeUndefined();
  });

  it.each([
    ['.npmrc', `${ATTESTATIONS_REGISTRY_SETTING}=ftp://registry.example/\n`, {}],
    ['the flag', '', { attestationsRegistry: 'not a url' }],
  ])('that is not an http(s) URL in %s is REGISTRY_URL_INVALID', async (_, npmrc, overrides) => {
    const error = await loadNpmSettings(await withNpmrc(npmrc), overrides).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('REGISTRY_URL_INVALID');
  });
});
