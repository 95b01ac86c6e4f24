import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LockfilePackage {
  name: string;
  version: string;
  integrity: string;
  // Install under this name (an npm: alias), so several versions of one package fit in one tree.
  installAs?: string;
  // The lockfile's `resolved` URL; default none (the package comes from the configured registry).
  // The policy's registry host is this URL's host, wherever evidence is fetched from.
  resolved?: string;
  // The lockfile marks it as having install scripts.
  hasInstallScript?: boolean;
}

// Writes package.json and a lockfileVersion 3 package-lock.json installing exactly these
// packages, with no `resolved` (as npm writes with omit-lockfile-registry-resolved) unless a package
// sets one; either way the packages are fetched from whichever registry the run is pointed at.
// `packageJson` adds fields to package.json only (allowScripts, say).
export async function writeLockfileProject(dir: string, packages: readonly LockfilePackage[], packageJson: Record<string, unknown> = {}): Promise<void> {
  const dependencies: Record<string, string> = {};
  const entries: Record<string, Record<string, unknown>> = {};
  for (const pkg of packages) {
    const installName = pkg.installAs ?? pkg.name;
    dependencies[installName] = pkg.installAs ? `npm:${pkg.name}@${pkg.version}` : pkg.version;
    entries[`node_modules/${installName}`] = {
      ...(pkg.installAs ? { name: pkg.name } : {}),
      version: pkg.version,
      ...(pkg.resolved === undefined ? {} : { resolved: pkg.resolved }),
      integrity: pkg.integrity,
      ...(pkg.hasInstallScript ? { hasInstallScript: true } : {}),
    };
  }
  const root = { name: 'fixture-app', version: '1.0.0', dependencies };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ ...root, ...packageJson }, null, 2)}\n`);
  const lockfile = { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: { '': root, ...entries } };
  await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
}
