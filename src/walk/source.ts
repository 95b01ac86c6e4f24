import npa from 'npm-package-arg';
import { getPackageNameProblem } from '../registry/package-name.js';
import type { PackageSource } from '../types.js';
import type { WalkNode } from './walk-node.js';

// Spec types that npm resolves through a registry (`npm:` aliases included).
const REGISTRY_SPEC_TYPES = new Set(['version', 'range', 'tag', 'alias']);

// Classifies where a node's bytes come from. Anything that is not demonstrably a registry
// tarball is named for what it is, so the policy can judge it instead of it vanishing.
export function classifySource(node: WalkNode, projectDir: string): PackageSource {
  if (node.isLink) return node.target?.isWorkspace ? 'workspace' : 'link';
  if (node.isWorkspace) return 'workspace';
  // A lockfile entry outside any node_modules folder is a local folder (a workspace or link
  // target, or a stale entry for one); never a registry download.
  if (!node.location.split('/').includes('node_modules')) return 'directory';
  const resolved = node.resolved;
  // npm omits `resolved` for registry packages (omit-lockfile-registry-resolved) and for
  // packages inside a dependency's bundle; both come from a registry tarball.
  if (!resolved) return 'registry';
  const type = node.resolvedIsRemote === true ? remoteSpecType(node.packageName ?? node.name) : specType(node.packageName ?? node.name, resolved, projectDir);
  switch (type) {
    case 'git':
      return 'git';
    case 'file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'remote':
      return isRegistryTarballUrl(resolved, node.packageName ?? node.name, node.version ?? '') || isRequestedFromRegistry(node)
        ? 'registry'
        : 'remote';
    default:
      return 'remote';
  }
}

function specType(name: string, spec: string, where: string): string | undefined {
  try {
    return npa.resolve(name, spec, where).type;
  } catch {
    return undefined;
  }
}

// specType of a `resolved` already read as an http(s) URL: npa.resolve judges the name first (an
// empty one never), then parses the spec, which does not depend on the name; the walk parses each
// URL once, not twice (~15 ms of a warm run on 1,700 packages).
function remoteSpecType(name: string): 'remote' | undefined {
  return getPackageNameProblem(name) === undefined ? 'remote' : undefined;
}

// A registry tarball URL ends in `/NAME/-/BASENAME-VERSION.tgz` on every registry npm speaks to
// (npmjs, Verdaccio, Artifactory, Artifact Registry...).
export function isRegistryTarballUrl(url: string, name: string, version: string): boolean {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return false;
  }
  const basename = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return pathname.endsWith(`/${name}/-/${basename}-${version}.tgz`);
}

// Registries with other tarball layouts (GitHub Packages' /download/...) are still registries
// when every dependency edge asked for a registry spec.
function isRequestedFromRegistry(node: WalkNode): boolean {
  const edges = [...node.edgesIn];
  return edges.length > 0 && edges.every((edge) => REGISTRY_SPEC_TYPES.has(specType(edge.name, edge.spec, '/') ?? ''));
}

// The host of an http(s) `resolved` URL, or null.
export function registryHostOf(resolved: string | null): string | null {
  if (!resolved || !/^https?:\/\//i.test(resolved)) return null;
  try {
    return new URL(resolved).host;
  } catch {
    return null;
  }
}
