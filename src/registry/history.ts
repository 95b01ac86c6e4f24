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

// A package's full packument as the registry served it, and where from.
export interface Packument {
  body: unknown;
  url: string;
  // Its size as read, decoded: what the next run weighs when it may do without it.
  bytes: number;
}

// Fetches the full packument: only it carries the `time` map and each version's `_npmUser` (the
// abbreviated document npm installs from has neither).
export async function fetchPackument(http: RegistryHttp, name: string): Promise<Packument> {
  const response = await http.getJson(toRegistryPath(name), { name, maxBytes: MAX_PACKUMENT_BYTES });
  if (response.status === 404) throw new FetchError('not-found', response.url, `the registry has no packument for ${name} (${response.url}: HTTP 404)`, 404);
  return { body: response.body, url: response.url, bytes: response.bytes };
}

// Lists the other versions that claim provenance or a way of publishing, newest version first,
// and what the packument says of `version` itself. Versions without a claim are left out: they
// can never make another version a downgrade.
export function readVersionHistory(packument: Packument, version: string): VersionHistory {
  const versions = versionsOf(packument);
  const time = timesOf(packument);
  const entries = Object.entries(versions)
    .filter(([candidate]) => candidate !== version && semver.valid(candidate) !== null)
    .map(([candidate, manifest]): VersionHistoryEntry => {
      const attestations = (manifest as { dist?: { attestations?: { provenance?: unknown } } } | null)?.dist?.attestations;
      const publishedAt = timeOf(time, candidate);
      // npm's metadata names only the provenance predicate (`dist.attestations.provenance`); it
      // does not say whether a publish attestation exists, so none is claimed for history.
      return { version: candidate, ...(publishedAt === undefined ? {} : { publishedAt }), provenance: Boolean(attestations?.provenance), publishAttestation: false, ...publishingOf(manifest) };
    })
    .filter((entry) => entry.provenance || entry.publishAttestation || entry.trustedPublisher !== undefined || entry.approver !== undefined)
    // Sorted once the versions without a claim are gone: a long history sorts a few, not all.
    .sort((a, b) => semver.rcompare(a.version, b.version));
  const publishedAt = timeOf(time, version);
  return { ...(publishedAt === undefined ? {} : { publishedAt }), publishing: publishingOf(versions[version]), versions: entries };
}

// The packument's `versions` map; a packument without one is malformed.
export function versionsOf(packument: Packument): Record<string, unknown> {
  const versions = isRecord(packument.body) ? packument.body.versions : undefined;
  if (!isRecord(versions)) throw new FetchError('malformed', packument.url, `${packument.url}: versions: expected an object`);
  return versions;
}

// When the packument says `version` was published (unsigned registry metadata), if it says.
export function publishTimeOf(packument: Packument, version: string): string | undefined {
  return timeOf(timesOf(packument), version);
}

function timesOf(packument: Packument): Record<string, unknown> {
  const time = isRecord(packument.body) ? packument.body.time : undefined;
  return isRecord(time) ? time : {};
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
