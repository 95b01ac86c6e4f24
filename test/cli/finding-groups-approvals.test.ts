import { describe, expect, it } from 'vitest';
import { describeGroup, groupFindings } from '../../src/cli/finding-groups.js';
import type { ComplianceReport } from '../../src/report/build.js';

// A stale allowScripts approval belongs to no package, and still reaches --quiet, SARIF and the
// CI annotations, which read the findings through groupFindings.
describe('groupFindings with allowScripts findings', () => {
  it('groups SCRIPT_APPROVAL_STALE by the approval as written', () => {
    const finding = { code: 'SCRIPT_APPROVAL_STALE', message: 'allowScripts "gone" rejected: SCRIPT_APPROVAL_STALE — …', enforcement: 'strict' as const, details: { approval: 'gone', found: [] } };
    const report = { packages: [], installScripts: { allowScripts: true, mayRun: [], findings: [finding] } } as unknown as ComplianceReport;
    const groups = groupFindings(report, new Map());
    expect(groups.map((g) => [g.code, g.enforcement, g.findings.map((f) => f.pkg)])).toEqual([['SCRIPT_APPROVAL_STALE', 'strict', ['allowScripts@gone']]]);
    expect(describeGroup(groups[0] as (typeof groups)[number], 3)).toContain('allowScripts@gone');
  });
});
