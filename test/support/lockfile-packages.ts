// Lists a lockfile's packages for scenario building, through the project's own walker.
import { walkTree } from '../../src/walk/index.js';
import type { OmitType, PackageRef } from '../../src/types.js';

// A lockfile package with a sha512 integrity (one that can carry signatures / provenance).
export type SignablePackage = PackageRef & { integrity: string };

// The lockfile's packages (src/walk `walkTree`).
export async function listLockfilePackages(dir: string, omit: OmitType[] = []): Promise<PackageRef[]> {
  return (await walkTree(dir, { omit })).packages;
}

// Distinct registry packages with a sha512 integrity, not shipped inside another tarball.
export function signablePackages(packages: PackageRef[]): SignablePackage[] {
  const seen = new Map<string, SignablePackage>();
  for (const p of packages) {
    if (p.source !== 'registry' || p.bundled || !p.integrity?.includes('sha512-')) continue;
    const key = `${p.name}@${p.version}`;
    if (!seen.has(key)) seen.set(key, { ...p, integrity: p.integrity });
  }
  return [...seen.values()];
}
