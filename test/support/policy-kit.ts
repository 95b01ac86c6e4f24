// Plumbing for the end-to-end policy tests (test/e2e/policy-*.test.ts), on top of attack-kit.ts:
// `policyRun` writes a policy document into the workspace, runs the REAL built CLI
// (`check --policy FILE --json`) on a fresh project with a fresh cache, and reads the compliance
// report's policy fields (findings with their enforcement, rule, waived, exceptionsUsed).
import { makeNpmAttestations } from './attestations.js';
import { packageOf } from './attack-mutations.js';
import { checkRun, PUBLISHED, type CheckRunOptions } from './attack-kit.js';
import type { CiIdentity } from './identity.js';
import * as mutate from './mutate.js';
import type { ComplianceReport } from '../../src/report/build.js';
import type { TestPki } from './pki.js';
import type { RegistryScenario } from './scenario-types.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

// The CLI's --json output is the compliance report: its types come from schema/report.schema.json.
export type PolicyReportJson = ComplianceReport;
export type PolicyPackageJson = ComplianceReport['packages'][number];
export type PolicyFindingJson = PolicyPackageJson['findings'][number];
export type ExceptionUseJson = ComplianceReport['exceptionsUsed'][number];

export interface PolicyRun {
  code: number | null;
  stderr: string;
  report: PolicyReportJson;
  pkg(name: string, version?: string): PolicyPackageJson;
  // Standing finding codes of the package, in report order.
  codes(name: string, version?: string): string[];
  // Codes of its waived findings.
  waived(name: string, version?: string): string[];
  // The enforcement of each standing finding.
  enforcements(name: string, version?: string): string[];
}

export interface PolicyRunOptions extends Omit<CheckRunOptions, 'extraArgs'> {
  // A policy document (written to `<label>.policy.json` in the workspace) or, as a string, the
  // path of a policy file; absent: no --policy (the project's or the built-in policy applies).
  policy?: object | string;
  args?: readonly string[];
}

// `verify-deps check --json [--policy FILE] [args]`, as checkRun does it, with the policy fields read.
export async function policyRun(o: PolicyRunOptions): Promise<PolicyRun> {
  const policyArgs =
    o.policy === undefined ? [] : ['--policy', typeof o.policy === 'string' ? o.policy : await o.ws.writeJson(`${o.label}.policy.json`, o.policy)];
  const run = await checkRun({ ...o, extraArgs: [...policyArgs, ...(o.args ?? [])] });
  const report = run.report as unknown as PolicyReportJson;
  const pkg = (name: string, version?: string) => run.pkg(name, version) as unknown as PolicyPackageJson;
  return {
    code: run.code,
    stderr: run.stderr,
    report,
    pkg,
    codes: (name, version) => pkg(name, version).findings.map((f) => f.code),
    waived: (name, version) => pkg(name, version).waived.map((f) => f.code),
    enforcements: (name, version) => pkg(name, version).findings.map((f) => f.enforcement),
  };
}

// A strict native policy with these rules (and any other top-level fields).
export function rulesPolicy(rules: readonly object[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: 1, enforcement: 'strict', rules, ...extra };
}

// Scenario in which name@version carries fresh provenance + publish attestations signed by this
// identity (logged by the test PKI at `time`, default PUBLISHED); null identity: no attestations.
export function attestedBy(pki: TestPki, scenario: RegistryScenario, name: string, identity: CiIdentity | null, version = '1.0.0', time = PUBLISHED): RegistryScenario {
  const doc = identity === null ? null : makeNpmAttestations(pki, packageOf(scenario, name, version), { identity, time });
  return mutate.withAttestations(scenario, name, version, doc);
}

// The `  /json/path: message` lines `verify-deps` prints under a POLICY_INVALID error: the path of
// each, in order (one line per problem).
export function problemPaths(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .map((line) => {
      const match = /^ {2}(\/\S*): \S/.exec(line);
      if (match === null) throw new Error(`a problem line without a JSON path: ${JSON.stringify(line)}`);
      return match[1] as string;
    });
}
