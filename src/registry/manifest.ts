import type { ManifestEvidence } from '../verify/types.js';
import { FetchError } from './fetch-error.js';

// What the registry's version manifest says, narrowed: the gate reads nothing else from it.
export interface VersionManifest extends ManifestEvidence {
  // The path of dist.attestations.url, resolved later against the configured registry.
  attestationsPath?: string;
  // The package's declared repository (package.json `repository`), for the policy stage.
  repository?: string;
  // The path of dist.tarball, resolved later against the configured registry (as attestations).
  tarballPath?: string;
}

// Narrows a registry's version manifest to the evidence fields, refusing one that describes
// another package: a registry answering with another version's document must not be trusted.
// `registry` is the registry the manifest came from, which the paths it advertises are kept
// relative to.
export function toVersionManifest(body: unknown, name: string, version: string, url: string, registry?: string): VersionManifest {
  const malformed = (field: string, expected: string): FetchError =>
    new FetchError('malformed', url, `${url}: ${field}: expected ${expected}`);
  if (!isRecord(body)) throw malformed('(root)', 'a version manifest object');
  if (body.name !== name || body.version !== version) {
    throw malformed('name/version', `${name}@${version}, got ${String(body.name)}@${String(body.version)}`);
  }
  const dist = body.dist;
  if (!isRecord(dist)) throw malformed('dist', 'an object');
  const manifest: VersionManifest = { attestationsAdvertised: false };
  if (dist.integrity !== undefined) {
    if (typeof dist.integrity !== 'string') throw malformed('dist.integrity', 'a string');
    manifest.integrity = dist.integrity;
  }
  if (dist.signatures !== undefined) {
    if (!Array.isArray(dist.signatures) || !dist.signatures.every((s) => isRecord(s) && typeof s.keyid === 'string' && typeof s.sig === 'string')) {
      throw malformed('dist.signatures', 'an array of {keyid, sig} strings');
    }
    manifest.signatures = dist.signatures.map((s) => ({ keyid: String(s.keyid), sig: String(s.sig) }));
  }
  if (dist.attestations !== undefined) {
    if (!isRecord(dist.attestations) || typeof dist.attestations.url !== 'string') throw malformed('dist.attestations.url', 'a URL');
    manifest.attestationsAdvertised = true;
    manifest.attestationsPath = pathOf(dist.attestations.url, () => malformed('dist.attestations.url', 'a URL'), registry);
  }
  if (typeof dist.tarball === 'string') manifest.tarballPath = pathOf(dist.tarball, () => malformed('dist.tarball', 'a URL'), registry);
  const repository = repositoryUrl(body.repository);
  if (repository) manifest.repository = repository;
  return manifest;
}

// Only the path is kept: the packument is unsigned, so its host must not decide where we connect
// (or where npm's credentials for the configured registry would be sent).
// Only http(s) URLs: another scheme's "path" can itself be an absolute URL (x:https://host/p has
// the pathname https://host/p), which would be fetched as given, from that host.
function pathOf(url: string, onError: () => FetchError, registry: string | undefined): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw onError();
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw onError();
  const path = parsed.pathname + parsed.search;
  return registry === undefined ? path : toRegistryRelative(parsed, path, registry);
}

// A registry under a sub-path (https://host/npm/, as Artifactory or Nexus serve one) names that
// sub-path in the URLs it advertises on its own origin; the path is resolved against the registry
// later, which would add the sub-path twice. Another origin's URL keeps its whole path (a proxy
// that leaves registry.npmjs.org's URLs as they are serves them under its own sub-path).
function toRegistryRelative(url: URL, path: string, registry: string): string {
  const base = new URL(registry);
  const prefix = base.pathname.replace(/\/+$/, '');
  return prefix !== '' && url.origin === base.origin && path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

function repositoryUrl(repository: unknown): string | undefined {
  if (typeof repository === 'string') return repository;
  if (isRecord(repository) && typeof repository.url === 'string') return repository.url;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
