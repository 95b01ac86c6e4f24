import { VerifyDepsError } from '../errors.js';

// One line per error: the stable code, what is wrong (naming the file), and how to fix it.
// Stack traces only with --debug, because they bury the one line the user needs.
export function formatError(error: unknown, debug: boolean): string {
  if (error instanceof VerifyDepsError) {
    const hint = error.hint ? ` ${error.hint}` : '';
    const line = `verify-deps: error ${error.code}: ${error.message}.${hint}`;
    // Documents with several problems (a policy) list every one, `path: message`, below the line.
    const problems = 'problems' in error && Array.isArray(error.problems)
      ? (error.problems as Array<{ path: string; message: string }>).map((p) => `  ${p.path}: ${p.message}\n`).join('')
      : '';
    return debug && error.stack ? `${line}\n${problems}${error.stack}\n` : `${line}\n${problems}`;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const line = `verify-deps: internal error: ${message}. This is a bug in verify-deps; rerun with --debug and report it.`;
  return debug && error instanceof Error && error.stack ? `${line}\n${error.stack}\n` : `${line}\n`;
}
