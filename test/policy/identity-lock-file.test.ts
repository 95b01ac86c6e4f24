// The identity lock file: every problem of a lock reported at its JSON pointer (a typo must not
// unpin an identity), and the file written sorted and in a fixed field order.

import { describe, expect, it } from 'vitest';
import { parseIdentityLock, PolicyError, serializeIdentityLock } from '../../src/policy/index.js';

const ISSUER = 'https://token.actions.githubusercontent.com';
const REPO = 'https://github.com/org/a';

// The JSON pointers of every problem the lock was refused for.
function problemPaths(text: string): string[] {
  try {
    parseIdentityLock(text, 'lock.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).code).toBe('IDENTITY_LOCK_INVALID');
    return (error as PolicyError).problems.map((p) => p.path);
  }
  return expect.unreachable('the lock was accepted');
}
const lockText = (doc: unknown) => JSON.stringify(doc);

describe('reading an identity lock', () => {
  it('a single identity is read as a list of one; a list is kept as written', () => {
    const text = lockText({ version: 1, packages: { a: { issuer: ISSUER }, b: [{ sourceRepositoryURI: REPO }, { issuer: ISSUER, san: 's' }] } });
    expect(parseIdentityLock(text, 'lock.json')).toStrictEqual({
      version: 1,
      packages: { a: [{ issuer: ISSUER }], b: [{ sourceRepositoryURI: REPO }, { issuer: ISSUER, san: 's' }] },
    });
  });

  it('accepts every recorded field, and a byte order mark before the document only', () => {
    const entry = { sourceRepositoryURI: REPO, buildConfigURI: 'c', buildSignerURI: 'b', issuer: ISSUER, san: 's' };
    expect(parseIdentityLock(`\uFEFF${lockText({ version: 1, packages: { a: entry } })}`, 'lock.json').packages.a).toStrictEqual([entry]);
    // A mark inside a value is part of the value.
    expect(parseIdentityLock(lockText({ version: 1, packages: { a: { issuer: 'x\uFEFFy' } } }), 'lock.json').packages.a).toStrictEqual([{ issuer: 'x\uFEFFy' }]);
  });

  it('a name that is also an object property is read as a name, not dropped, and round-trips', () => {
    // JSON.parse makes "__proto__" an own key; assigned to a plain object it would set the prototype.
    const text = '{"version":1,"packages":{"__proto__":{"issuer":"x"},"constructor":{"issuer":"y"}}}';
    const lock = parseIdentityLock(text, 'lock.json');
    expect(Object.keys(lock.packages)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(lock.packages, '__proto__')?.value).toStrictEqual([{ issuer: 'x' }]);
    expect(Object.getPrototypeOf(lock.packages)).toBe(Object.prototype);
    const written = serializeIdentityLock(lock);
    expect(Object.keys(JSON.parse(written).packages)).toEqual(['__proto__', 'constructor']);
    expect(serializeIdentityLock(parseIdentityLock(written, 'lock.json'))).toBe(written);
  });

  it('an empty lock is a lock', () => {
    expect(parseIdentityLock(lockText({ version: 1, packages: {} }), 'lock.json')).toStrictEqual({ version: 1, packages: {} });
  });

  it('refuses text that is not JSON, or a document that is not an object, at /', () => {
    for (const text of ['{', '', 'null', '"lock"', '1', '[]', '[{"version":1,"packages":{}}]']) expect(problemPaths(text), text).toEqual(['/']);
  });

  it('refuses an unknown top-level field, a version other than 1, and packages that are not an object', () => {
    expect(problemPaths(lockText({ version: 1, packages: {}, extra: true }))).toEqual(['/extra']);
    expect(problemPaths(lockText({ packages: {} }))).toEqual(['/version']);
    expect(problemPaths(lockText({ version: '1', packages: {} }))).toEqual(['/version']);
    expect(problemPaths(lockText({ version: 2, packages: {} }))).toEqual(['/version']);
    for (const packages of [undefined, null, [], 'a']) expect(problemPaths(lockText({ version: 1, packages })), String(packages)).toEqual(['/packages']);
  });

  it('refuses an empty list, an entry that is not a non-empty object, an unknown field and a field that is not a non-empty string', () => {
    expect(problemPaths(lockText({ version: 1, packages: { a: [] } }))).toEqual(['/packages/a']);
    for (const entry of [{}, null, 'x']) expect(problemPaths(lockText({ version: 1, packages: { a: entry } })), JSON.stringify(entry)).toEqual(['/packages/a']);
    expect(problemPaths(lockText({ version: 1, packages: { a: ['x'] } }))).toEqual(['/packages/a/0']);
    expect(problemPaths(lockText({ version: 1, packages: { a: [{ issuer: ISSUER }, {}] } }))).toEqual(['/packages/a/1']);
    expect(problemPaths(lockText({ version: 1, packages: { a: { issuer: ISSUER, sourceRepositoryUri: REPO } } }))).toEqual(['/packages/a/sourceRepositoryUri']);
    for (const value of ['', 1, null, [REPO]]) {
      expect(problemPaths(lockText({ version: 1, packages: { a: { sourceRepositoryURI: value } } })), JSON.stringify(value)).toEqual(['/packages/a/sourceRepositoryURI']);
    }
    expect(problemPaths(lockText({ version: 1, packages: { a: [{ issuer: 'x' }, { issuer: '' }] } }))).toEqual(['/packages/a/1/issuer']);
  });

  it('reports every problem at once, a name with / or ~ escaped as a JSON pointer', () => {
    const doc = { version: 0, extra: 1, packages: { '@s/b': { san: 1, other: 'x' }, 'a~/b': [], ok: { issuer: ISSUER } } };
    expect(problemPaths(lockText(doc))).toEqual(['/extra', '/version', '/packages/@s~1b/san', '/packages/@s~1b/other', '/packages/a~0~1b']);
  });
});

describe('writing an identity lock', () => {
  it('names sorted, fields in a fixed order, one identity as an object and several as a list, two-space indent and a final newline', () => {
    const text = serializeIdentityLock({
      version: 1,
      packages: {
        b: [{ san: 's', issuer: ISSUER, buildSignerURI: 'bs', buildConfigURI: 'bc', sourceRepositoryURI: REPO }],
        a: [{ issuer: ISSUER }, { sourceRepositoryURI: REPO }],
      },
    });
    expect(text).toBe(
      [
        '{',
        '  "version": 1,',
        '  "packages": {',
        '    "a": [',
        '      {',
        `        "issuer": "${ISSUER}"`,
        '      },',
        '      {',
        `        "sourceRepositoryURI": "${REPO}"`,
        '      }',
        '    ],',
        '    "b": {',
        `      "sourceRepositoryURI": "${REPO}",`,
        '      "buildConfigURI": "bc",',
        '      "buildSignerURI": "bs",',
        `      "issuer": "${ISSUER}",`,
        '      "san": "s"',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    expect(parseIdentityLock(text, 'lock.json').packages.b).toHaveLength(1);
  });

  it('an empty lock is written as such', () => {
    expect(serializeIdentityLock({ version: 1, packages: {} })).toBe('{\n  "version": 1,\n  "packages": {}\n}\n');
  });

  it('a name a hand-built lock holds without identities is written as an empty list, which reading refuses', () => {
    const text = serializeIdentityLock({ version: 1, packages: { a: undefined as unknown as [] } });
    expect(JSON.parse(text)).toStrictEqual({ version: 1, packages: { a: [] } });
    expect(problemPaths(text)).toEqual(['/packages/a']);
  });
});

describe('the repository and owner ids in the lock file', () => {
  it('round-trip: written after the source repository, read back as written', () => {
    const entry = { sourceRepositoryURI: REPO, repositoryId: '123456789', ownerId: '987654321', buildConfigURI: 'bc', issuer: ISSUER };
    const text = serializeIdentityLock({ version: 1, packages: { a: [{ issuer: ISSUER, ownerId: '987654321', buildConfigURI: 'bc', repositoryId: '123456789', sourceRepositoryURI: REPO }] } });
    expect(Object.keys(JSON.parse(text).packages.a)).toEqual(['sourceRepositoryURI', 'repositoryId', 'ownerId', 'buildConfigURI', 'issuer']);
    expect(parseIdentityLock(text, 'lock.json').packages.a).toStrictEqual([entry]);
  });

  it('an id that is not a string of digits is refused at its path', () => {
    const bad = (repositoryId: unknown, ownerId: unknown = '1') => lockText({ version: 1, packages: { a: [{ issuer: ISSUER }, { sourceRepositoryURI: REPO, repositoryId, ownerId }] } });
    expect(problemPaths(bad('12a'))).toEqual(['/packages/a/1/repositoryId']);
    expect(problemPaths(bad(' 12'))).toEqual(['/packages/a/1/repositoryId']);
    expect(problemPaths(bad('12\n'))).toEqual(['/packages/a/1/repositoryId']);
    expect(problemPaths(bad('1', '-5'))).toEqual(['/packages/a/1/ownerId']);
    expect(problemPaths(bad(12, '1.5'))).toEqual(['/packages/a/1/repositoryId', '/packages/a/1/ownerId']);
    expect(problemPaths(bad(''))).toEqual(['/packages/a/1/repositoryId']);
  });
});
