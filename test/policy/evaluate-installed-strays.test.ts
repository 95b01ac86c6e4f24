// --installed: what sits in node_modules without a lockfile entry belongs to no package, so the
// policy's own enforcement judges it, and it counts in the verdict.

import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/policy/index.js';
import type { CheckFinding } from '../../src/check/types.js';
import { NOW, oneRule, REKOR, subject } from './_helpers.js';

const STRAY: CheckFinding = { code: 'INSTALLED_TREE_MODIFIED', message: 'expected no node_modules/evil (no lockfile entry installs it), found one', details: { location: 'node_modules', path: 'evil', kind: 'added' } };
const judge = (strayInstalled: CheckFinding[] | undefined, enforcement = 'strict') =>
  evaluatePolicy({ subjects: [subject('a', '1.0.0')], trustedLogs: [REKOR], ...(strayInstalled === undefined ? {} : { strayInstalled }) }, oneRule({}, { enforcement }), NOW);

describe('node_modules entries no lockfile entry installs', () => {
  it('fail the verdict under strict enforcement, named by their path', () => {
    const decision = judge([STRAY]);
    expect(decision.verdict).toBe('fail');
    expect(decision.packages[0]?.findings).toEqual([]);
    expect(decision.strayInstalled?.map((f) => [f.code, f.enforcement, f.package, f.rule])).toEqual([['INSTALLED_TREE_MODIFIED', 'strict', 'node_modules/evil', null]]);
  });

  it('are reported, not blocking, under audit enforcement', () => {
    const decision = judge([STRAY], 'audit');
    expect(decision.verdict).toBe('pass');
    expect(decision.strayInstalled?.map((f) => [f.code, f.enforcement])).toEqual([['INSTALLED_TREE_MODIFIED', 'audit']]);
  });

  it('none found: the verdict is the packages\'; without --installed there is no such section', () => {
    expect(judge([]).verdict).toBe('pass');
    expect(judge([]).strayInstalled).toEqual([]);
    expect(judge(undefined).strayInstalled).toBeUndefined();
  });
});
