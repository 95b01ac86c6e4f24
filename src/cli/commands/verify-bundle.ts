// `verify-deps verify-bundle`: verify one Sigstore bundle over one artifact against a pinned
// signer, speaking the sigstore-conformance client protocol:
//   verify-bundle --bundle FILE --certificate-identity ID --certificate-oidc-issuer URL [--trusted-root FILE] FILE_OR_DIGEST
//   verify-bundle --bundle FILE --key KEY.pub [--trusted-root FILE] FILE_OR_DIGEST
// Exit 0 verified, 1 not verified, 2 bad input; one line on stderr says which and why.

import { createPublicKey } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EXIT, UsageError, VerifyDepsError, type ErrorDetails, type ExitCode } from '../../errors.js';
import { expandIdentity } from '../../policy/identity.js';
import { isAnchored, regExpError } from '../../policy/patterns.js';
import type { SignerMatcher } from '../../policy/types.js';
import { loadTrustSource } from '../../registry/trust-source.js';
import { verifyArtifactBundle, type ArtifactInput, type ArtifactBundleResult, type ExpectedSigner } from '../../verify/artifact/index.js';
import { createTrust } from '../../verify/index.js';
import { HELP_TEXT } from '../help.js';
import type { CliIo } from '../io.js';
import { formatError } from '../render-error.js';

const PREFIX = 'verify-deps verify-bundle';

// The codes of VerifyBundleInputError, stable like every error code.
export type VerifyBundleInputCode = 'BUNDLE_UNREADABLE' | 'BUNDLE_UNPARSEABLE' | 'ARTIFACT_UNREADABLE' | 'KEY_INVALID';

// A file named on the verify-bundle command line cannot be used (exit 2, not a failed verification).
export class VerifyBundleInputError extends VerifyDepsError<VerifyBundleInputCode> {
  constructor(code: VerifyBundleInputCode, message: string, details: ErrorDetails = {}, cause?: unknown) {
    super(code, message, EXIT.badInput, details, cause);
  }
}

const OPTIONS = {
  bundle: { type: 'string', multiple: true },
  'certificate-identity': { type: 'string', multiple: true },
  'certificate-identity-regexp': { type: 'string', multiple: true },
  'certificate-oidc-issuer': { type: 'string', multiple: true },
  'github-repo': { type: 'string', multiple: true },
  'github-workflow': { type: 'string', multiple: true },
  'github-ref': { type: 'string', multiple: true },
  key: { type: 'string', multiple: true },
  'trusted-root': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flag = Exclude<keyof typeof OPTIONS, 'json' | 'debug' | 'help'>;

// The pinned signer as the user gave it; `warning` is printed before verifying.
export type SignerArgument = { identity: SignerMatcher; warning?: string } | { keyFile: string };

// The parsed command line of verify-bundle.
export interface VerifyBundleArgs {
  help: false;
  bundle: string;
  signer: SignerArgument;
  trustedRoot?: string;
  // FILE_OR_DIGEST exactly as given.
  artifact: string;
  json: boolean;
  debug: boolean;
}

// `verify-deps verify-bundle ...`; argv is what follows the command word.
export async function runVerifyBundleCommand(argv: readonly string[], io: CliIo, clockAtStart: Date): Promise<ExitCode> {
  const json = argv.includes('--json');
  try {
    const args = parseVerifyBundleArgs(argv);
    if (args.help) {
      io.stdout(HELP_TEXT);
      return EXIT.pass;
    }
    if ('identity' in args.signer && args.signer.warning !== undefined) {
      io.stderr(`${PREFIX}: warning: ${args.signer.warning}\n`);
    }
    const source = await loadTrustSource({ refresh: false, tufCacheDir: '', refreshTimeoutMs: 0, ...(args.trustedRoot === undefined ? {} : { trustedRootFile: args.trustedRoot }) });
    const trust = createTrust({ trustedRoot: source.trustedRoot, registryKeys: null });
    const input = { bundle: await readBundle(args.bundle), artifact: await readArtifact(args.artifact), identity: await toExpectedSigner(args.signer) };
    const result = verifyArtifactBundle(input, trust, clockAtStart);
    report(result, io, json);
    return result.verified ? EXIT.pass : EXIT.policyFailure;
  } catch (error) {
    io.stderr(formatError(error, argv.includes('--debug')));
    if (json) {
      const code = error instanceof VerifyDepsError ? error.code : 'INTERNAL_ERROR';
      io.stdout(`${JSON.stringify({ verified: false, code, message: oneLine((error as Error).message ?? String(error)) })}\n`);
    }
    return (error as { exitCode?: ExitCode }).exitCode ?? EXIT.incomplete;
  }
}

// Parses the command's own flags; every mistake is a UsageError naming the argument.
export function parseVerifyBundleArgs(argv: readonly string[]): VerifyBundleArgs | { help: true } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (cause) {
    const message = (cause as Error).message.split('\n')[0] ?? String(cause);
    throw new UsageError((cause as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 'UNKNOWN_OPTION' : 'INVALID_OPTION', `verify-bundle: ${message}`);
  }
  const { values, positionals } = parsed;
  const one = (flag: Flag): string | undefined => {
    const list = values[flag];
    if (list !== undefined && list.length > 1) throw new UsageError('INVALID_OPTION', `verify-bundle: --${flag} given ${list.length} times, expected once`, { field: `--${flag}` });
    return list?.[0];
  };
  if (values.help === true) return { help: true };
  const base = { help: false as const, json: values.json ?? false, debug: values.debug ?? false };

  const bundle = one('bundle');
  if (bundle === undefined) throw new UsageError('USAGE', 'verify-bundle: expected --bundle FILE');
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw new UsageError('USAGE', `verify-bundle: expected exactly one FILE_OR_DIGEST (a file, or sha256:<64 hex>), got ${positionals.length}`);
  }
  const trustedRoot = one('trusted-root');
  return { ...base, bundle, signer: toSignerArgument(one), ...(trustedRoot === undefined ? {} : { trustedRoot }), artifact: positionals[0] };
}

