// The README's policy and report references are generated from the schemas; a README that says
// something else than the schemas fails here (run `npm run generate`).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateReadme } from '../schema/generate-docs.mjs';
import { HELP_TEXT } from '../src/cli/help.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('carries the policy and report references generated from schema/', async () => {
    expect(readme).toBe(await generateReadme());
  });

  it('opens with the two commands that matter', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm ci && npx verify-deps/m);
    expect(firstBlock).toMatch(/^npm test/m);
  });

  it('shows the CLI usage exactly as --help prints it', () => {
    const usage = HELP_TEXT.split('\n').slice(2).join('\n').trimEnd();
    expect(readme).toContain(usage);
  });
});
