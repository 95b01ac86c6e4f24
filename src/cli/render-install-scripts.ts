import type { ComplianceReport } from '../report/build.js';
import { plural } from './plural.js';
import { toSafeText } from './safe-text.js';

const EXAMPLES = 5;

// The install-scripts lines of the human summary: how many packages' scripts npm may run, how
// many of those allowScripts approves, and which lack the evidence scripts need.
export function renderInstallScripts(report: ComplianceReport): string[] {
  const section = report.installScripts;
  if (section === undefined || section.mayRun.length === 0) return [];
  const approved = section.mayRun.filter((r) => r.approvedBy.length > 0);
  const unreviewed = section.mayRun.length - approved.length;
  const unverified = section.mayRun.filter((r) => !r.verified);
  const parts = [`${approved.length} approved in allowScripts`, ...(unreviewed > 0 ? [`${unreviewed} not reviewed (npm 11 runs them with a warning, npm 12 skips them)`] : [])];
  const lines = [`  install scripts: ${plural(section.mayRun.length, 'package')} may run them (${parts.join(', ')}); ${unverified.length} without verified provenance`];
  for (const run of approved.slice(0, EXAMPLES)) lines.push(`    ${toSafeText(`${run.name}@${run.version}`)} (approved by ${toSafeText(run.approvedBy.join(', '))}; ${run.verified ? 'verified provenance' : 'NOT verified'})`);
  if (approved.length > EXAMPLES) lines.push(`    … and ${approved.length - EXAMPLES} more (every one is in --json)`);
  return lines;
}
