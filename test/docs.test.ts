// Every sample in the documentation is checked: policy samples validate as `policy validate`
// validates them, the inventory sample against its schema, the CI workflow's structure textually
// (no YAML parser is a dependency); every error code verify-deps defines is in docs/errors.md's
// table; and no page uses the project's internal words.

import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../src/policy/load.js';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const pages = ['README.md', ...readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

// The fenced blocks of one language in a page.
function blocks(page: string, language: string): string[] {
  return [...read(page).matchAll(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1] ?? '');
}

// The source files of src/, recursively.
function sourceFiles(dir = 'src/'): string[] {
  return readdirSync(new URL(dir, root), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(`${dir}${e.name}/`) : e.name.endsWith('.ts') ? [`${dir}${e.name}`] : []);
}

describe('the samples in the documentation', () => {
  const policySamples = blocks('docs/policy.md', 'json');

  it('docs/policy.md has policy samples, and each is a valid policy', () => {
    expect(policySamples.length).toBeGreaterThanOrEqual(3);
    for (const sample of policySamples) expect(() => parsePolicy(sample, 'docs/policy.md')).not.toThrow();
  });

  it('the inventory sample in docs/walk.md validates against schema/inventory.schema.json', () => {
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(read('schema/inventory.schema.json')) as object);
    const [sample] = blocks('docs/walk.md', 'json');
    expect(sample).toBeDefined();
    expect(validate(JSON.parse(sample ?? '')), JSON.stringify(validate.errors)).toBe(true);
  });

  describe.each(['README.md', 'docs/ci.md'])('the GitHub Actions workflow in %s', (page) => {
    const [workflow = ''] = blocks(page, 'yaml');
    const lines = workflow.split('\n').filter((l) => l.trim() !== '');

    it('is indented with spaces, in steps of two, with the keys a workflow needs', () => {
      for (const line of lines) {
        expect(line).not.toMatch(/\t/);
        expect(/^ */.exec(line)?.[0].length ?? 0).toSatisfy((n: number) => n % 2 === 0);
      }
      for (const key of [/^name: /m, /^on: /m, /^jobs:$/m, /^ {4}runs-on: /m, /^ {4}steps:$/m]) expect(workflow).toMatch(key);
    });

    it('runs a pinned verify-deps before the install and after it', () => {
      const runs = lines.filter((l) => /verify-deps(@|\s|$)/.test(l) && /- run: /.test(l));
      expect(runs.length).toBeGreaterThanOrEqual(2);
      for (const run of runs) expect(run).toMatch(/npx --yes verify-deps@\d+\.\d+\.\d+ /);
      expect(workflow.indexOf('verify-deps@')).toBeLessThan(workflow.indexOf('npm ci --ignore-scripts'));
    });

    it('uploads no hidden path unless told to include hidden files', () => {
      const paths = workflow.slice(workflow.indexOf('actions/upload-artifact'));
      const tokens = paths.replace(/#.*$/gm, '').split(/\s|"|\\n|\||,/);
      const hidden = tokens.some((t) => /^\.[A-Za-z]|\/\.[A-Za-z]/.test(t));
      if (hidden) expect(paths).toMatch(/include-hidden-files: true/);
      expect(paths).toMatch(/verify-deps-report\.json/);
    });
  });

  it('docs/api.md imports only what the package exports, and the functions it calls are functions', async () => {
    const [sample] = blocks('docs/api.md', 'js');
    const imported = /import \{([^}]*)\} from 'verify-deps'/.exec(sample ?? '')?.[1]?.split(',').map((name) => name.trim()) ?? [];
    expect(imported.length).toBeGreaterThanOrEqual(5);
    const api = (await import('../src/index.js')) as Record<string, unknown>;
    for (const name of imported) expect(api[name], name).toBeDefined();
    for (const name of ['verifyDeps', 'verifyBundle', 'loadPolicy', 'parsePolicy', 'evaluatePolicy']) expect(typeof api[name], name).toBe('function');
  });

  it('the README and docs/ci.md show the same workflow', () => {
    expect(blocks('docs/ci.md', 'yaml')).toEqual(blocks('README.md', 'yaml'));
  });
});

describe('docs/errors.md', () => {
  // Every code of an error class: the string literals of `…Code` type aliases and of
  // `VerifyDepsError<'…'>`, in every source file.
  const defined = new Set<string>(['INTERNAL_ERROR']);
  for (const file of sourceFiles()) {
    const text = read(file);
    for (const m of text.matchAll(/export type \w*Code\s*=([^;]+);/g)) {
      if (!/ErrorCode|InputCode/.test(m[0])) continue;
      for (const code of (m[1] ?? '').replace(/\/\/.*$/gm, '').matchAll(/'([A-Z][A-Z0-9_]+)'/g)) defined.add(code[1] ?? '');
    }
    for (const m of text.matchAll(/VerifyDepsError<'([A-Z][A-Z0-9_]+)'>/g)) defined.add(m[1] ?? '');
  }

  it('lists every error code verify-deps defines', () => {
    expect(defined.size).toBeGreaterThan(30);
    const table = read('docs/errors.md').split('\n').filter((l) => l.startsWith('| `')).join('\n');
    const missing = [...defined].filter((code) => !table.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});

describe('the words of the documentation', () => {
  it.each(pages)('%s names no issue number (readers have no tracker to look it up in)', (page) => {
    expect(read(page)).not.toMatch(/\bissue \d+/i);
  });
});
