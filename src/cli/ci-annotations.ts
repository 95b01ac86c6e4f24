import { sha256Hex } from '../canonical-json.js';
import type { ComplianceReport } from '../report/build.js';
import { describeGroup, diagnoseRun, groupFindings, type FindingGroup } from './finding-groups.js';
import { getPackageLine } from './lockfile-lines.js';
import { renderUnverifiedLine } from './render-unverified.js';
import { toMarkdownCell, toSafeText, toWorkflowData, toWorkflowProperty } from './safe-text.js';

const UNVERIFIED_TITLE = 'passed without verified evidence';
const UNVERIFIED_NAMES = 20;
// GitHub shows at most 10 error and 10 warning annotations per step: more are dropped unseen.
const ANNOTATIONS_PER_LEVEL = 10;
const EXAMPLES = 3;
const SUMMARY_GROUPS = 50;

// Line numbers of the lockfile's package entries, by location (indexLockfileLines).
export type LockfileLines = ReadonlyMap<string, number>;

interface Annotation {
  title: string;
  message: string;
  line?: number;
}

// GitHub Actions workflow commands: the run's diagnosis first (a registry that strips signatures
// or publishes no keys), then one annotation per finding code (how many packages, the first few,
// the fix) at the first package's entry in the lockfile, within GitHub's 10 errors and 10
// warnings per step. Every value is escaped, so no name or message can issue a command.
export function renderGithubAnnotations(report: ComplianceReport, lines: LockfileLines): string {
  const groups = groupFindings(report, lines);
  const failing = report.verdict !== 'pass';
  const diagnoses = diagnoseRun(report).map((d) => ({ title: d.title, message: d.message }));
  const errors: Annotation[] = [...(failing ? diagnoses : []), ...groups.filter((g) => g.enforcement === 'strict').map(toAnnotation)];
  const warnings: Annotation[] = [...(failing ? [] : diagnoses), ...groups.filter((g) => g.enforcement === 'audit').map(toAnnotation)];
  if (report.notVerified.length > 0) warnings.push({ title: UNVERIFIED_TITLE, message: describeUnverified(report) });
  const file = toWorkflowProperty(report.lockfile.path);
  const render = (level: string, a: Annotation) => {
    const line = a.line === undefined ? '' : `,line=${a.line}`;
    return `::${level} file=${file}${line},title=${toWorkflowProperty(a.title)}::${toWorkflowData(a.message)}\n`;
  };
  return [...cap(errors).map((a) => render('error', a)), ...cap(warnings).map((a) => render('warning', a))].join('');
}

// A Markdown summary for $GITHUB_STEP_SUMMARY: the verdict, the run's diagnosis, the counts, and
// the findings by code (how many packages, the first few, the fix).
export function renderGithubStepSummary(report: ComplianceReport, lines: LockfileLines): string {
  const { counts } = report;
  const out = [`## verify-deps: ${report.verdict.toUpperCase()}`, ''];
  for (const d of diagnoseRun(report)) out.push(`> **${toMarkdownCell(d.title)}**: ${toMarkdownCell(d.message)}`, '');
  out.push(
    `Policy \`${toSafeText(report.policy.path)}\` (${report.enforcement}), lockfile \`${toSafeText(report.lockfile.path)}\`, evaluated at ${report.evaluatedAt}.`,
    '',
    '| packages | checked | verified | passed without verified evidence | verified signatures | verified provenance | bundled | not from a registry | failed | waived |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${counts.packages} | ${counts.checked} | ${counts.verified} | ${counts.passedWithoutVerifiedEvidence} | ${counts.verifiedSignatures} | ${counts.verifiedProvenance} | ${counts.coveredByBundle} | ${counts.nonRegistry} | ${counts.failed} | ${counts.waived} |`,
    '',
    toSafeText(renderUnverifiedLine(report.notVerified)),
  );
  const groups = groupFindings(report, lines);
  if (groups.length > 0) {
    out.push('', '| code | enforcement | packages | first packages | what to do |', '| --- | --- | ---: | --- | --- |');
    for (const g of groups.slice(0, SUMMARY_GROUPS)) {
      const names = [...new Set(g.findings.map((f) => f.pkg))];
      const first = names.slice(0, EXAMPLES).map((n) => `${toMarkdownCell(n)} (line ${g.findings.find((f) => f.pkg === n)?.line ?? 1})`).join(', ');
      out.push(`| \`${g.code}\` | ${g.enforcement} | ${names.length} | ${first}${names.length > EXAMPLES ? ', …' : ''} | ${toMarkdownCell(g.hint)} |`);
    }
    if (groups.length > SUMMARY_GROUPS) out.push('', `…and ${groups.length - SUMMARY_GROUPS} more finding codes: see the compliance report.`);
  }
  return `${out.join('\n')}\n`;
}

