// buildSriManifest: digests only for what verified, the lockfile's sha512 only, deterministic
// order and bytes, and every built manifest valid against schema/sri-manifest.schema.json.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ssri from 'ssri';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/canonical-json.js';
import { buildSriManifest, SriError, type SriManifest, type SriPackageInput } from '../../src/sri/index.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/sri-manifest.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

function sha512Of(text: string): string {
  return ssri.fromData(text, { algorithms: ['sha512'] }).toString();
}
function sha1Of(text: string): string {
  return ssri.fromData(text, { algorithms: ['sha1'] }).toString();
}
function sha384Of(text: string): string {
  return `sha384-${createHash('sha384').update(text).digest('base64')}`;
}

function pkg(name: string, version: string, verified: boolean, extra: Partial<SriPackageInput> = {}): SriPackageInput {
  return { name, version, integrity: sha512Of(`${name}@${version}`), verified, reasons: verified ? [] : ['findings-waived'], ...extra };
}

function expectValid(manifest: SriManifest): void {
  const ok = validate(JSON.parse(JSON.stringify(manifest)));
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

describe('buildSriManifest', () => {
  it('lists verified packages only, and never a digest of an unverified one', () => {
    const bad = pkg('evil', '1.0.0', false);
    const manifest = buildSriManifest({ mode: 'audit', packages: [pkg('good', '1.0.0', true), bad] });
    expect(manifest.packages.map((p) => p.name)).toEqual(['good']);
    expect(manifest.notVerified).toEqual([{ name: 'evil', version: '1.0.0', reasons: ['findings-waived'] }]);
    expect(JSON.stringify(manifest)).not.toContain(bad.integrity!.slice(7));
    expectValid(manifest);
  });

  it('strict mode: an unverified package has no entry and is named in notVerified (a policy may report without failing)', () => {
    const manifest = buildSriManifest({ mode: 'strict', packages: [pkg('good', '1.0.0', true), pkg('evil', '1.0.0', false)] });
    expect(manifest).toEqual({ schemaVersion: 1, mode: 'strict', packages: [{ name: 'good', version: '1.0.0', integrity: sha512Of('good@1.0.0') }], notVerified: [{ name: 'evil', version: '1.0.0', reasons: ['findings-waived'] }] });
    expectValid(manifest);
  });

  it('keeps only the sha512 entry of a multi-hash lockfile integrity, normalised (options dropped)', () => {
    const sha512 = sha512Of('x');
    const manifest = buildSriManifest({ mode: 'strict', packages: [{ name: 'x', version: '1.0.0', verified: true, reasons: [], integrity: `${sha1Of('x')} ${sha512}?opt` }] });
    expect(manifest.packages[0]?.integrity).toBe(sha512);
    expectValid(manifest);
  });

  it('sorts by name, then version, in code-point order (not semver), and drops exact duplicates', () => {
    const manifest = buildSriManifest({
      mode: 'audit',
      packages: [pkg('b', '1.9.0', true), pkg('a', '2.0.0', true), pkg('b', '1.10.0', true), pkg('@scope/z', '1.0.0', true), pkg('a', '2.0.0', true), pkg('z', '1', false), pkg('y', '1', false), pkg('y', '1', false)],
    });
    expect(manifest.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['@scope/z@1.0.0', 'a@2.0.0', 'b@1.10.0', 'b@1.9.0']);
    expect(manifest.notVerified).toEqual([{ name: 'y', version: '1', reasons: ['findings-waived'] }, { name: 'z', version: '1', reasons: ['findings-waived'] }]);
    expectValid(manifest);
  });

  it('is deterministic: the same packages in any order give the same bytes', () => {
    const packages = [pkg('c', '1.0.0', true), pkg('a', '1.0.0', true, { files: { 'b.js': sha384Of('b'), 'a.js': sha384Of('a') } }), pkg('b', '1.0.0', false)];
    const one = canonicalJson(buildSriManifest({ mode: 'audit', packages }));
    const two = canonicalJson(buildSriManifest({ mode: 'audit', packages: [...packages].reverse() }));
    expect(one).toBe(two);
    expect(Object.keys(buildSriManifest({ mode: 'audit', packages }).packages[0]?.files ?? {})).toEqual(['a.js', 'b.js']);
    expect(one).not.toMatch(/generatedAt|time/i);
  });

  it('carries rehashed when the tarball was re-hashed and matched, and files', () => {
    const input = pkg('a', '1.0.0', true);
    const manifest = buildSriManifest({ mode: 'strict', packages: [{ ...input, rehashed: input.integrity!, files: { 'lib/index.js': sha384Of('x'), 'package.json': sha384Of('y') } }] });
    expect(manifest.packages[0]).toEqual({ name: 'a', version: '1.0.0', integrity: input.integrity, rehashed: input.integrity, files: { 'lib/index.js': sha384Of('x'), 'package.json': sha384Of('y') } });
    expectValid(manifest);
  });

  it('refuses to vouch for a verified package whose re-hashed tarball differs (SRI_REHASH_MISMATCH)', () => {
    expect(() => buildSriManifest({ mode: 'strict', packages: [pkg('a', '1.0.0', true, { rehashed: sha512Of('other') })] })).toThrow(
      expect.objectContaining({ code: 'SRI_REHASH_MISMATCH', exitCode: 1 }),
    );
  });

  it.each([
    ['no integrity', null],
    ['only sha1', sha1Of('x')],
    ['two sha512 digests', `${sha512Of('x')} ${sha512Of('y')}`],
    ['garbage', 'sha512-notbase64'],
  ])('refuses a verified package with %s (SRI_INTEGRITY_NOT_SHA512)', (_name, integrity) => {
    expect(() => buildSriManifest({ mode: 'strict', packages: [{ name: 'a', version: '1.0.0', integrity, verified: true, reasons: [] }] })).toThrow(SriError);
    expect(() => buildSriManifest({ mode: 'strict', packages: [{ name: 'a', version: '1.0.0', integrity, verified: true, reasons: [] }] })).toThrow(
      expect.objectContaining({ code: 'SRI_INTEGRITY_NOT_SHA512' }),
    );
  });

  it('an unverified package needs no usable integrity: it is only named', () => {
    const manifest = buildSriManifest({ mode: 'audit', packages: [{ name: 'a', version: '1.0.0', integrity: null, verified: false, reasons: ['not-from-a-registry'] }] });
    expect(manifest.notVerified).toEqual([{ name: 'a', version: '1.0.0', reasons: ['not-from-a-registry'] }]);
    expectValid(manifest);
  });

  it.each([['../escape.js'], ['/abs.js'], ['a//b.js'], ['./a.js'], ['a\\b.js'], ['dir/'], ['']])('refuses the file key %j (SRI_FILE_ENTRY_INVALID)', (path) => {
    expect(() => buildSriManifest({ mode: 'strict', packages: [pkg('a', '1.0.0', true, { files: { [path]: sha384Of('x') } })] })).toThrow(
      expect.objectContaining({ code: 'SRI_FILE_ENTRY_INVALID' }),
    );
  });

  it('refuses a file digest that is not sha384', () => {
    expect(() => buildSriManifest({ mode: 'strict', packages: [pkg('a', '1.0.0', true, { files: { 'a.js': sha512Of('x') } })] })).toThrow(
      expect.objectContaining({ code: 'SRI_FILE_ENTRY_INVALID' }),
    );
  });

  it('takes no timestamp (generatedAt is typed never)', () => {
    // @ts-expect-error: a manifest has no time, so the same verified tree gives the same bytes.
    buildSriManifest({ mode: 'strict', packages: [], generatedAt: '2024-01-01T00:00:00Z' });
    expect(buildSriManifest({ mode: 'strict', packages: [] })).toEqual({ schemaVersion: 1, mode: 'strict', packages: [], notVerified: [] });
  });
});

describe('schema/sri-manifest.schema.json', () => {
  const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(buildSriManifest({ mode: 'audit', packages: [pkg('a', '1.0.0', true, { files: { 'a.js': sha384Of('a') } }), pkg('b', '1.0.0', false)] }))) as Record<string, unknown>;

  it('has an $id and is draft 2020-12', () => {
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: expect.stringContaining('sri-manifest.schema.json') });
  });

  it.each([
    ['an extra top-level field', (m: Record<string, any>) => { m['generatedAt'] = 'now'; }],
    ['an extra package field', (m: Record<string, any>) => { m['packages'][0].verified = true; }],
    ['a sha1 integrity', (m: Record<string, any>) => { m['packages'][0].integrity = sha1Of('x'); }],
    ['a sha512 lockfileIntegrity', (m: Record<string, any>) => { m['packages'][0].lockfileIntegrity = sha512Of('x'); }],
    ['a digest on a notVerified entry', (m: Record<string, any>) => { m['notVerified'][0].integrity = sha512Of('x'); }],
    ['a file path escaping the package', (m: Record<string, any>) => { m['packages'][0].files = { '../x.js': sha384Of('x') }; }],
    ['an absolute file path', (m: Record<string, any>) => { m['packages'][0].files = { '/x.js': sha384Of('x') }; }],
    ['a sha512 file digest', (m: Record<string, any>) => { m['packages'][0].files = { 'x.js': sha512Of('x') }; }],
    ['another schemaVersion', (m: Record<string, any>) => { m['schemaVersion'] = 2; }],
  ])('rejects %s', (_name, mutate) => {
    const manifest = good();
    expect(validate(manifest)).toBe(true);
    mutate(manifest);
    expect(validate(manifest)).toBe(false);
  });
});

