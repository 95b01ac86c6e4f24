// The documentation's generated sections (usage, policy and report references) come from --help
// and the schemas; a page that says something else fails here (run `npm run generate`).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_PAGES, generatePage } from '../schema/generate-docs.mjs';
import { HELP_TEXT } from '../src/cli/help.js';

const read = (page: string) => readFileSync(new URL(`../${page}`, import.meta.url), 'utf8');
const readme = read('README.md');

describe('the documentation', () => {
  it.each(Object.keys(GENERATED_PAGES))('%s carries the sections generated from schema/ and --help', async (page) => {
    expect(read(page)).toBe(await generatePage(page));
  });

  it('shows the CLI usage exactly as --help prints it', () => {
    const usage = HELP_TEXT.split('\n').slice(2).join('\n').trimEnd();
    expect(read('docs/usage.md')).toContain(usage);
  });
});

describe('README.md', () => {
  it('opens with the two commands that matter', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm ci && npx verify-deps/m);
    expect(firstBlock).toMatch(/^npm test/m);
  });

  it('stays a front door: at most 300 lines, every docs/ page linked', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    for (const page of ['usage', 'policy', 'finding-codes', 'errors', 'report', 'ci', 'security', 'walk', 'verify-bundle', 'speed', 'development']) {
      expect(readme).toContain(`](docs/${page}.md)`);
    }
  });
});
