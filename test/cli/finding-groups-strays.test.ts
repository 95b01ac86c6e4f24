import { describe, expect, it } from 'vitest';
import { groupFindings } from '../../src/cli/finding-groups.js';
import type { ComplianceReport } from '../../src/report/build.js';

// What sits in node_modules without a lockfile entry belongs to no package, and still reaches
// --quiet, SARIF and the CI annotations, which read the findings through groupFindings.
describe('groupFindings with installedTree findings', () => {
  it('groups INSTALLED_TREE_MODIFIED by the node_modules path', () => {
    const finding = { code: 'INSTALLED_TREE_MODIFIED', message: 'node_modules/evil rejected: INSTALLED_TREE_MODIFIED — …', enforcement: 'strict' as const, details: { location: 'node_modules', path: 'evil', kind: 'added' } };
    const report = { packages: [], installedTree: { findings: [finding] } } as unknown as ComplianceReport;
    const groups = groupFindings(report, new Map());
    expect(groups.map((g) => [g.code, g.enforcement, g.findings.map((f) => f.pkg)])).toEqual([['INSTALLED_TREE_MODIFIED', 'strict', ['node_modules/evil']]]);
  });
});
