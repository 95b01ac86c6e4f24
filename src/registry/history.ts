import semver from 'semver';
import { FetchError } from './fetch-error.js';
import { MAX_PACKUMENT_BYTES, type RegistryHttp } from './http.js';
import { isRecord } from '../verify/encoding.js';
import { toRegistryPath } from './package-name.js';

// What the registry's metadata says about one other version: claims, not verified facts. The
// trust-downgrade rule compares them with the VERIFIED evidence of the version being installed.
export interface VersionHistoryEntry {
  version: string;
  // The packument's `time[version]`: unsigned registry metadata; absent when it has none.
  publishedAt?: string;
  provenance: boolean;
  publishAttestation: boolean;
  // The version's `_npmUser` claims of how it was published (unsigned; absent: a token).
  trustedPublisher?: TrustedPublisherClaim;
  approver?: string;
}

// `_npmUser.trustedPublisher` of a version published through trusted publishing (OIDC from a CI
// provider the package trusts): the provider (`github`, `gitlab`) and npm's id of the configuration.
export interface TrustedPublisherClaim {
  id: string;
  oidcConfigId?: string;
}

// What the packument's `_npmUser` says about how a version was published: by a trusted publisher,
// or staged and approved by a person (`approver`, the maintainer who approved it). Unsigned
// registry metadata; neither: published with a token.
export interface PublishingClaim {
  trustedPublisher?: TrustedPublisherClaim;
  approver?: string;
}

// The other versions of a package whose metadata claims trust evidence, and when the registry
// says the version being judged was published (the packument's `time`, unsigned).
export interface VersionHistory {
  publishedAt?: string;
  // How the registry says the version being judged was published.
  publishing: PublishingClaim;
  versions: VersionHistoryEntry[];
}

// Fetches the full packument (only it carries the `time` map: the abbreviated one npm installs
// from has none) and lists the other versions that claim provenance, newest version first.
// Versions without a claim are left out: they can never make another version a downgrade.
export async function fetchVersionHistory(http: RegistryHttp, name: string, version: string): Promise<VersionHistory> {
  const path = toRegistryPath(name);
  const response = await http.getJson(path, { name, maxBytes: MAX_PACKUMENT_BYTES });
  if (response.status === 404) throw new FetchError('not-found', response.url, `the registry has no packument for ${name} (${response.url}: HTTP 404)`, 404);
  const body = response.body as { versions?: unknown; time?: unknown } | null;
  const versions = body?.versions;
  if (!versions || typeof versions !== 'object') throw new FetchError('malformed', response.url, `${response.url}: versions: expected an object`);
  const time = body?.time !== null && typeof body?.time === 'object' ? (body.time as Record<string, unknown>) : {};
  const entries = Object.entries(versions as Record<string, unknown>)
    .filter(([candidate]) => candidate !== version && semver.valid(candidate) !== null)
    .sort(([a], [b]) => semver.rcompare(a, b))
    .map(([candidate, manifest]): VersionHistoryEntry => {
      const attestations = (manifest as { dist?: { attestations?: { provenance?: unknown } } } | null)?.dist?.attestations;
      const publishedAt = timeOf(time, candidate);
      // npm's metadata names only the provenance predicate (`dist.attestations.provenance`); it
      // does not say whether a publish attestation exists, so none is claimed for history.
      return { version: candidate, ...(publishedAt === undefined ? {} : { publishedAt }), provenance: Boolean(attestations?.provenance), publishAttestation: false, ...publishingOf(manifest) };
    })
    .filter((entry) => entry.provenance || entry.publishAttestation || entry.trustedPublisher !== undefined || entry.approver !== undefined);
  const publishedAt = timeOf(time, version);
  return { ...(publishedAt === undefined ? {} : { publishedAt }), publishing: publishingOf((versions as Record<string, unknown>)[version]), versions: entries };
}

// A version entry's `_npmUser.trustedPublisher` and `_npmUser.approver` (pnpm's trust policy reads
// the same two fields), kept only in the shape npm writes them: anything else claims nothing.
function publishingOf(manifest: unknown): PublishingClaim {
  const user = isRecord(manifest) && isRecord(manifest._npmUser) ? manifest._npmUser : undefined;
  const claim: PublishingClaim = {};
  const publisher = user?.trustedPublisher;
  if (isRecord(publisher) && typeof publisher.id === 'string' && publisher.id !== '') {
    claim.trustedPublisher = { id: publisher.id, ...(typeof publisher.oidcConfigId === 'string' ? { oidcConfigId: publisher.oidcConfigId } : {}) };
  }
  // npm's documentation does not describe the field; pnpm reads it as the approver's name. A
  // person written as `{ name }` is read too.
  const approver = isRecord(user?.approver) ? user.approver.name : user?.approver;
  if (typeof approver === 'string' && approver !== '') claim.approver = approver;
  return claim;
}

// A time the registry lists that is a date; anything else is as good as none.
function timeOf(time: Record<string, unknown>, version: string): string | undefined {
  const value = time[version];
  return typeof value === 'string' && Number.isFinite(Date.parse(value)) ? value : undefined;
}
