// The one sanitiser for text that reaches a terminal or a CI runner. Package names, SANs, URLs
// and finding messages come from the lockfile, the registry or a bundle: an attacker who controls
// them must not be able to move the cursor, recolour or reorder what the reader sees (ESC, CR,
// bidi overrides), forge a line (LF, U+2028), or issue a workflow command (`::error::…`).

// C0 and DEL, C1, line and paragraph separators, bidi embeddings, overrides and isolates, and the
// invisible marks that reorder text (LRM, RLM, ALM).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
const UNSAFE_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

// One untrusted value, made one printable line: every control or reordering character is shown
// escaped (`\u{1b}`), so what was hidden is visible instead of acted on.
export function toSafeText(value: string): string {
  return value.replace(UNSAFE, escapeChar);
}

// A whole block of output the tool composed: its own line breaks stay; any other control or
// reordering character is escaped; and no line may start a workflow command (GitHub and Azure
// read `::name::` and `##vso[` at the start of a line, after spaces).
export function toSafeOutput(text: string): string {
  return text
    .replace(UNSAFE_EXCEPT_NEWLINE, escapeChar)
    .replace(/^(\s*)(::|##\[|##vso\[)/gm, (_all, space: string, start: string) => `${space}${start.slice(0, 1)} ${start.slice(1)}`);
}

// Workflow-command data (actions/toolkit's escaping): %, CR and LF, after the value is made safe.
export function toWorkflowData(value: string): string {
  return toSafeText(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

// A workflow-command property (file, title…): the data escaping, and : and , as well.
export function toWorkflowProperty(value: string): string {
  return toWorkflowData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// A Markdown table cell: safe text, pipes escaped, and no HTML or emphasis read from it.
export function toMarkdownCell(value: string): string {
  return toSafeText(value).replace(/[\\`*_|<>[\]]/g, (c) => `\\${c}`);
}

// JSON for a terminal: the same value, with the characters JSON leaves raw (DEL, C1, line
// separators, bidi controls) written as \u escapes, so a piped or printed report reorders nothing.
export function toSafeJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeChar(c: string): string {
  return `\\u{${c.codePointAt(0)?.toString(16) ?? ''}}`;
}
