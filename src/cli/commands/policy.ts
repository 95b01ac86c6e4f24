import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readProjectTree, runCheck, type CheckResult } from '../../check/index.js';
import { EXIT, InputError, type ExitCode } from '../../errors.js';
import { PROJECT_POLICY_FILE, toPolicyInput } from '../../gate/index.js';
import { isIncompleteCode, learnIdentityLock, parsePolicy, serializeIdentityLock } from '../../policy/index.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import type { CliArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { renderDefaultPolicy } from '../policy-file.js';
import { toGateOptions } from './check.js';
import { plural } from '../plural.js';

export const IDENTITY_LOCK_FILE = 'verify-deps.identities.json';

// `verify-deps policy validate FILE` and `verify-deps policy learn [dir]`.
export async function runPolicyCommand(args: CliArgs, io: CliIo, clockAtStart: Date): Promise<ExitCode> {
  return args.action === 'validate' ? validatePolicyFile(args.dir, io) : learnIdentities(args, io, clockAtStart);
}

// Exit 0 for a usable policy (warnings printed), else 2 with every problem and its JSON path.
async function validatePolicyFile(file: string, io: CliIo): Promise<ExitCode> {
  const text = await readFile(file, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    // Its own hint: `policy validate` takes the file as its argument, and has no --policy.
    throw new InputError('POLICY_UNREADABLE', `${file}: cannot be read (${cause.code ?? String(cause)})`, { file, hint: 'Pass the path of an existing policy file: `verify-deps policy validate FILE`.' });
  });
  const { policy, warnings } = parsePolicy(text, file);
  for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
  io.stderr(`${file}: a valid policy (${policy.format} format): ${plural(policy.rules.length, 'rule')}, ${plural(policy.exceptions.length, 'exception')}, enforcement ${policy.enforcement}\n`);
  return EXIT.pass;
}

// Trust on first use for signers: record the identity of every package with verified provenance
// today, so that a later signer from another repository or workflow fails (IDENTITY_CHANGED).
// Nothing learned writes nothing: an empty lock pins nothing, yet would read as if it did.
async function learnIdentities(args: CliArgs, io: CliIo, clockAtStart: Date): Promise<ExitCode> {
  const projectDir = resolve(args.dir);
  const options = toGateOptions(args, clockAtStart);
  const check = await runCheck({ ...options, tree: await readProjectTree(projectDir, { ...options.treeOptions, omit: args.omit }) });
  const lock = learnIdentityLock(toPolicyInput(check, undefined).subjects);
  const learned = Object.keys(lock.packages).length;
  if (learned === 0) return reportNothingLearned(check, io);
  const lockPath = join(projectDir, IDENTITY_LOCK_FILE);
  await writeFileAtomic(lockPath, serializeIdentityLock(lock));
  io.stderr(`verify-deps: wrote ${lockPath}: the signer identities of ${plural(learned, 'package')} with verified provenance\n`);

  const policyPath = join(projectDir, PROJECT_POLICY_FILE);
  if (!(await stat(policyPath).catch(() => null))?.isFile()) {
    await writeFileAtomic(policyPath, await renderDefaultPolicy({ identityLock: IDENTITY_LOCK_FILE }));
    io.stderr(`verify-deps: wrote ${policyPath}: the default policy, pinned to ${IDENTITY_LOCK_FILE}\n`);
  } else if (parsePolicy(await readFile(policyPath, 'utf8'), policyPath).policy.identityLock === null) {
    io.stderr(`verify-deps: add "identityLock": "${IDENTITY_LOCK_FILE}" to ${policyPath} so that later runs enforce the lock\n`);
  }
  return EXIT.pass;
}

// Exit 3 when some package could not be checked (a rerun may learn something), else 1: the run
// worked and its result is that no package carries a signer identity to pin, a finding about the
// packages (as `check` fails them, NO_EVIDENCE behind a keyless registry), not a usage error.
function reportNothingLearned(check: CheckResult, io: CliIo): ExitCode {
  io.stderr(`verify-deps: learned nothing: none of the ${plural(check.packages.length, 'registry package')} carries verified provenance, so there is no signer identity to lock; wrote nothing\n`);
  for (const { registry } of check.registries.filter((r) => !r.publishesKeys)) {
    io.stderr(`  ${registry} publishes no signing keys and served no attestation that verified: nothing from it could be verified\n`);
  }
  const unchecked = check.packages.filter((o) => o.findings.some((f) => isIncompleteCode(f.code))).length;
  if (unchecked === 0) return EXIT.policyFailure;
  io.stderr(`  ${plural(unchecked, 'package')} could not be checked (see \`verify-deps check\`): rerun when their evidence can be had\n`);
  return EXIT.incomplete;
}
