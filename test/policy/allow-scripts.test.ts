import { describe, expect, it } from 'vitest';
import { getScriptApproval, getStaleApprovals } from '../../src/policy/allow-scripts.js';
import { ref } from './_helpers.js';

// package.json allowScripts as npm 11.16+ matches it: name, exact version, exact versions joined
// by `||`; a denial wins; ranges, tags and aliases approve nothing; bundled packages never run.
describe('allowScripts matching', () => {
  const a = ref('a', '1.2.3', { hasInstallScript: true });

  it('a name approves every version; a pinned key only its version; several exact versions joined by ||', () => {
    expect(getScriptApproval(a, { a: true })).toEqual({ state: 'approved', keys: ['a'] });
    expect(getScriptApproval(a, { 'a@1.2.3': true })).toEqual({ state: 'approved', keys: ['a@1.2.3'] });
    expect(getScriptApproval(a, { 'a@1.2.4': true })).toEqual({ state: 'unreviewed' });
    expect(getScriptApproval(a, { 'a@1.0.0 || 1.2.3': true })).toEqual({ state: 'approved', keys: ['a@1.0.0 || 1.2.3'] });
  });

  it('a denial wins over any approval', () => {
    expect(getScriptApproval(a, { 'a@1.2.3': true, a: false })).toEqual({ state: 'denied', keys: ['a'] });
  });

  it('ranges, tags, aliases and other names approve nothing (npm refuses versions nobody reviewed)', () => {
    for (const key of ['a@^1.0.0', 'a@~1.2.0', 'a@>=1', 'a@latest', 'b@npm:a@1.2.3', 'b', '@scope/a']) expect(getScriptApproval(a, { [key]: true }), key).toEqual({ state: 'unreviewed' });
  });

  it('a bundled package is never approved: npm never runs its scripts', () => {
    expect(getScriptApproval(ref('a', '1.2.3', { bundled: true }), { a: true })).toEqual({ state: 'unreviewed' });
  });

  it('a registry key does not approve a git package of the same name; a source key matches its exact resolved', () => {
    const git = ref('a', '1.2.3', { source: 'git', resolved: 'git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567' });
    expect(getScriptApproval(git, { a: true })).toEqual({ state: 'unreviewed' });
    expect(getScriptApproval(git, { [git.resolved as string]: true })).toEqual({ state: 'approved', keys: [git.resolved] });
  });

  it('stale: an approval of a name, or of a version, the tree does not hold; denials and source keys never', () => {
    const refs = [a, ref('b', '2.0.0')];
    const stale = getStaleApprovals(refs, { a: true, 'a@1.2.3': true, 'a@1.0.0': true, 'gone': true, 'b@2.0.0 || 3.0.0': true, 'b@^2': true, 'never-here': false, 'git+https://example.com/x.git': true });
    expect(stale).toEqual([
      { key: 'a@1.0.0', found: ['1.2.3'] },
      { key: 'gone', found: [] },
    ]);
  });
  it('"a@" and "a@ *" are the name alone: every version', () => {
    expect(getScriptApproval(a, { 'a@': true })).toEqual({ state: 'approved', keys: ['a@'] });
    expect(getScriptApproval(a, { 'a@ *': true })).toEqual({ state: 'approved', keys: ['a@ *'] });
  });

  it('one range among exact versions approves nothing, not even the exact ones', () => {
    expect(getScriptApproval(a, { 'a@1.2.3 || ^2': true })).toEqual({ state: 'unreviewed' });
  });

  it('a key npm cannot read approves nothing and is never reported stale', () => {
    expect(getScriptApproval(a, { '@@': true })).toEqual({ state: 'unreviewed' });
    expect(getStaleApprovals([a], { '@@': true })).toEqual([]);
  });

  it('a tarball URL, a file or a folder key approves only the package resolved from exactly there, never a registry package', () => {
    const url = 'https://example.com/a-1.2.3.tgz';
    const remote = ref('a', '1.2.3', { source: 'remote', resolved: url });
    expect(getScriptApproval(remote, { [url]: true })).toEqual({ state: 'approved', keys: [url] });
    expect(getScriptApproval(remote, { 'https://example.com/other.tgz': true })).toEqual({ state: 'unreviewed' });
    const file = ref('a', '1.2.3', { source: 'file', resolved: 'file:a-1.2.3.tgz' });
    expect(getScriptApproval(file, { 'file:a-1.2.3.tgz': true })).toEqual({ state: 'approved', keys: ['file:a-1.2.3.tgz'] });
    const dir = ref('a', '1.2.3', { source: 'directory', resolved: 'file:../a' });
    expect(getScriptApproval(dir, { 'file:../a': true })).toEqual({ state: 'approved', keys: ['file:../a'] });
    // The registry package is matched by name and version only, not by its tarball URL.
    expect(getScriptApproval(a, { [a.resolved as string]: true })).toEqual({ state: 'unreviewed' });
  });

  it('a git key does not approve another git package; a tag key approves no package, even one resolved from a path spelled like it', () => {
    const git = ref('a', '1.2.3', { source: 'git', resolved: 'git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567' });
    expect(getScriptApproval(git, { 'git+ssh://git@github.com/o/other.git#0123456789abcdef0123456789abcdef01234567': true })).toEqual({ state: 'unreviewed' });
    expect(getScriptApproval(ref('a', '1.2.3', { source: 'directory', resolved: 'a@latest' }), { 'a@latest': true })).toEqual({ state: 'unreviewed' });
  });

  it('stale: the versions found are sorted, and only registry packages of that name count', () => {
    const refs = [ref('b', '2.0.0'), ref('b', '1.0.0'), ref('b', '1.0.0', { locations: ['node_modules/x/node_modules/b'] }), ref('b', '0.5.0', { source: 'git', resolved: 'git+https://example.com/b.git#0123456789abcdef0123456789abcdef01234567' })];
    expect(getStaleApprovals(refs, { 'b@3.0.0': true })).toEqual([{ key: 'b@3.0.0', found: ['1.0.0', '2.0.0'] }]);
  });
});
