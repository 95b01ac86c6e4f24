import type { PackageEvidence } from '../verify/types.js';
import { FetchError } from './fetch-error.js';
import { MAX_PACKUMENT_BYTES, type RegistryHttp } from './http.js';
import { toVersionManifest, type VersionManifest } from './manifest.js';
import { toRegistryPath } from './package-name.js';

export interface EvidenceRequest {
  name: string;
  version: string;
  integrity: string | null;
}

export interface FetchedEvidence extends PackageEvidence {
  manifest: VersionManifest;
}

// Fetches one package's evidence with the fewest bytes that answer every check: the version
// manifest (`/NAME/VERSION`, a few KB; the full packument can be megabytes), the attestations
// document when the manifest advertises one, and the packument's `time` only when a registry
// key's validity must be judged without a signed publish time.
export async function fetchEvidence(
  http: RegistryHttp,
  ref: EvidenceRequest,
  needsPublishTime: (manifest: VersionManifest, attestations: unknown) => boolean,
): Promise<FetchedEvidence> {
  const packagePath = toRegistryPath(ref.name);
  const manifestPath = `${packagePath}/${encodeURIComponent(ref.version)}`;
  const manifestResponse = await http.getJson(manifestPath, { name: ref.name });
  if (manifestResponse.status === 404) {
    throw new FetchError('not-found', manifestResponse.url, `the registry has no ${ref.name}@${ref.version} (${manifestResponse.url}: HTTP 404)`, 404);
  }
  const manifest = toVersionManifest(manifestResponse.body, ref.name, ref.version, manifestResponse.url, http.registryFor(ref.name));
  const evidence: FetchedEvidence = { name: ref.name, version: ref.version, lockfileIntegrity: ref.integrity, manifest };

  if (manifest.attestationsPath !== undefined) {
    const response = await http.getJson(manifest.attestationsPath, { name: ref.name });
    // Advertised but absent is not "no provenance": the registry promised evidence it withholds.
    if (response.status === 404) {
      throw new FetchError('not-found', response.url, `${ref.name}@${ref.version} advertises attestations but ${response.url} answered HTTP 404`, 404);
    }
    evidence.attestations = response.body;
  }

  if (needsPublishTime(manifest, evidence.attestations)) {
    const time = await fetchPublishTime(http, ref.name, ref.version, packagePath);
    if (time !== undefined) manifest.time = time;
  }
  return evidence;
}

async function fetchPublishTime(http: RegistryHttp, name: string, version: string, packagePath: string): Promise<string | undefined> {
  const response = await http.getJson(packagePath, { name, maxBytes: MAX_PACKUMENT_BYTES });
  if (response.status === 404) return undefined;
  const body = response.body as { time?: Record<string, unknown> } | null;
  const time = body && typeof body === 'object' && body.time && typeof body.time === 'object' ? body.time[version] : undefined;
  return typeof time === 'string' ? time : undefined;
}