describe('a lockfile pin of sha1 only', () => {
  const bytes = 'the tarball';
  const weak = pkg('old', '1.0.0', true, { integrity: sha1Of(bytes), boundIntegrity: sha512Of(bytes), rehashed: sha512Of(bytes) });

  it('lists the sha512 its evidence was verified against, and names the sha1 pin beside it', () => {
    const manifest = buildSriManifest({ packages: [weak], mode: 'strict' });
    expect(manifest.packages).toEqual([{ name: 'old', version: '1.0.0', integrity: sha512Of(bytes), lockfileIntegrity: sha1Of(bytes), rehashed: sha512Of(bytes) }]);
    expectValid(manifest);
  });

  it('never lists the sha1, nor vouches for a verified sha1 pin without a bound sha512', () => {
    const { boundIntegrity: _unused, ...unbound } = weak;
    expect(() => buildSriManifest({ packages: [unbound], mode: 'strict' })).toThrow(SriError);
  });

  it('ignores a bound digest beside a sha512 pin: the pin is what verified', () => {
    const manifest = buildSriManifest({ packages: [pkg('a', '1.0.0', true, { boundIntegrity: sha512Of('other') })], mode: 'strict' });
    expect(manifest.packages[0]?.integrity).toBe(sha512Of('a@1.0.0'));
    expect(manifest.packages[0]?.lockfileIntegrity).toBeUndefined();
  });
});
