// The paths a version manifest advertises (dist.attestations.url, dist.tarball) are kept relative
// to the registry they are fetched from, whose URL may end in a sub-path.

import { describe, expect, it } from 'vitest';
import { toVersionManifest } from '../../src/registry/manifest.js';
import { NPMJS_REGISTRY } from '../support/public-urls.js';

const manifest = (dist: Record<string, unknown>, registry?: string) =>
  toVersionManifest({ name: 'npm', version: '1.0.0', dist: { integrity: 'sha512-AAAA', ...dist } }, 'npm', '1.0.0', 'https://host/npm/npm/1.0.0', registry);

describe('toVersionManifest: advertised paths', () => {
  it('drops a sub-path registry\'s own sub-path from the URLs it advertises on its origin, so it is not added twice', () => {
    const m = manifest({ attestations: { url: 'https://host/npm/-/npm/v1/attestations/npm@1.0.0' }, tarball: 'https://host/npm/npm/-/npm-1.0.0.tgz' }, 'https://host/npm/');
    expect(m.attestationsPath).toBe('/-/npm/v1/attestations/npm@1.0.0');
    expect(m.tarballPath).toBe('/npm/-/npm-1.0.0.tgz');
  });

  it('keeps the whole path of another origin\'s URL (a proxy that leaves npm\'s URLs as they are)', () => {
    const m = manifest({ attestations: { url: `${NPMJS_REGISTRY}/-/npm/v1/attestations/npm@1.0.0` }, tarball: `${NPMJS_REGISTRY}/npm/-/npm-1.0.0.tgz` }, 'https://host/npm/');
    expect(m.attestationsPath).toBe('/-/npm/v1/attestations/npm@1.0.0');
    expect(m.tarballPath).toBe('/npm/-/npm-1.0.0.tgz');
  });

  it('keeps the whole path for a registry at its origin\'s root, a package named like a sub-path included', () => {
    const m = manifest({ attestations: { url: 'https://host/-/npm/v1/attestations/npm@1.0.0' }, tarball: 'https://host/npm/-/npm-1.0.0.tgz' }, 'https://host/');
    expect(m.attestationsPath).toBe('/-/npm/v1/attestations/npm@1.0.0');
    expect(m.tarballPath).toBe('/npm/-/npm-1.0.0.tgz');
  });

  it('does not drop a path that only begins with the sub-path\'s letters', () => {
    const m = manifest({ tarball: 'https://host/npmx/-/npmx-1.0.0.tgz' }, 'https://host/npm');
    expect(m.tarballPath).toBe('/npmx/-/npmx-1.0.0.tgz');
  });
});
