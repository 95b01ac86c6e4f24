import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Updater } from 'tuf-js';
import { NoNetworkFetcher, NpmTufFetcher } from './tuf-fetcher.js';
import type { NpmFlatOptions } from './npm-config.js';

export interface TufClientOptions {
  mirrorUrl: string;
  // The folder holding every mirror's cache (a folder per mirror, named as @sigstore/tuf names it).
  cacheDir: string;
  // The root to start from when the mirror's cache has none (@sigstore/tuf's seeds.json).
  startingRoot?: Buffer;
  // npm's options for the fetches (proxy, CA, strict-ssl); none: cached metadata only.
  npm?: NpmFlatOptions;
  timeoutMs: number;
}

// Gets targets through a TUF repository, laid out and started as @sigstore/tuf's initTUF does
// (so earlier caches keep working), with tuf-js's public Updater and a fetcher over npm's agent.
// Without `npm`, only the cached timestamp, snapshot and targets metadata are used: tuf-js takes
// them when they verify against the cached root and have not expired.
export async function getTufTargets(options: TufClientOptions, names: readonly string[]): Promise<Buffer[]> {
  const url = new URL(options.mirrorUrl);
  const repoDir = join(options.cacheDir, encodeURIComponent(url.host + url.pathname.replace(/\/$/, '')));
  const targetDir = join(repoDir, 'targets');
  mkdirSync(targetDir, { recursive: true });
  const rootPath = join(repoDir, 'root.json');
  if (!existsSync(rootPath)) {
    if (options.startingRoot === undefined) throw new Error(`no TUF root for ${options.mirrorUrl}: expected ${rootPath}`);
    // Only the root: targets are taken once metadata signed under it vouches for them.
    writeFileSync(rootPath, options.startingRoot);
  }
  const mirror = options.mirrorUrl.replace(/\/$/, '');
  const fetcher = options.npm === undefined ? undefined : new NpmTufFetcher(options.npm, options.timeoutMs);
  const updater = new Updater({
    metadataBaseUrl: mirror,
    targetBaseUrl: `${mirror}/targets`,
    metadataDir: repoDir,
    targetDir,
    forceCache: fetcher === undefined,
    fetcher: fetcher ?? new NoNetworkFetcher(),
    // The roots published after the cached one, counted first (see countNewerRoots).
    config: { maxRootRotations: fetcher === undefined ? 0 : await countNewerRoots(fetcher, mirror, rootPath) },
  });
  await updater.refresh();
  return Promise.all(
    names.map(async (name) => {
      const info = await updater.getTargetInfo(name);
      if (info === undefined) throw new Error(`${options.mirrorUrl}: expected a target ${name}, found none`);
      return readFile((await updater.findCachedTarget(info)) ?? (await updater.downloadTarget(info)));
    }),
  );
}

// How many roots the mirror publishes after the cached one (N+1.root.json, … until a 403/404).
// tuf-js ends its root walk only on its own HTTP error class, which it does not export; told the
// count, it fetches and verifies exactly those roots and never reaches the 404. The count is not
// trusted: a mirror claiming more roots than it serves fails the refresh (fail closed), one
// claiming fewer is a mirror withholding a rotation, which TUF's expiry dates bound either way.
async function countNewerRoots(fetcher: NpmTufFetcher, mirror: string, rootPath: string): Promise<number> {
  const cached = JSON.parse(await readFile(rootPath, 'utf8')) as { signed?: { version?: unknown } };
  const version = cached.signed?.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) throw new Error(`${rootPath}: expected a TUF root with a version`);
  // tuf-js's own cap on rotations walked in one refresh.
  for (let count = 0; count < 256; count++) {
    const { status } = await fetcher.get(`${mirror}/${version + count + 1}.root.json`);
    if (status === 403 || status === 404) return count;
    if (status !== 200) throw new Error(`${mirror}/${version + count + 1}.root.json: expected HTTP 200 or 404, got ${status}`);
  }
  return 256;
}
