// "1 package", "2 packages": a count with its noun, plural unless the count is exactly one.
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
