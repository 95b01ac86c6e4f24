// Host normalisation: the one form every host comparison of the policy uses.

import { describe, expect, it } from 'vitest';
import { NPMJS_HOST, YARNPKG_HOST } from '../support/public-urls.js';
import { hostOfUrl, normalizeHost } from '../../src/policy/host.js';

describe('normalizeHost', () => {
  it.each([
    ['registry.npmjs.org', 'registry.npmjs.org'],
    ['REGISTRY.NPMJS.ORG', 'registry.npmjs.org'],
    ['registry.npmjs.org.', 'registry.npmjs.org'],
    ['registry.npmjs.org:443', 'registry.npmjs.org'],
    ['Registry.NpmJS.org.:443', 'registry.npmjs.org'],
    ['registry.npmjs.org:8443', 'registry.npmjs.org:8443'],
    ['registry.npmjs.org.:8443', 'registry.npmjs.org:8443'],
    ['registry.npmjs.org:80', 'registry.npmjs.org:80'],
    // Only one trailing dot is the fully qualified spelling; an empty label makes another
    // (invalid) name, left as it is so that it matches nothing.
    ['registry.npmjs.org..', 'registry.npmjs.org..'],
    ['127.0.0.1:4873', '127.0.0.1:4873'],
    ['[::1]:443', '[::1]'],
    ['[::1]', '[::1]'],
    // A port is digits to the end: anything after them leaves the host as written (matching nothing).
    ['registry.npmjs.org:443x', 'registry.npmjs.org:443x'],
  ])('%s (as a policy writes it: https) → %s', (host, expected) => {
    expect(normalizeHost(host)).toBe(expected);
  });

  it('drops the default port of the scheme the host was seen under, and only that one', () => {
    expect(normalizeHost('registry.npmjs.org:80', 'http:')).toBe('registry.npmjs.org');
    expect(normalizeHost('registry.npmjs.org:443', 'http:')).toBe('registry.npmjs.org:443');
    expect(normalizeHost('registry.npmjs.org:443', 'https:')).toBe('registry.npmjs.org');
  });
});

describe('hostOfUrl', () => {
  it.each([
    [`https://${NPMJS_HOST}/a/-/a-1.0.0.tgz`, 'registry.npmjs.org'],
    [`https://${NPMJS_HOST.toUpperCase()}:443/a/-/a-1.0.0.tgz`, 'registry.npmjs.org'],
    [`https://${NPMJS_HOST}./a/-/a-1.0.0.tgz`, 'registry.npmjs.org'],
    [`http://${NPMJS_HOST}:80/a`, 'registry.npmjs.org'],
    [`http://${NPMJS_HOST}:443/a`, 'registry.npmjs.org:443'],
    [`https://${YARNPKG_HOST}/a/-/a-1.0.0.tgz`, 'registry.yarnpkg.com'],
    ['http://127.0.0.1:4873/', '127.0.0.1:4873'],
  ])('%s → %s', (url, expected) => {
    expect(hostOfUrl(url)).toBe(expected);
  });

  it.each(['git+https://github.com/o/r.git', 'file:../a.tgz', 'not a url'])('%s is no http(s) URL → null', (url) => {
    expect(hostOfUrl(url)).toBeNull();
  });
});