// Exactly one way to pin the signer: an identity and issuer, a SAN regexp and issuer, the GitHub
// workflow preset, or a key. Every identity goes through the policy's expandIdentity, so a
// literal SAN is escaped and `^…$`-anchored: a SAN that merely contains it does not match.
function toSignerArgument(one: (flag: Flag) => string | undefined): SignerArgument {
  const san = one('certificate-identity');
  const sanRegex = one('certificate-identity-regexp');
  const issuer = one('certificate-oidc-issuer');
  const github = { repo: one('github-repo'), workflow: one('github-workflow'), ref: one('github-ref') };
  const key = one('key');
  const usesGithub = Object.values(github).some((v) => v !== undefined);
  const forms = [san !== undefined, sanRegex !== undefined, usesGithub, key !== undefined].filter(Boolean).length;
  const usage = 'expected exactly one signer: --certificate-identity ID or --certificate-identity-regexp RE (each with --certificate-oidc-issuer URL), --github-repo/--github-workflow/--github-ref, or --key FILE';
  if (forms !== 1) throw new UsageError('USAGE', `verify-bundle: ${usage}`);
  if (key !== undefined || usesGithub) {
    if (issuer !== undefined) throw new UsageError('USAGE', `verify-bundle: --certificate-oidc-issuer goes with --certificate-identity(-regexp) only; ${usage}`, { field: '--certificate-oidc-issuer' });
    if (key !== undefined) return { keyFile: key };
    const { repo, workflow, ref } = github;
    if (repo === undefined || workflow === undefined || ref === undefined) {
      throw new UsageError('USAGE', 'verify-bundle: expected all of --github-repo OWNER/REPO, --github-workflow PATH and --github-ref REF');
    }
    return { identity: expandIdentity({ github: { repo, workflow, ref } }) };
  }
  if (issuer === undefined) throw new UsageError('USAGE', 'verify-bundle: expected --certificate-oidc-issuer URL with the identity', { field: '--certificate-oidc-issuer' });
  if (san !== undefined) return { identity: expandIdentity({ san, oidcIssuer: issuer }) };
  const pattern = sanRegex ?? '';
  const error = regExpError(pattern);
  if (error !== undefined) throw new UsageError('INVALID_OPTION', `verify-bundle: --certificate-identity-regexp: invalid regular expression: ${error}`, { field: '--certificate-identity-regexp' });
  const identity = expandIdentity({ sanRegex: pattern, oidcIssuer: issuer });
  return isAnchored(pattern)
    ? { identity }
    : { identity, warning: '--certificate-identity-regexp: unanchored pattern is substring-matched: https://github.com/org/repo-evil/… would match a pattern written for https://github.com/org/repo/…; write ^…$' };
}