// GitLab's code-quality report (a Code Climate subset): the run's diagnosis first, then one issue
// per finding at the package's entry in the lockfile, and one (`passed-without-verified-evidence`,
// info) saying how many packages passed without verified evidence, when any did.
export function renderGitlabCodeQuality(report: ComplianceReport, lines: LockfileLines): string {
  const path = report.lockfile.path;
  const issues = diagnoseRun(report).map((d) => ({
    description: toSafeText(d.message),
    check_name: d.title.replace(/ /g, '-'),
    fingerprint: sha256Hex(`${d.title}\0${d.message}`),
    severity: report.verdict === 'pass' ? 'major' : 'blocker',
    location: { path, lines: { begin: 1 } },
  }));
  for (const p of report.packages) {
    const begin = getPackageLine(lines, p.locations);
    for (const finding of p.findings) {
      issues.push({
        description: toSafeText(finding.message),
        check_name: finding.code,
        fingerprint: sha256Hex(`${p.name}@${p.version}\0${finding.code}\0${finding.message}`),
        severity: finding.enforcement === 'strict' ? 'blocker' : 'minor',
        location: { path, lines: { begin } },
      });
    }
  }
  if (report.notVerified.length > 0) {
    const description = describeUnverified(report);
    issues.push({ description, check_name: 'passed-without-verified-evidence', fingerprint: sha256Hex(`passed-without-verified-evidence\0${description}`), severity: 'info', location: { path, lines: { begin: 1 } } });
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}

function toAnnotation(group: FindingGroup): Annotation {
  const packages = new Set(group.findings.map((f) => f.pkg)).size;
  return { title: `${group.code} (${packages} ${packages === 1 ? 'package' : 'packages'})`, message: describeGroup(group, EXAMPLES), line: group.findings[0]?.line ?? 1 };
}

// At most ANNOTATIONS_PER_LEVEL: the last one left says what else there is.
function cap(annotations: readonly Annotation[]): Annotation[] {
  if (annotations.length <= ANNOTATIONS_PER_LEVEL) return [...annotations];
  const kept = annotations.slice(0, ANNOTATIONS_PER_LEVEL - 1);
  const rest = annotations.slice(ANNOTATIONS_PER_LEVEL - 1);
  kept.push({ title: `${rest.length} more`, message: `${rest.map((a) => a.title).join('; ')}: see the job summary and the compliance report.` });
  return kept;
}

// The summary line, then the packages by name: `passed without verified evidence: N packages (why) — a@1, …`.
function describeUnverified(report: ComplianceReport): string {
  const names = report.notVerified.map((p) => `${p.name}@${p.version}`);
  const more = names.length > UNVERIFIED_NAMES ? `, … and ${names.length - UNVERIFIED_NAMES} more (see the compliance report's notVerified)` : '';
  return toSafeText(`${renderUnverifiedLine(report.notVerified)} — ${names.slice(0, UNVERIFIED_NAMES).join(', ')}${more}`);
}
