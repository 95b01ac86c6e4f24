import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderGithubAnnotations } from '../../src/cli/ci-annotations.js';
import { FINDING_HINTS } from '../../src/cli/finding-hints.js';
import { indexLockfileLines } from '../../src/cli/lockfile-lines.js';
import { toSafeJson, toSafeOutput, toSafeText, toWorkflowData, toWorkflowProperty } from '../../src/cli/safe-text.js';
import type { ComplianceReport } from '../../src/report/build.js';

describe('finding hints', () => {
  it('has a one-line fix for every finding code the policy schema lists, and for EXCEPTION_EXPIRED', async () => {
    const schema = JSON.parse(await readFile(new URL('../../schema/policy.schema.json', import.meta.url), 'utf8'));
    const enums: string[][] = [];
    JSON.stringify(schema, (_key, value: unknown) => {
      if (value !== null && typeof value === 'object' && Array.isArray((value as { enum?: unknown }).enum) && (value as { enum: string[] }).enum.includes('SUBJECT_NAME_MISMATCH')) enums.push((value as { enum: string[] }).enum);
      return value;
    });
    expect(enums.length).toBeGreaterThan(0);
    const codes = new Set([...enums.flat(), 'EXCEPTION_EXPIRED']);
    expect(Object.keys(FINDING_HINTS).sort()).toEqual([...codes].sort());
    for (const hint of Object.values(FINDING_HINTS)) expect(hint).toMatch(/^[^\n]{10,200}$/);
  });
});

describe('the sanitiser', () => {
  it('escapes control, separator and bidi characters in a value, so none reaches the output raw', () => {
    const hostile = 'a\n::error::pwned\r\u001b[31m\u0085\u2028\u2029\u202a\u202e\u2066\u2069\u0000';
    const safe = toSafeText(hostile);
    expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(safe).toContain('\\u{1b}');
  });

  it('keeps the output\'s own line breaks and lets no line start a workflow command', () => {
    const out = toSafeOutput('fine\n  ::error::pwned\n::warning file=x::y\n##vso[task.setvariable]x\n\u001b[2J');
    expect(out.split('\n')).toHaveLength(5);
    for (const line of out.split('\n')) expect(line.trimStart()).not.toMatch(/^(::|##vso\[)/);
    expect(out).not.toContain('\u001b');
  });

  it('writes JSON whose value is unchanged but whose text holds no bidi or separator character', () => {
    const value = { name: 'a\u202eb\u2028c\u0085d\u2066' };
    const text = toSafeJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(/[\u0085\u2028\u202e\u2066]/);
  });

  it('escapes workflow-command data and properties as actions/toolkit does', () => {
    expect(toWorkflowData('100%')).toBe('100%25');
    expect(toWorkflowProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    expect(toWorkflowData('x\n::error::y')).not.toContain('\n');
  });
});

describe('lockfile lines', () => {
  it('finds the line of each node_modules key, nested and scoped ones too', () => {
    const text = JSON.stringify({ packages: { '': {}, 'node_modules/a': { version: '1' }, 'node_modules/@s/b': {}, 'node_modules/a/node_modules/c': {} } }, null, 2);
    const lines = indexLockfileLines(text);
    const at = (key: string) => text.split('\n').findIndex((l) => l.includes(`"${key}": {`)) + 1;
    expect(Object.fromEntries(lines)).toEqual({ 'node_modules/a': at('node_modules/a'), 'node_modules/@s/b': at('node_modules/@s/b'), 'node_modules/a/node_modules/c': at('node_modules/a/node_modules/c') });
  });
});

describe('GitHub annotations', () => {
  it('stay within 10 errors per step, one per finding code, however many codes and packages failed', () => {
    const codes = Object.keys(FINDING_HINTS).slice(0, 14);
    const packages = Array.from({ length: 300 }, (_, i) => {
      const code = codes[i % codes.length] ?? 'NO_EVIDENCE';
      return { name: `p${i}`, version: '1.0.0', locations: [`node_modules/p${i}`], registry: 'https://r.example/', findings: [{ code, message: `p${i}@1.0.0 rejected: ${code} — x`, enforcement: 'strict' as const }] };
    });
    const report = {
      verdict: 'fail',
      lockfile: { path: 'package-lock.json' },
      registries: [{ url: 'https://r.example/', publishesKeys: true }],
      observations: { signatureStrippingRegistries: ['https://r.example/'], warnings: [] },
      packages,
      notVerified: [],
    } as unknown as ComplianceReport;
    const lines = new Map(packages.map((p, i) => [`node_modules/${p.name}`, i + 10]));
    const annotations = renderGithubAnnotations(report, lines).trim().split('\n');
    expect(annotations).toHaveLength(10);
    expect(annotations[0]).toMatch(/^::error file=package-lock\.json,title=registry strips signatures::/);
    expect(annotations[1]).toMatch(/^::error file=package-lock\.json,line=\d+,title=[A-Z_]+ \(2[12] packages\)::/);
    expect(annotations[9]).toMatch(/^::error file=package-lock\.json,title=6 more::/);
  });
});
