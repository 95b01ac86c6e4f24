// fetchPackument then readVersionHistory: the full packument (the abbreviated one has no `time` map), read into the
// other versions that claim provenance, each with the registry's publish time when it lists one.
import { describe, expect, it } from 'vitest';
import { fetchPackument, readVersionHistory } from '../../src/registry/history.js';
import type { RegistryHttp } from '../../src/registry/http.js';

const URL = 'http://127.0.0.1:1/a';
const attested = { dist: { attestations: { url: 'x', provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } } };

function fakeHttp(body: unknown, status = 200) {
  const requests: Array<{ path: string; accept: string | undefined }> = [];
  const http = {
    getJson: async (path: string, spec: { accept?: string } = {}) => {
      requests.push({ path, accept: spec.accept });
      return { status, body, url: URL };
    },
  } as unknown as RegistryHttp;
  return { http, requests };
}

const fetchVersionHistory = async (http: RegistryHttp, name: string, version: string) => readVersionHistory(await fetchPackument(http, name), version);

describe('the version history read from the packument', () => {
  it('asks for the full packument and returns the times of the version judged and of every other version claiming provenance', async () => {
    const { http, requests } = fakeHttp({
      versions: { '0.9.0': {}, '1.0.0': attested, '0.9.1': {}, '1.1.0': attested, '2.0.0-rc.1': attested },
      time: {
        created: '2026-01-01T00:00:00.000Z',
        '0.9.0': '2026-01-01T00:00:00.000Z',
        '1.0.0': '2026-02-01T00:00:00.000Z',
        '0.9.1': '2026-03-01T00:00:00.000Z',
        '1.1.0': 'not a date',
      },
    });
    expect(await fetchVersionHistory(http, 'a', '0.9.1')).toEqual({
      publishedAt: '2026-03-01T00:00:00.000Z',
      publishing: {},
      versions: [
        { version: '2.0.0-rc.1', provenance: true, publishAttestation: false },
        { version: '1.1.0', provenance: true, publishAttestation: false },
        { version: '1.0.0', publishedAt: '2026-02-01T00:00:00.000Z', provenance: true, publishAttestation: false },
      ],
    });
    expect(requests).toEqual([{ path: '/a', accept: undefined }]);
  });

  it('a packument without a time map gives no times (the rule then orders by version)', async () => {
    const { http } = fakeHttp({ versions: { '1.0.0': attested, '1.1.0': {} } });
    expect(await fetchVersionHistory(http, 'a', '1.1.0')).toEqual({ publishing: {}, versions: [{ version: '1.0.0', provenance: true, publishAttestation: false }] });
  });

  it("reads each version's `_npmUser`: trusted publisher and staged-publish approver, for the judged version and the others; a malformed claim claims nothing", async () => {
    const trusted = { ...attested, _npmUser: { name: 'GitHub Actions', trustedPublisher: { id: 'github', oidcConfigId: 'oidc:123' } } };
    const { http } = fakeHttp({
      versions: {
        '1.0.0': trusted,
        // Staged without provenance: listed (a staged publish ranks highest on its own).
        '1.1.0': { _npmUser: { name: 'alice', approver: 'bob' } },
        '1.2.0': { _npmUser: { name: 'carol', approver: { name: 'dave' } } },
        // Claims in another shape: none, so the version is left out.
        '1.3.0': { _npmUser: { trustedPublisher: 'github', approver: 7 } },
        '1.4.0': { _npmUser: { name: 'eve' } },
      },
    });
    expect(await fetchVersionHistory(http, 'a', '1.4.0')).toEqual({
      publishing: {},
      versions: [
        { version: '1.2.0', provenance: false, publishAttestation: false, approver: 'dave' },
        { version: '1.1.0', provenance: false, publishAttestation: false, approver: 'bob' },
        { version: '1.0.0', provenance: true, publishAttestation: false, trustedPublisher: { id: 'github', oidcConfigId: 'oidc:123' } },
      ],
    });
    expect((await fetchVersionHistory(http, 'a', '1.0.0')).publishing).toEqual({ trustedPublisher: { id: 'github', oidcConfigId: 'oidc:123' } });
    expect((await fetchVersionHistory(http, 'a', '1.1.0')).publishing).toEqual({ approver: 'bob' });
  });

  it('a packument without versions, or none at all, is an error, not an empty history', async () => {
    await expect(fetchVersionHistory(fakeHttp({ time: {} }).http, 'a', '1.0.0')).rejects.toMatchObject({ kind: 'malformed' });
    await expect(fetchVersionHistory(fakeHttp(undefined, 404).http, 'a', '1.0.0')).rejects.toMatchObject({ kind: 'not-found' });
  });
});
