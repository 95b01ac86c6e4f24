// getPackageNameProblem: npm's own verdict on a package name (npm-package-arg, which applies
// validate-npm-package-name's rules for existing packages), with its reasons; undefined when npm
// accepts the name. A name npm refuses is never fetched: the gate reports it instead.
import { readdirSync, readFileSync } from 'node:fs';
import npa from 'npm-package-arg';
import { describe, expect, it } from 'vitest';
import { getPackageNameProblem, toRegistryPath } from '../../src/registry/package-name.js';

// npm's reasons, read the way npm-package-arg words them.
function npmReasons(name: string): string | undefined {
  try {
    npa.resolve(name, '*');
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    return message.slice(message.lastIndexOf('": ') + 3).replace(/\.$/, '');
  }
}

describe('getPackageNameProblem', () => {
  it('accepts what npm accepts, old-style capitals and long names included', () => {
    for (const name of ['a', 'axios', '@scope/pkg', 'Foo', 'x'.repeat(300), 'a.b-c_d', '@s/a.b']) expect(getPackageNameProblem(name), name).toBeUndefined();
  });

  it('refuses what npm refuses, with its reasons', () => {
    expect(getPackageNameProblem('.x')).toBe('name cannot start with a period');
    expect(getPackageNameProblem('_x')).toBe('name cannot start with an underscore');
    expect(getPackageNameProblem('node_modules')).toBe('node_modules is not a valid package name');
    for (const name of [' x', '@a/', 'a/b', '../x', '@x/y/z', 'ex\u00e9', 'a@b', '@/x']) expect(getPackageNameProblem(name), JSON.stringify(name)).toBeDefined();
  });

  it('gives npm\'s verdict and reasons for every short name over a hostile alphabet', () => {
    const alphabet = ['a', 'A', '-', '.', '_', '@', '/', '~', '!', '*', ' ', '%', '\u00e9', ':', '#', '?', '+', '1', '"', '\\'];
    let compared = 0;
    for (const a of alphabet) {
      for (const b of alphabet) {
        for (const c of ['', ...alphabet]) {
          const name = `${a}${b}${c}`;
          expect(getPackageNameProblem(name), JSON.stringify(name)).toBe(npmReasons(name));
          compared++;
        }
      }
    }
    expect(compared).toBe(20 * 20 * 21);
  });

  it("gives npm's verdict for every name of the lockfiles in the fixtures and for names at the edges of a plain one", () => {
    const dir = new URL('../fixtures/lockfiles/', import.meta.url);
    const names = new Set(['favicon.ico', 'FAVICON.ICO', 'node_modules', 'Node_Modules', '@s/node_modules', '@s/favicon.ico', 'a~b', '@a~/b', '1', '1a', '-a', 'a-', '@-a/b', '@a/-b', '@a/.b', '@a/_b', '@_a/b', '@.a/b', 'a..b', 'a/b', '@a/b/c', 'http', 'fs', 'a'.repeat(215)]);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      for (const file of readdirSync(new URL(`${entry.name}/`, dir))) {
        if (!file.endsWith('.json')) continue;
        const lockfile = JSON.parse(readFileSync(new URL(`${entry.name}/${file}`, dir), 'utf8')) as { packages?: Record<string, { name?: string }> };
        for (const [location, meta] of Object.entries(lockfile.packages ?? {})) {
          names.add(meta.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length));
        }
      }
    }
    expect(names.size).toBeGreaterThan(2_000);
    for (const name of names) expect(getPackageNameProblem(name), JSON.stringify(name)).toBe(npmReasons(name));
  });

  it('gives the same verdict and reasons when asked again about a name (the verdicts are remembered)', () => {
    const names = ['axios', '@scope/pkg', '.x', 'node_modules', ' x', '@x/y/z', 'Foo', ''];
    const first = names.map((name) => getPackageNameProblem(name));
    for (const [i, name] of names.entries()) {
      expect(getPackageNameProblem(name), JSON.stringify(name)).toBe(npmReasons(name));
      expect(getPackageNameProblem(name), JSON.stringify(name)).toBe(first[i]);
    }
  });

  it('gives npm\'s verdict for the empty name and single characters (npm-package-arg judges no empty name)', () => {
    for (const name of ['', 'a', '.', '_', ' ', '@', '/', 'A', '\u00e9']) expect(getPackageNameProblem(name), JSON.stringify(name)).toBe(npmReasons(name));
  });
});

describe('toRegistryPath', () => {
  it('percent-encodes every character of each part, and the scope separator as npm sends it', () => {
    expect(toRegistryPath('axios')).toBe('/axios');
    expect(toRegistryPath('@scope/pkg')).toBe('/@scope%2fpkg');
    expect(toRegistryPath('a?b#c')).toBe('/a%3Fb%23c');
    // Whatever the name, the path stays one segment under the registry.
    expect(toRegistryPath('@../../x')).toBe('/@..%2f..%2fx');
    expect(toRegistryPath('@@x/y')).toBe('/@%40x%2fy');
  });
});
