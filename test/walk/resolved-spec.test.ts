// A lockfile's `resolved` values read as arborist's Node reads them (the expectations are what
// arborist 10's own reading gives for the same values).
import { describe, expect, test } from 'vitest';
import { readResolved, readResolvedSpec } from '../../src/walk/resolved-spec.js';
import { npmjsTarballUrl } from '../support/public-urls.js';

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
