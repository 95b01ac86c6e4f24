// The attestations registry as npm's configuration names it: the flag first, else .npmrc.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { ATTESTATIONS_REGISTRY_SETTING, loadNpmSettings } from '../../src/registry/npm-config.js';
import { makeTempDir } from '../support/fixture-project.js';
import { NPMJS_REGISTRY } from '../support/public-urls.js';

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
    const project = await withNpmrc(`${ATTESTATIONS_REGISTRY_SETTING}=${NPMJS_REGISTRY}\n`);
    expect((await loadNpmSettings(project)).attestationsRegistry).toBe(`${NPMJS_REGISTRY}/`);
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

// npm's builtin config (<npm's folder>/npmrc) is read as npm reads it: below every .npmrc.
describe("npm's builtin config", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const saved = { ...process.env };

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
  });
  afterAll(async () => {
    process.env = saved;
    await cleanup();
  });

  it("is read from the folder of the npm that runs us (npm_execpath)", async () => {
    const npm = join(dir, 'npm');
    await mkdir(join(npm, 'bin'), { recursive: true });
    await writeFile(join(npm, 'package.json'), JSON.stringify({ name: 'npm', version: '11.0.0' }));
    await writeFile(join(npm, 'npmrc'), 'registry=https://builtin.example/npm/\n');
    const project = join(dir, 'project');
    await mkdir(project);
    // npm's loader exports what it read as npm_config_*: each load starts from a clean environment.
    const load = async () => {
      process.env = { ...saved, npm_config_userconfig: join(dir, 'no-user-npmrc'), npm_config_globalconfig: join(dir, 'no-global-npmrc'), npm_execpath: join(npm, 'bin', 'npm-cli.js') };
      delete process.env.npm_config_registry;
      delete process.env.NPM_CONFIG_REGISTRY;
      return (await loadNpmSettings(project)).flat.registry;
    };
    expect(await load()).toBe('https://builtin.example/npm/');
    await writeFile(join(project, '.npmrc'), 'registry=https://project.example/\n');
    expect(await load()).toBe('https://project.example/');
  });
});

// npm's release cooldown, as npm 11 reads it: `min-release-age` in days, and the names or globs
// of `min-release-age-exclude` (each line of the list, comma lists split).
describe("npm's release cooldown", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const saved = { ...process.env };

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
  });
  beforeEach(() => {
    process.env = { ...saved, npm_config_userconfig: join(dir, 'no-user-npmrc'), npm_config_globalconfig: join(dir, 'no-global-npmrc') };
    delete process.env.npm_config_min_release_age;
    delete process.env.npm_config_min_release_age_exclude;
  });
  afterAll(async () => {
    process.env = saved;
    await cleanup();
  });

  const withNpmrc = async (text: string): Promise<string> => {
    await writeFile(join(dir, '.npmrc'), text);
    return dir;
  };

  it('is read from .npmrc with its exclusions', async () => {
    const project = await withNpmrc('min-release-age=3\nmin-release-age-exclude[]=@corp/*\nmin-release-age-exclude[]=one,two\n');
    expect((await loadNpmSettings(project)).releaseAge).toEqual({ days: 3, exclude: ['@corp/*', 'one', 'two'] });
  });

  it('is read from the environment, as npm reads npm_config_min_release_age', async () => {
    process.env.npm_config_min_release_age = '1.5';
    expect((await loadNpmSettings(await withNpmrc(''))).releaseAge).toEqual({ days: 1.5, exclude: [] });
  });

  it('is absent unless set', async () => {
    expect((await loadNpmSettings(await withNpmrc(''))).releaseAge).toBeUndefined();
  });

  it('a negative number of days is NPM_CONFIG_INVALID: a cooldown dropped silently would let every release in', async () => {
    const error = await loadNpmSettings(await withNpmrc('min-release-age=-2\n')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('NPM_CONFIG_INVALID');
  });
});
