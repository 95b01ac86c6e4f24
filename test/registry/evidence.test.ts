// fetchEvidence: one round trip per package (plus one per attestations document). Where the
// policy may read the package's history, the full packument replaces the version manifest and
// feeds the manifest, the publish time and the history at once; anything it does not vouch for
// is a fetch failure, never a pass.
import { describe, expect, it } from 'vitest';
import { fetchEvidence } from '../../src/registry/evidence.js';
import { FetchError } from '../../src/registry/fetch-error.js';
import type { RegistryHttp } from '../../src/registry/http.js';

const REGISTRY = 'http://127.0.0.1:1/';
const ref = { name: 'a', version: '1.1.0', integrity: 'sha512-AAAA' };
const signatures = [{ keyid: 'SHA256:k', sig: 'MEUC' }];
const attestationsUrl = `${REGISTRY}-/npm/v1/attestations/a@1.1.0`;
const versionDoc = (version: string, extra: Record<string, unknown> = {}) => ({ name: 'a', version, dist: { integrity: 'sha512-AAAA', signatures, tarball: `${REGISTRY}a/-/a-${version}.tgz` }, ...extra });
const attestedDoc = (version: string) => versionDoc(version, { dist: { integrity: 'sha512-AAAA', signatures, attestations: { url: attestationsUrl, provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } } });
const packument = {
  versions: { '1.0.0': attestedDoc('1.0.0'), '1.1.0': versionDoc('1.1.0') },
  time: { '1.0.0': '2026-01-01T00:00:00.000Z', '1.1.0': '2026-02-01T00:00:00.000Z' },
};

// A registry answering by path; a path it does not know is a 404.
function fakeHttp(documents: Record<string, unknown>) {
  const requests: string[] = [];
  const http = {
    registryFor: () => REGISTRY,
    getJson: async (path: string) => {
      requests.push(path);
      const url = new URL(path, REGISTRY).toString();
      return Object.hasOwn(documents, path) ? { status: 200, body: documents[path], url, bytes: JSON.stringify(documents[path]).length } : { status: 404, body: undefined, url, bytes: 0 };
    },
  } as unknown as RegistryHttp;
  return { http, requests };
}

const never = () => false;
const always = () => true;

describe('fetchEvidence', () => {
  it('without history: the version manifest alone, one request', async () => {
    const { http, requests } = fakeHttp({ '/a/1.1.0': versionDoc('1.1.0'), '/a': packument });
    const { evidence, history } = await fetchEvidence(http, ref, never);
    expect(requests).toEqual(['/a/1.1.0']);
    expect(evidence.manifest.signatures).toEqual(signatures);
    expect(history).toBeUndefined();
  });

  it('with history: the packument replaces the version manifest, one request for the evidence and the history', async () => {
    const { http, requests } = fakeHttp({ '/a/1.1.0': versionDoc('1.1.0'), '/a': packument });
    const { evidence, history } = await fetchEvidence(http, ref, never, {}, true);
    expect(requests).toEqual(['/a']);
    expect(evidence.manifest).toEqual({ attestationsAdvertised: false, integrity: 'sha512-AAAA', signatures, tarballPath: '/a/-/a-1.1.0.tgz' });
    expect(history).toEqual({
      publishedAt: '2026-02-01T00:00:00.000Z',
      publishing: {},
      versions: [{ version: '1.0.0', publishedAt: '2026-01-01T00:00:00.000Z', provenance: true, publishAttestation: false }],
    });
  });

  it('with history: the attestations document the packument advertises is the one more request', async () => {
    const withAttested = { ...packument, versions: { ...packument.versions, '1.1.0': attestedDoc('1.1.0') } };
    const { http, requests } = fakeHttp({ '/a': withAttested, '/-/npm/v1/attestations/a@1.1.0': { attestations: [] } });
    const { evidence } = await fetchEvidence(http, ref, never, {}, true);
    expect(requests).toEqual(['/a', '/-/npm/v1/attestations/a@1.1.0']);
    expect(evidence.attestations).toEqual({ attestations: [] });
  });

  it("a key's publish time comes from the packument already fetched: no second request", async () => {
    const { http, requests } = fakeHttp({ '/a': packument });
    const { evidence } = await fetchEvidence(http, ref, always, {}, true);
    expect(requests).toEqual(['/a']);
    expect(evidence.manifest.time).toBe('2026-02-01T00:00:00.000Z');
  });

  it("without history, a key's publish time costs the packument; a registry without one gives no time", async () => {
    const served = fakeHttp({ '/a/1.1.0': versionDoc('1.1.0'), '/a': packument });
    const got = await fetchEvidence(served.http, ref, always);
    expect(got.evidence.manifest.time).toBe('2026-02-01T00:00:00.000Z');
    // The packument read for the time feeds the history too: no second fetch if the rule wants it.
    expect(got.history?.versions.map((v) => v.version)).toEqual(['1.0.0']);
    expect(served.requests).toEqual(['/a/1.1.0', '/a']);
    // One with no versions map still gives its time, as before; the history is then left to its own fetch.
    const timeOnly = fakeHttp({ '/a/1.1.0': versionDoc('1.1.0'), '/a': { time: packument.time } });
    const partial = await fetchEvidence(timeOnly.http, ref, always);
    expect(partial.evidence.manifest.time).toBe('2026-02-01T00:00:00.000Z');
    expect(partial.history).toBeUndefined();
    const absent = fakeHttp({ '/a/1.1.0': versionDoc('1.1.0') });
    expect((await fetchEvidence(absent.http, ref, always)).evidence.manifest.time).toBeUndefined();
  });

  it('a packument that does not list the version is "not found", not an empty manifest', async () => {
    const { http } = fakeHttp({ '/a': { ...packument, versions: { '1.0.0': attestedDoc('1.0.0') } } });
    const failure = await fetchEvidence(http, ref, never, {}, true).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FetchError);
    expect((failure as FetchError).kind).toBe('not-found');
  });

  it("a packument whose entry for the version describes another version is malformed (as the version manifest's would be)", async () => {
    const { http } = fakeHttp({ '/a': { ...packument, versions: { '1.1.0': attestedDoc('1.0.0') } } });
    const failure = await fetchEvidence(http, ref, never, {}, true).catch((error: unknown) => error);
    expect((failure as FetchError).kind).toBe('malformed');
  });

  it('a packument without a versions map, or whose version entry is inherited, is refused', async () => {
    for (const body of [{ time: packument.time }, { versions: [] }, { versions: Object.create({ '1.1.0': versionDoc('1.1.0') }) as object }]) {
      const { http } = fakeHttp({ '/a': body });
      const failure = await fetchEvidence(http, ref, never, {}, true).catch((error: unknown) => error);
      expect(failure, JSON.stringify(body)).toBeInstanceOf(FetchError);
    }
  });
});
