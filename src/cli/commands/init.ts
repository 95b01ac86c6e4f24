import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EXIT, InputError, type ExitCode } from '../../errors.js';
import { PROJECT_POLICY_FILE } from '../../gate/index.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import type { CliArgs } from '../args.js';
import { GITHUB_WORKFLOW_FILE, renderGithubWorkflow } from '../init/github-workflow.js';
import { planPostinstall, POSTINSTALL_LIMITS, type PostinstallPlan } from '../init/postinstall.js';
import type { CliIo } from '../io.js';
import { TOOL_VERSION } from '../tool-version.js';
import { renderDefaultPolicy } from '../policy-file.js';

// `verify-deps init [dir] [--postinstall] [--github] [--force]`: writes the default policy,
// optionally the gate as the project's postinstall script (with the devDependency it runs) and a
// GitHub Actions workflow. Everything is read and checked before the first file is written, so a
// refused init leaves the project as it was.
export async function runInitCommand(args: CliArgs, io: CliIo): Promise<ExitCode> {
  const projectDir = resolve(args.dir);
  const policyPath = join(projectDir, PROJECT_POLICY_FILE);
  const workflowPath = join(projectDir, GITHUB_WORKFLOW_FILE);
  await refuseOverwrite(policyPath, 'POLICY_EXISTS', args.force);
  if (args.github) await refuseOverwrite(workflowPath, 'WORKFLOW_EXISTS', args.force);
  const postinstall: PostinstallPlan | undefined = args.postinstall ? await planPostinstall(projectDir) : undefined;
  const policy = await renderDefaultPolicy();

  await writeFileAtomic(policyPath, policy);
  io.stderr(`verify-deps: wrote ${policyPath} (the default policy; see the README's policy reference)\n`);
  if (args.github) {
    await mkdir(dirname(workflowPath), { recursive: true });
    await writeFileAtomic(workflowPath, renderGithubWorkflow());
    io.stderr(`verify-deps: wrote ${workflowPath} (npm ci --ignore-scripts, the gate, then npm rebuild; the report is uploaded)\n`);
  }
  if (postinstall !== undefined) {
    await postinstall.save();
    io.stderr(`${postinstall.changes.join('\n')}\n${POSTINSTALL_LIMITS}`);
  }
  if (!args.github) io.stderr(CI_SNIPPET);
  return EXIT.pass;
}

async function refuseOverwrite(path: string, code: 'POLICY_EXISTS' | 'WORKFLOW_EXISTS', force: boolean): Promise<void> {
  if (!force && (await stat(path).catch(() => null)) !== null) {
    throw new InputError(code, `${path}: already exists`, { file: path, hint: 'Pass --force to replace it.' });
  }
}

const CI_SNIPPET = `
In CI, run the gate before anything a dependency can execute (\`verify-deps init --github\` writes
this as a GitHub Actions workflow):

  - run: npm ci --ignore-scripts                          # install without running any install script
  - run: npx --yes verify-deps@${TOOL_VERSION} check               # the tree, with the project's policy
  - run: npm rebuild                                      # install scripts run only after the gate passed
`;
