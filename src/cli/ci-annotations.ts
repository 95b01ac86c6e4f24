import { createHash } from 'node:crypto';
import type { ComplianceReport } from '../report/build.js';
import { renderUnverifiedLine } from './render-unverified.js';

type Finding = ComplianceReport['packages'][number]['findings'][number];

const UNVERIFIED_TITLE = 'passed without verified evidence';
const UNVERIFIED_NAMES = 20;

// GitHub Actions workflow commands: one ::error per strict finding and one ::warning per audit
// finding, pointing at the lockfile, so they show on the pull request; and one ::warning saying
// how many packages passed without verified evidence, when any did.
export function renderGithubAnnotations(report: ComplianceReport): string {
  const file = escapeProperty(report.lockfile.path);
  const lines = eachFinding(report).map(
    ({ finding }) => `::${finding.enforcement === 'strict' ? 'error' : 'warning'} file=${file},title=${escapeProperty(finding.code)}::${escapeData(finding.message)}\n`,
  );
  if (report.notVerified.length > 0) lines.push(`::warning file=${file},title=${escapeProperty(UNVERIFIED_TITLE)}::${escapeData(describeUnverified(report))}\n`);
  return lines.join('');
}

const SUMMARY_ROWS = 200;

// A Markdown summary for $GITHUB_STEP_SUMMARY: the verdict, the counts, a table of findings.
export function renderGithubStepSummary(report: ComplianceReport): string {
  const { counts } = report;
  const lines = [
    `## verify-deps: ${report.verdict.toUpperCase()}`,
    '',
    `Policy \`${report.policy.path}\` (${report.enforcement}), lockfile \`${report.lockfile.path}\`, evaluated at ${report.evaluatedAt}.`,
    '',
    '| packages | checked | verified | passed without verified evidence | verified signatures | verified provenance | bundled | not from a registry | failed | waived |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${counts.packages} | ${counts.checked} | ${counts.verified} | ${counts.passedWithoutVerifiedEvidence} | ${counts.verifiedSignatures} | ${counts.verifiedProvenance} | ${counts.coveredByBundle} | ${counts.nonRegistry} | ${counts.failed} | ${counts.waived} |`,
    '',
    renderUnverifiedLine(report.notVerified),
  ];
  const findings = eachFinding(report);
  if (findings.length > 0) {
    lines.push('', '| package | code | enforcement | finding |', '| --- | --- | --- | --- |');
    for (const { pkg, finding } of findings.slice(0, SUMMARY_ROWS)) {
      lines.push(`| \`${pkg}\` | \`${finding.code}\` | ${finding.enforcement} | ${escapeCell(finding.message)} |`);
    }
    if (findings.length > SUMMARY_ROWS) lines.push('', `…and ${findings.length - SUMMARY_ROWS} more findings: see the compliance report.`);
  }
  return `${lines.join('\n')}\n`;
}

// GitLab's code-quality report (a Code Climate subset): one issue per finding, on the lockfile,
// and one (`passed-without-verified-evidence`, info) saying how many packages passed without
// verified evidence, when any did.
export function renderGitlabCodeQuality(report: ComplianceReport): string {
  const location = { path: report.lockfile.path, lines: { begin: 1 } };
  const issues = eachFinding(report).map(({ pkg, finding }) => ({
    description: finding.message,
    check_name: finding.code,
    fingerprint: createHash('sha256').update(`${pkg}\0${finding.code}\0${finding.message}`).digest('hex'),
    severity: finding.enforcement === 'strict' ? 'blocker' : 'minor',
    location,
  }));
  if (report.notVerified.length > 0) {
    const description = describeUnverified(report);
    const fingerprint = createHash('sha256').update(`passed-without-verified-evidence\0${description}`).digest('hex');
    issues.push({ description, check_name: 'passed-without-verified-evidence', fingerprint, severity: 'info', location });
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}

// The summary line, then the packages by name: `passed without verified evidence: N packages (why) — a@1, …`.
function describeUnverified(report: ComplianceReport): string {
  const names = report.notVerified.map((p) => `${p.name}@${p.version}`);
  const more = names.length > UNVERIFIED_NAMES ? `, … and ${names.length - UNVERIFIED_NAMES} more (see the compliance report's notVerified)` : '';
  return `${renderUnverifiedLine(report.notVerified)} — ${names.slice(0, UNVERIFIED_NAMES).join(', ')}${more}`;
}

function eachFinding(report: ComplianceReport): Array<{ pkg: string; finding: Finding }> {
  return report.packages.flatMap((p) => p.findings.map((finding) => ({ pkg: `${p.name}@${p.version}`, finding })));
}

// Workflow-command escaping (actions/toolkit's): data escapes %, CR and LF; properties also : and ,.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
