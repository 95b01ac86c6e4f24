// A lockfile's `resolved` values read as arborist's Node reads them (the expectations are what
// arborist 10's own reading gives for the same values).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseResolvedSpec, readResolved, readResolvedSpec } from '../../src/walk/resolved-spec.js';
import { GIT_HOSTS, GITHUB_CODELOAD_HOST, npmjsTarballUrl } from '../support/public-urls.js';

const PROJECT = '/proj';

describe('readResolved', () => {
  test.each([
    ['a relative file: path, made absolute against the project', 'file:vendor/x-1.0.0.tgz', 'file:/proj/vendor/x-1.0.0.tgz'],
    ['a file: path above the project', 'file:../lib', 'file:/lib'],
    ['a GitHub shorthand, saved as ssh', 'github:npm/cli#abc123', 'git+ssh://git@github.com/npm/cli.git#abc123'],
    ['a hosted ssh URL, unchanged', 'git+ssh://git@github.com/npm/cli.git#abc123', 'git+ssh://git@github.com/npm/cli.git#abc123'],
    ['a hosted https URL with credentials stays https', 'git+https://user:tok@github.com/npm/cli.git#abc', 'git+https://user:tok@github.com/npm/cli.git#abc'],
    ['a bare https URL of a hosted repository becomes git+https', 'https://github.com/npm/cli.git', 'git+https://github.com/npm/cli.git'],
    ['a git URL of a host npm does not know', 'git+https://git.example.com/a/b.git#deadbeef', 'git+https://git.example.com/a/b.git#deadbeef'],
    ['a registry tarball', npmjsTarballUrl('a', '1.0.0'), npmjsTarballUrl('a', '1.0.0')],
    ['a tarball on another host', 'https://example.com/x.tgz', 'https://example.com/x.tgz'],
    ['a bare star', '*', '*'],
    ['an alias spec', 'npm:foo@1', 'npm:foo@1'],
    ['a value npm-package-arg refuses, kept as written', 'http://[bad', 'http://[bad'],
  ])('%s', (_name, resolved, expected) => {
    expect(readResolved(resolved, PROJECT)).toBe(expected);
  });

  test('no value, or an empty one, is null', () => {
    expect(readResolved(undefined, PROJECT)).toBeNull();
    expect(readResolved('', PROJECT)).toBeNull();
  });
});

describe('readResolvedSpec', () => {
  test('says remote only for an http(s) URL kept as written, never for a hosted repository, a file or git', () => {
    const remote = (resolved: string) => readResolvedSpec(resolved, PROJECT).remote;
    expect(remote(npmjsTarballUrl('a', '1.0.0'))).toBe(true);
    expect(remote('http://example.com/x.tgz')).toBe(true);
    for (const resolved of ['https://github.com/npm/cli.git', 'file:vendor/x-1.0.0.tgz', 'git+https://git.example.com/a/b.git#deadbeef', 'http://[bad', '*', 'npm:foo@1']) expect(remote(resolved), resolved).toBe(false);
    expect(readResolvedSpec(undefined, PROJECT)).toEqual({ resolved: null, remote: false });
  });
});

// Every `resolved` of the lockfiles in the fixtures, real ones from npm 5 to npm 11.
function fixtureResolvedValues(): string[] {
  const dir = new URL('../fixtures/lockfiles/', import.meta.url);
  const values = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, member] of Object.entries(value)) {
      if (key === 'resolved' && typeof member === 'string') values.add(member);
      else collect(member);
    }
  };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of readdirSync(new URL(`${entry.name}/`, dir))) {
      if (file.endsWith('.json')) collect(JSON.parse(readFileSync(new URL(`${entry.name}/${file}`, dir), 'utf8')));
    }
  }
  return [...values];
}

describe('readResolvedSpec on plain http(s) URLs', () => {
  test("reads every value as npm-package-arg's parse does: the lockfiles of the fixtures, and URLs at the edges of a plain one", () => {
    const edges = [
      npmjsTarballUrl('a', '1.0.0'),
      npmjsTarballUrl('@s/a', '1.0.0'),
      'http://127.0.0.1:4873/a/-/a-1.0.0.tgz',
      'http://localhost:65535/a.tgz',
      'http://localhost:65536/a.tgz',
      'http://localhost:99999/a.tgz',
      'http://256.0.0.1/a.tgz',
      'http://1.2.3/a.tgz',
      'http://0x7f.1/a.tgz',
      // Each git host with and without `www.`, with a trailing dot, and in capitals; a repository
      // and a download path on each.
      ...GIT_HOSTS.flatMap((host) => [`https://${host}/npm/cli.git`, `https://www.${host}/npm/cli.git`, `https://${host}./npm/cli.git`, `https://${host.toUpperCase()}/npm/cli.git`, `https://${host}/npm/cli/archive/v1.0.0.tar.gz`]),
      `https://${GITHUB_CODELOAD_HOST}/npm/cli/tar.gz/abc`,
      'https://user:pass@registry.example/a.tgz',
      'https://registry.example/a.tgz#sha',
      'https://registry.example/a.tgz?x=1',
      'https://registry.example/a%20b.tgz',
      'https://registry.example/a+b~c.tgz',
      'https://registry.example/',
      'https://-/a.tgz',
      'https://a..b/a.tgz',
      'https://xn--nxasmq6b.example/a.tgz',
      'HTTPS://registry.example/a.tgz',
      'https:/registry.example/a.tgz',
      'https://registry.example:/a.tgz',
    ];
    const values = [...fixtureResolvedValues(), ...edges];
    expect(values.length).toBeGreaterThan(5_000);
    for (const value of values) expect(readResolvedSpec(value, PROJECT), value).toEqual(parseResolvedSpec(value, PROJECT));
  });
});
