import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import PackageJson from '@npmcli/package-json';
import { EXIT, InputError, type ExitCode } from '../../errors.js';
import { BUILTIN_POLICY_DIR, PROJECT_POLICY_FILE } from '../../gate/index.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import type { CliArgs } from '../args.js';
import type { CliIo } from '../io.js';

// Where editors find the schema once verify-deps is installed in the project.
const SCHEMA_REF = './node_modules/verify-deps/schema/policy.schema.json';
const GATE_SCRIPT = 'verify-deps';

// `verify-deps init [dir] [--postinstall] [--force]`: writes the default policy, optionally adds
// the gate as the project's postinstall script, and prints the CI recipe.
export async function runInitCommand(args: CliArgs, io: CliIo): Promise<ExitCode> {
  const projectDir = resolve(args.dir);
  const policyPath = join(projectDir, PROJECT_POLICY_FILE);
  if (!args.force && (await stat(policyPath).catch(() => null)) !== null) {
    throw new InputError('POLICY_EXISTS', `${policyPath}: already exists`, { file: policyPath, hint: 'Pass --force to replace it.' });
  }
  const policy = JSON.parse(await readFile(join(BUILTIN_POLICY_DIR, 'default.json'), 'utf8')) as Record<string, unknown>;
  await writeFileAtomic(policyPath, `${JSON.stringify({ ...policy, $schema: SCHEMA_REF }, null, 2)}\n`);
  io.stderr(`verify-deps: wrote ${policyPath} (the default policy; see the README's policy reference)\n`);
  if (args.postinstall) io.stderr(`${await addPostinstall(projectDir)}\n`);
  io.stderr(CI_SNIPPET);
  return EXIT.pass;
}

// Adds the gate to package.json's postinstall without disturbing the rest of the file (npm's own
// @npmcli/package-json keeps its indentation and line endings). An existing postinstall runs
// after the gate, so the project's own install step runs only on a verified tree.
async function addPostinstall(projectDir: string): Promise<string> {
  let pkg;
  try {
    pkg = await PackageJson.load(projectDir);
  } catch (cause) {
    throw new InputError('PACKAGE_JSON_UNPARSEABLE', `${join(projectDir, 'package.json')}: cannot be read (${(cause as Error).message.split('\n')[0]})`, {
      file: join(projectDir, 'package.json'),
      hint: 'Run `npm init` first, or fix the JSON syntax of package.json.',
    }, cause);
  }
  const scripts = (pkg.content.scripts ?? {}) as Record<string, string>;
  const existing = scripts.postinstall;
  if (existing !== undefined && existing.split('&&').map((part) => part.trim()).includes(GATE_SCRIPT)) {
    return 'verify-deps: package.json already runs verify-deps on postinstall';
  }
  const postinstall = existing === undefined ? GATE_SCRIPT : `${GATE_SCRIPT} && ${existing}`;
  pkg.update({ scripts: { ...scripts, postinstall } });
  await pkg.save();
  return `verify-deps: package.json scripts.postinstall is now "${postinstall}"`;
}

const CI_SNIPPET = `
In CI, run the gate before anything a dependency can execute:

  - run: npx --yes verify-deps@<version> check            # the lockfile alone, before npm ci
  - run: npm ci --ignore-scripts                          # install without running any install script
  - run: npx verify-deps                                  # the installed tree, with the project's policy
  - run: npm rebuild                                      # install scripts run only after the gate passed
`;
