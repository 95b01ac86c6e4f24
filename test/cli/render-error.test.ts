// Errors print as one line whatever their message holds: newlines quoted from a file, or a
// hostile file's terminal escape sequences, are written as escapes.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { formatError, formatErrorJson, toRunError } from '../../src/cli/render-error.js';

const ESC = '\u001b';
const error = new InputError('LOCKFILE_UNPARSEABLE', `package-lock.json: not valid JSON ("x\n<<<<<<< HEAD\r\n${ESC}[2J")`);

describe('formatError', () => {
  it('prints a message with newlines and an escape sequence on one line, the escape not raw', () => {
    const text = formatError(error, false);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(text).not.toContain(ESC);
    expect(text).toContain('<<<<<<< HEAD');
  });

  it('keeps the report and --json forms on one line too', () => {
    expect(toRunError(error)).toMatchObject({ code: 'LOCKFILE_UNPARSEABLE' });
    expect(toRunError(error).message).not.toMatch(/[\n\r\u001b]/);
    expect(toRunError(error).message).toContain('<<<<<<< HEAD');
    const summary = (JSON.parse(formatErrorJson(error)) as { error: { summary: string } }).error.summary;
    expect(summary).not.toMatch(/[\n\r\u001b]/);
  });

  it('an unexpected error is one line too', () => {
    const text = formatError(new Error(`boom${ESC}[31m\nsecond line`), false);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(text).not.toContain(ESC);
    expect(text).toContain('second line');
  });
});
