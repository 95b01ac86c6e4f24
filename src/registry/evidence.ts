import type { PackageEvidence } from '../verify/types.js';
import { FetchError } from './fetch-error.js';
import { fetchPackument, publishTimeOf, readVersionHistory, versionsOf, type Packument, type VersionHistory } from './history.js';
import type { RegistryHttp } from './http.js';
import { toVersionManifest, type VersionManifest } from './manifest.js';
import { withTrailingSlash } from './npm-config.js';
import { toRegistryPath } from './package-name.js';

export interface EvidenceRequest {
  name: string;
  version: string;
  integrity: string | null;
}

export interface FetchedEvidence extends PackageEvidence {
  manifest: VersionManifest;
}

// Where evidence is fetched from besides the package's registry.
export interface EvidenceSources {
  // --attestations-registry: a registry that serves `/-/npm/v1/attestations/…` for packages whose
  // own registry (a proxy of registry.npmjs.org, say) does not.
  attestationsRegistry?: string;
  // npm's signing keyids: a package whose manifest advertises no attestations is asked about
  // only when it carries a signature by one of them (npm published it, so its name is public;
  // a private package's name is never sent to the attestations registry).
  npmKeyids?: ReadonlySet<string>;
}

// One package's evidence, and its version history when it was fetched in the same request.
export interface EvidenceFetch {
  evidence: FetchedEvidence;
  history?: VersionHistory;
  // The size of the packument read, when one was.
  packumentBytes?: number;
}

// Fetches one package's evidence in one registry round trip plus one per attestations document.
// With `withHistory` (the policy will read the package's earlier versions), the full packument
// replaces the version manifest: it carries the version's manifest, the `time` map and every
// version's publishing claims, so the history costs no second request. Otherwise the version
// manifest (`/NAME/VERSION`, a few KB; the full packument can be megabytes), and the packument's
// `time` only when a registry key's validity must be judged without a signed publish time.
export async function fetchEvidence(
  http: RegistryHttp,
  ref: EvidenceRequest,
  needsPublishTime: (manifest: VersionManifest, attestations: unknown) => boolean,
  options: EvidenceSources = {},
  withHistory = false,
): Promise<EvidenceFetch> {
  const packument = withHistory ? await fetchPackument(http, ref.name) : undefined;
  const manifest = packument === undefined ? await fetchVersionManifest(http, ref) : fromPackument(packument, ref, http.registryFor(ref.name));
  const evidence: FetchedEvidence = { name: ref.name, version: ref.version, lockfileIntegrity: ref.integrity, manifest };

  const attestations = await fetchAttestations(http, ref, manifest, options);
  if (attestations !== undefined) evidence.attestations = attestations;

  let read = packument;
  if (needsPublishTime(manifest, evidence.attestations)) {
    read ??= await fetchPackument(http, ref.name).catch(noneOn404);
    const time = read === undefined ? undefined : publishTimeOf(read, ref.version);
    if (time !== undefined) manifest.time = time;
  }
  if (read === undefined) return { evidence };
  // A packument read for the time alone feeds the history too, when it holds one: the rule that
  // may want it then does not fetch it again.
  const history = readHistoryIfAny(read, ref.version);
  return { evidence, ...(history === undefined ? {} : { history }), packumentBytes: read.bytes };
}

// The history the packument holds; none when it has no versions map (its time is still read).
function readHistoryIfAny(packument: Packument, version: string): VersionHistory | undefined {
  try {
    return readVersionHistory(packument, version);
  } catch {
    return undefined;
  }
}

async function fetchVersionManifest(http: RegistryHttp, ref: EvidenceRequest): Promise<VersionManifest> {
  const response = await http.getJson(`${toRegistryPath(ref.name)}/${encodeURIComponent(ref.version)}`, { name: ref.name });
  if (response.status === 404) {
    throw new FetchError('not-found', response.url, `the registry has no ${ref.name}@${ref.version} (${response.url}: HTTP 404)`, 404);
  }
  return toVersionManifest(response.body, ref.name, ref.version, response.url, http.registryFor(ref.name));
}

// The version's manifest as the packument lists it: the same document `/NAME/VERSION` serves.
function fromPackument(packument: Packument, ref: EvidenceRequest, registry: string): VersionManifest {
  const versions = versionsOf(packument);
  if (!Object.hasOwn(versions, ref.version)) {
    throw new FetchError('not-found', packument.url, `the registry has no ${ref.name}@${ref.version} (${packument.url} does not list it)`, 404);
  }
  return toVersionManifest(versions[ref.version], ref.name, ref.version, packument.url, registry);
}

// A packument that is not there says no time, as before: the key is then judged without one.
function noneOn404(error: unknown): undefined {
  if (error instanceof FetchError && error.status === 404) return undefined;
  throw error;
}

// The attestations document, or undefined for none. Asked of the package's registry when its
// manifest advertises one; of the attestations registry when that registry does not serve it, and
// when the manifest advertises none but npm signed the package: a proxy's manifest is unsigned and
// may drop `dist.attestations`, so its silence cannot say "none" (the attestations registry's 404
// can). Either source is safe: a bundle is verified against the lockfile's digest.
async function fetchAttestations(http: RegistryHttp, ref: EvidenceRequest, manifest: VersionManifest, sources: EvidenceSources): Promise<unknown> {
  const { attestationsRegistry } = sources;
  const elsewhere = attestationsRegistry !== undefined && !isSameRegistry(attestationsRegistry, http.registryFor(ref.name)) ? attestationsRegistry : undefined;
  if (manifest.attestationsPath !== undefined) {
    const response = await http.getJson(manifest.attestationsPath, { name: ref.name });
    if (response.status !== 404) return response.body;
    const fallback = elsewhere === undefined ? undefined : await http.getJson(attestationsPath(ref), { registry: elsewhere });
    // Advertised but absent is not "no provenance": the registry promised evidence it withholds.
    if (fallback === undefined || fallback.status === 404) {
      const where = fallback === undefined ? `${response.url} answered` : `neither ${response.url} nor ${fallback.url} serves them:`;
      throw new FetchError('not-found', response.url, `${ref.name}@${ref.version} advertises attestations but ${where} HTTP 404`, 404);
    }
    return fallback.body;
  }
  const signedByNpm = manifest.signatures?.some((signature) => sources.npmKeyids?.has(signature.keyid)) ?? false;
  if (elsewhere === undefined || !signedByNpm) return undefined;
  const response = await http.getJson(attestationsPath(ref), { registry: elsewhere });
  return response.status === 404 ? undefined : response.body;
}

// npm's path for a version's attestations: `/-/npm/v1/attestations/@scope%2fname@1.0.0`.
function attestationsPath(ref: EvidenceRequest): string {
  return `/-/npm/v1/attestations${toRegistryPath(ref.name)}@${encodeURIComponent(ref.version)}`;
}

function isSameRegistry(a: string, b: string): boolean {
  return withTrailingSlash(a) === withTrailingSlash(b);
}
