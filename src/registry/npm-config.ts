import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Config from '@npmcli/config';
import { ConfigError } from '../errors.js';
import type { NpmReleaseAge } from '../types.js';
import { findNpmInstallDir } from './npm-install-dir.js';

const require = createRequire(import.meta.url);
const { definitions, flatten, shorthands } = require('@npmcli/config/lib/definitions') as {
  definitions: Record<string, unknown>;
  flatten: (obj: Record<string, unknown>, flat?: Record<string, unknown>) => Record<string, unknown>;
  shorthands: Record<string, unknown>;
};

// npm's flattened options, as npm hands them to npm-registry-fetch: registry, `@scope:registry`,
// `//host/:_authToken` and friends, cafile/ca, proxy, strict-ssl. Holds secrets: never print it.
export type NpmFlatOptions = Record<string, unknown> & { registry: string };

export interface NpmSettings {
  flat: NpmFlatOptions;
  // Where attestations are fetched from when a package's registry does not serve them
  // (--attestations-registry, else `verify-deps-attestations:registry` in .npmrc); with a slash.
  attestationsRegistry?: string;
  // npm's cache directory (`cache`), under which verify-deps keeps its own cache.
  npmCacheDir: string;
  // npm's release cooldown (`min-release-age`, `min-release-age-exclude`); absent when unset.
  releaseAge?: NpmReleaseAge;
}

// Reads npm's configuration exactly as npm does for this project (project, user and global
// .npmrc, npm_config_* environment), with `--registry` taking precedence over all of them.
export async function loadNpmSettings(projectDir: string, overrides: { registry?: string; attestationsRegistry?: string } = {}): Promise<NpmSettings> {
  const config = new Config({
    // npm's builtin config is <npm's folder>/npmrc. Without an npm found, @npmcli/config still
    // needs a folder: its own holds no npmrc, so no builtin config is read.
    npmPath: findNpmInstallDir({ env: process.env, execPath: process.execPath, platform: process.platform }) ?? dirname(require.resolve('@npmcli/config/package.json')),
    definitions,
    shorthands,
    flatten,
    // npm's own CLI flags are not ours: ours are parsed by the CLI, so npm sees none.
    argv: [process.execPath, 'verify-deps'],
    cwd: projectDir,
    env: process.env,
    execPath: process.execPath,
    platform: process.platform,
  } as ConstructorParameters<typeof Config>[0]);
  try {
    await config.load();
  } catch (cause) {
    throw new ConfigError('NPM_CONFIG_INVALID', `npm configuration cannot be loaded: ${(cause as Error).message.split('\n')[0]}`, {
      hint: 'Check the .npmrc files npm reads (`npm config ls -l`).',
    }, cause);
  }
  if (overrides.registry !== undefined) {
    assertRegistryUrl(overrides.registry, '--registry');
    config.set('registry', overrides.registry, 'cli');
  }
  const flat = { ...config.flat } as NpmFlatOptions;
  assertRegistryUrl(flat.registry, 'registry');
  const attestationsRegistry = getAttestationsRegistry(config, overrides.attestationsRegistry);
  const releaseAge = getReleaseAge(config, flat);
  return {
    flat,
    ...(attestationsRegistry === undefined ? {} : { attestationsRegistry }),
    ...(releaseAge === undefined ? {} : { releaseAge }),
    npmCacheDir: String(config.get('cache') ?? join(process.env.HOME ?? '.', '.npm')),
  };
}

// Checks that a registry setting is an http(s) URL (REGISTRY_URL_INVALID names the setting).
export function assertRegistryUrl(value: unknown, field: string): void {
  let url: URL | null = null;
  try {
    url = new URL(String(value));
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigError('REGISTRY_URL_INVALID', `${field}: expected an http(s) URL, got ${JSON.stringify(value)}`, { field });
  }
}

// The .npmrc setting naming the attestations registry. Shaped like `@scope:registry` because npm
// warns about every unknown setting ("Unknown project config") on each command except those
// ending in `:registry`; npm itself reads it as nothing (only `@scope:registry` names a registry).
export const ATTESTATIONS_REGISTRY_SETTING = 'verify-deps-attestations:registry';

function getAttestationsRegistry(config: Config, flag: string | undefined): string | undefined {
  if (flag !== undefined) {
    assertRegistryUrl(flag, '--attestations-registry');
    return withTrailingSlash(flag);
  }
  const value = config.get(ATTESTATIONS_REGISTRY_SETTING);
  if (value === undefined || value === null || value === '') return undefined;
  assertRegistryUrl(value, ATTESTATIONS_REGISTRY_SETTING);
  return withTrailingSlash(String(value));
}

// A registry URL as npm joins paths to it: with one trailing slash.
export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

// npm's `min-release-age` (days; npm 11 defines it) and the exemptions npm flattens from
// `min-release-age-exclude` (names or minimatch globs, comma lists split). A value npm would not
// read as a number of days is an error: a cooldown silently dropped would let every release in.
function getReleaseAge(config: Config, flat: NpmFlatOptions): NpmReleaseAge | undefined {
  const value = config.get('min-release-age');
  if (value === undefined || value === null || value === '') return undefined;
  const days = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(days) || days < 0) {
    throw new ConfigError('NPM_CONFIG_INVALID', `min-release-age: expected a number of days, got ${JSON.stringify(value)}`, {
      hint: 'Check the .npmrc files npm reads (`npm config get min-release-age`).',
    });
  }
  const exclude = Array.isArray(flat.minReleaseAgeExclude) ? flat.minReleaseAgeExclude.map(String) : [];
  return { days, exclude };
}
