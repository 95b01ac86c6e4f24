// Where a run happened, from the CI system's standard environment variables, so an auditor can
// trace a report back to its pipeline run. Pure: the environment is passed in.

import type { ComplianceReport } from './report.generated.js';

// The report's `ci` object (schema/report.schema.json defines it).
export type CiContext = NonNullable<ComplianceReport['ci']>;

type Env = Readonly<Record<string, string | undefined>>;

// Returns the CI context of GitHub Actions or GitLab CI, or undefined outside them.
export function getCiContext(env: Env): CiContext | undefined {
  if (env.GITHUB_ACTIONS === 'true') {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    return compact({
      provider: 'github-actions',
      runUrl: env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
      commit: env.GITHUB_SHA,
      ref: env.GITHUB_REF,
      workflow: env.GITHUB_WORKFLOW_REF ?? env.GITHUB_WORKFLOW,
      repository: env.GITHUB_REPOSITORY,
    });
  }
  if (env.GITLAB_CI === 'true') {
    return compact({
      provider: 'gitlab-ci',
      runUrl: env.CI_PIPELINE_URL ?? env.CI_JOB_URL,
      commit: env.CI_COMMIT_SHA,
      ref: env.CI_COMMIT_REF_NAME,
      workflow: env.CI_CONFIG_PATH,
      repository: env.CI_PROJECT_PATH,
    });
  }
  return undefined;
}

function compact(context: { provider: CiContext['provider'] } & Record<string, string | undefined>): CiContext {
  return Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined && value !== '')) as unknown as CiContext;
}
