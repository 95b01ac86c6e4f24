// Builds the JSON documents npm's registry serves (full and abbreviated packuments, version
// manifests) from scenario packages, with dist.tarball / dist.attestations pointing at baseUrl.
import crypto from 'node:crypto';
import { SLSA_PROVENANCE_V1 } from './attestations.js';
import type { ScenarioPackage } from './scenario-types.js';

// Path segment of a package name as npm puts it in URLs (`@scope%2fname`).
export const encodePackageName = (name: string): string => name.replace('/', '%2f');

// Tarball file name npm uses: `name-1.0.0.tgz` (scope dropped).
export const tarballFileName = (name: string, version: string): string =>
  `${name.startsWith('@') ? name.split('/')[1] : name}-${version}.tgz`;

// Tarball URL for a package on the registry at baseUrl.
export const tarballUrl = (baseUrl: string, name: string, version: string): string =>
  `${baseUrl}/${name}/-/${tarballFileName(name, version)}`;

// Attestations URL for a package on the registry at baseUrl.
export const attestationsUrl = (baseUrl: string, name: string, version: string): string =>
  `${baseUrl}/-/npm/v1/attestations/${encodePackageName(name)}@${version}`;

const versionKey = (v: string): number[] => v.split(/[.+-]/).slice(0, 3).map((p) => Number.parseInt(p, 10) || 0);

// Compares versions by major.minor.patch (enough for picking dist-tags.latest in fixtures).
export function compareVersions(a: string, b: string): number {
  const [x, y] = [versionKey(a), versionKey(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

// The `dist` object of a version manifest.
export function distOf(pkg: ScenarioPackage, baseUrl: string): Record<string, unknown> {
  const dist: Record<string, unknown> = {
    integrity: pkg.integrity,
    tarball: tarballUrl(baseUrl, pkg.name, pkg.version),
  };
  if (pkg.tarball) dist.shasum = crypto.createHash('sha1').update(pkg.tarball).digest('hex');
  if (pkg.signatures && pkg.signatures.length > 0) dist.signatures = pkg.signatures;
  const atts = pkg.attestations?.attestations;
  if (atts && atts.length > 0) {
    const provenance = atts.find((a) => a.predicateType.startsWith('https://slsa.dev/provenance/'));
    dist.attestations = {
      url: attestationsUrl(baseUrl, pkg.name, pkg.version),
      provenance: { predicateType: provenance?.predicateType ?? SLSA_PROVENANCE_V1 },
    };
  }
  return dist;
}

// Full version manifest (`/{name}/{version}` and entries of the full packument).
export const versionManifest = (pkg: ScenarioPackage, baseUrl: string): Record<string, unknown> => ({
  name: pkg.name,
  version: pkg.version,
  _id: `${pkg.name}@${pkg.version}`,
  ...pkg.manifest,
  dist: distOf(pkg, baseUrl),
});

const latestOf = (versions: ScenarioPackage[]): string =>
  [...versions].sort((a, b) => compareVersions(a.version, b.version)).at(-1)?.version ?? '0.0.0';

const modifiedOf = (versions: ScenarioPackage[]): string =>
  new Date(Math.max(0, ...versions.map((p) => (p.publishedAt ?? new Date('2024-01-01T00:00:00Z')).getTime()))).toISOString();

// Full packument (`Accept: application/json`).
export function fullPackument(versions: ScenarioPackage[], baseUrl: string): Record<string, unknown> {
  const name = versions[0]?.name ?? '';
  const time: Record<string, string> = { created: '2020-01-01T00:00:00.000Z', modified: modifiedOf(versions) };
  for (const p of versions) time[p.version] = (p.publishedAt ?? new Date('2024-01-01T00:00:00Z')).toISOString();
  return {
    _id: name,
    name,
    'dist-tags': { latest: latestOf(versions) },
    versions: Object.fromEntries(versions.map((p) => [p.version, versionManifest(p, baseUrl)])),
    time,
  };
}

// Abbreviated packument (`Accept: application/vnd.npm.install-v1+json`).
export function abbreviatedPackument(versions: ScenarioPackage[], baseUrl: string): Record<string, unknown> {
  const name = versions[0]?.name ?? '';
  const keep = ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bin', 'engines', 'os', 'cpu', 'hasInstallScript', 'deprecated'];
  return {
    name,
    modified: modifiedOf(versions),
    'dist-tags': { latest: latestOf(versions) },
    versions: Object.fromEntries(
      versions.map((p) => {
        const extra = Object.fromEntries(Object.entries(p.manifest ?? {}).filter(([k]) => keep.includes(k)));
        return [p.version, { name: p.name, version: p.version, ...extra, dist: distOf(p, baseUrl) }];
      }),
    ),
  };
}
