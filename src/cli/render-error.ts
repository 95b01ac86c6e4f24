import { VerifyDepsError } from '../errors.js';
import { redactUrl } from '../registry/fetch-error.js';
import { ERROR_HINTS } from './error-hints.js';

// One line per error: the stable code, what is wrong (naming the file), and how to fix it.
// Stack traces only with --debug, because they bury the one line the user needs.
export function formatError(error: unknown, debug: boolean): string {
  if (error instanceof VerifyDepsError) {
    const hint = error.hint ?? ERROR_HINTS[error.code];
    const hintText = hint ? ` ${hint}` : '';
    const line = `verify-deps: error ${error.code}: ${toOneLine(redactUrls(error.message))}.${toOneLine(hintText)}`;
    // Documents with several problems (a policy) list every one, `path: message`, below the line.
    const problems = 'problems' in error && Array.isArray(error.problems)
      ? (error.problems as Array<{ path: string; message: string }>).map((p) => `  ${toOneLine(p.path)}: ${toOneLine(p.message)}\n`).join('')
      : '';
    return debug && error.stack ? `${line}\n${problems}${error.stack}\n` : `${line}\n${problems}`;
  }
  const message = toOneLine(error instanceof Error ? error.message : String(error));
  const line = `verify-deps: internal error: ${message}. This is a bug in verify-deps; rerun with --debug and report it.`;
  return debug && error instanceof Error && error.stack ? `${line}\n${error.stack}\n` : `${line}\n`;
}

// An error as the report records it: its stable code (INTERNAL_ERROR for a bug of verify-deps)
// and its message on one line, URLs without credentials.
export function toRunError(error: unknown): { code: string; message: string } {
  return {
    code: error instanceof VerifyDepsError ? error.code : 'INTERNAL_ERROR',
    message: toOneLine(redactUrls(error instanceof Error ? error.message : String(error))),
  };
}

// --json: the error as data on stdout, `{error: {code, summary, detail}}` as npm does; URLs in
// the text lose any credentials.
export function formatErrorJson(error: unknown): string {
  const known = error instanceof VerifyDepsError;
  const { code, message: summary } = toRunError(error);
  const detail = known ? (error.hint ?? ERROR_HINTS[error.code] ?? null) : 'This is a bug in verify-deps; rerun with --debug and report it.';
  const problems = known && 'problems' in error && Array.isArray(error.problems) ? { problems: error.problems } : {};
  return `${JSON.stringify({ error: { code, summary, detail, ...problems } }, null, 2)}\n`;
}

// An error is one line: a message quoting a file (JSON.parse quotes the lockfile's text) may hold
// newlines, and a hostile file may hold terminal escape sequences, so control characters are
// written as escapes instead of being printed.
export function toOneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function redactUrls(text: string): string {
  return text.replace(/https?:\/\/[^\s'"]+/g, (url) => redactUrl(url));
}
