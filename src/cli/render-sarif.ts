// SARIF 2.1.0 for GitHub code scanning (`--sarif FILE`): one rule per finding code with its fix,
// one result per package finding, at the package's entry in the lockfile. The run's diagnosis (a
// registry that strips signatures or publishes no keys) is said first, as a result of its own.

import type { ComplianceReport } from '../report/build.js';
import { diagnoseRun, groupFindings } from './finding-groups.js';
import { getFindingHint } from './finding-hints.js';
import type { LockfileLines } from './ci-annotations.js';
import { toSafeText } from './safe-text.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const DIAGNOSIS_RULE = 'REGISTRY_DIAGNOSIS';

// The SARIF log of a report. `lockfileUri` is the lockfile's path relative to the repository root.
export function renderSarif(report: ComplianceReport, lines: LockfileLines, lockfileUri: string): string {
  const groups = groupFindings(report, lines);
  const codes = [...new Set(groups.map((g) => g.code))];
  const diagnoses = diagnoseRun(report);
  const ruleIds = [...(diagnoses.length > 0 ? [DIAGNOSIS_RULE] : []), ...codes];
  const rules = ruleIds.map((id) => {
    const help = id === DIAGNOSIS_RULE ? 'Point npm or --registry at a registry that serves signatures and provenance.' : getFindingHint(id);
    return {
      id,
      name: id,
      shortDescription: { text: id === DIAGNOSIS_RULE ? 'The registry serves nothing that can be verified' : `verify-deps finding ${id}` },
      help: { text: help },
    };
  });
  const location = (startLine: number) => ({ physicalLocation: { artifactLocation: { uri: lockfileUri }, region: { startLine } } });
  const failing = report.verdict !== 'pass';
  const results = [
    ...diagnoses.map((d) => ({ ruleId: DIAGNOSIS_RULE, ruleIndex: 0, level: failing ? 'error' : 'warning', message: { text: toSafeText(d.message) }, locations: [location(1)] })),
    ...groups.flatMap((g) =>
      g.findings.map((f) => ({
        ruleId: g.code,
        ruleIndex: ruleIds.indexOf(g.code),
        level: g.enforcement === 'strict' ? 'error' : 'warning',
        message: { text: toSafeText(f.finding.message) },
        locations: [location(f.line)],
        partialFingerprints: { package: toSafeText(f.pkg) },
      })),
    ),
  ];
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'verify-deps', version: report.tool.version, rules } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
