// How a value read from an input file is shown in a message or a table: one line, control
// characters escaped (a lockfile's text must not move the cursor or rewrite what the terminal
// shows), cut short when long.

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

// The text with every control character written as \uXXXX.
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// The value as JSON (a string in quotes, so "" and " 1.0.0" read as what they are), escaped, at
// most `max` characters and then "…"; `nothing` for an absent value.
export function toDisplayValue(value: unknown, max = 60): string {
  if (value === undefined) return 'nothing';
  const text = escapeControl(JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