// FILE_OR_DIGEST: a digest only when it is `sha256:` + 64 hex AND no file of that name exists
// (the protocol's rule: a file wins, so a file named like a digest is still read).
export async function resolveArtifactArgument(arg: string): Promise<{ path: string } | { sha256Hex: string }> {
  const digest = /^sha256:([0-9a-fA-F]{64})$/.exec(arg)?.[1];
  if (digest === undefined) return { path: arg };
  const exists = await lstat(arg).then(() => true, () => false);
  return exists ? { path: arg } : { sha256Hex: digest.toLowerCase() };
}

async function readArtifact(arg: string): Promise<ArtifactInput> {
  const resolved = await resolveArtifactArgument(arg);
  if ('sha256Hex' in resolved) return resolved;
  const bytes = await readFile(resolved.path).catch((cause: NodeJS.ErrnoException) => {
    throw new VerifyBundleInputError('ARTIFACT_UNREADABLE', `${arg}: cannot be read (${cause.code ?? String(cause)})`, {
      file: arg,
      hint: 'Pass an existing file, or the artifact digest as sha256:<64 hex>.',
    }, cause);
  });
  return { bytes };
}

async function readBundle(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    throw new VerifyBundleInputError('BUNDLE_UNREADABLE', `${file}: cannot be read (${cause.code ?? String(cause)})`, { file, field: '--bundle' }, cause);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new VerifyBundleInputError('BUNDLE_UNPARSEABLE', `${file}: not JSON (${(cause as Error).message})`, { file, field: '--bundle' }, cause);
  }
}

async function toExpectedSigner(signer: SignerArgument): Promise<ExpectedSigner> {
  if ('identity' in signer) {
    // Every form built by toSignerArgument has a pattern; only the policy's identities format has none.
    const { issuer, sanPattern } = signer.identity;
    if (sanPattern === null) throw new UsageError('USAGE', 'verify-bundle: expected a SAN to pin');
    return { issuer, sanPattern };
  }
  const pem = await readFile(signer.keyFile).catch((cause: NodeJS.ErrnoException) => {
    throw new VerifyBundleInputError('KEY_INVALID', `${signer.keyFile}: cannot be read (${cause.code ?? String(cause)})`, { file: signer.keyFile, field: '--key' }, cause);
  });
  try {
    return { publicKey: createPublicKey({ key: pem, format: 'pem' }) };
  } catch (cause) {
    throw new VerifyBundleInputError('KEY_INVALID', `${signer.keyFile}: expected a PEM public key (${(cause as Error).message})`, { file: signer.keyFile, field: '--key' }, cause);
  }
}

// One line on stderr (the first finding's code and message), and the JSON result with --json.
function report(result: ArtifactBundleResult, io: CliIo, json: boolean): void {
  const first = result.findings[0];
  const more = result.findings.length > 1 ? ` (+${result.findings.length - 1} more)` : '';
  io.stderr(first === undefined ? `${PREFIX}: verified: ${describeSigner(result)}\n` : `${PREFIX}: ${first.code}: ${oneLine(first.message)}${more}\n`);
  if (json) {
    const body = first === undefined ? { verified: true, signer: result.signer } : { verified: false, code: first.code, message: oneLine(first.message), ...(result.signer ? { signer: result.signer } : {}) };
    io.stdout(`${JSON.stringify(body)}\n`);
  }
}

function describeSigner(result: ArtifactBundleResult): string {
  const signer = result.signer;
  if (signer === undefined) return 'unknown signer';
  return signer.kind === 'certificate' ? `${signer.subjectAlternativeName ?? '(no SAN)'} (issuer ${signer.issuer ?? 'unknown'})` : `key ${signer.keyid}`;
}

// Messages can quote untrusted bundle content: never let it break the one-line contract.
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
