import semver from 'semver';
import { FetchError } from './fetch-error.js';
import { MAX_PACKUMENT_BYTES, type RegistryHttp } from './http.js';
import { toRegistryPath } from './package-name.js';

// What the registry's metadata says about one earlier version: claims, not verified facts. The
// trust-downgrade rule compares them with the VERIFIED evidence of the version being installed.
export interface VersionHistoryEntry {
  version: string;
  provenance: boolean;
  publishAttestation: boolean;
}

const ABBREVIATED = 'application/vnd.npm.install-v1+json';

// Fetches the abbreviated packument (every version's `dist`, without the readmes and the `time`
// map of the full one) and lists the versions semver-lower than `version`, newest first.
export async function fetchVersionHistory(http: RegistryHttp, name: string, version: string): Promise<VersionHistoryEntry[]> {
  const path = toRegistryPath(name);
  const response = await http.getJson(path, { name, accept: ABBREVIATED, maxBytes: MAX_PACKUMENT_BYTES });
  if (response.status === 404) throw new FetchError('not-found', response.url, `the registry has no packument for ${name} (${response.url}: HTTP 404)`, 404);
  const versions = (response.body as { versions?: unknown } | null)?.versions;
  if (!versions || typeof versions !== 'object') throw new FetchError('malformed', response.url, `${response.url}: versions: expected an object`);
  return Object.entries(versions as Record<string, unknown>)
    .filter(([candidate]) => semver.valid(candidate) !== null && semver.valid(version) !== null && semver.lt(candidate, version))
    .sort(([a], [b]) => semver.rcompare(a, b))
    .map(([candidate, manifest]) => {
      const attestations = (manifest as { dist?: { attestations?: { provenance?: unknown } } } | null)?.dist?.attestations;
      // npm's metadata names only the provenance predicate (`dist.attestations.provenance`); it
      // does not say whether a publish attestation exists, so none is claimed for history.
      return { version: candidate, provenance: Boolean(attestations?.provenance), publishAttestation: false };
    });
}
