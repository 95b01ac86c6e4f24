// Where each installed location is in package-lock.json, so that CI annotations, the GitLab
// report and SARIF point at the package's own entry rather than the top of the file.

// Line numbers (1-based) of the `"node_modules/…": {` keys of a lockfile's text, by location. A
// lockfile without such keys (lockfileVersion 1) gives an empty map: the outputs then point at line 1.
export function indexLockfileLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const key = /^\s*"((?:[^"\\]|\\.)*)"\s*:\s*\{/;
  text.split('\n').forEach((line, index) => {
    const match = key.exec(line);
    if (match === null || match[1] === undefined || !match[1].includes('node_modules/')) return;
    let location: string;
    try {
      location = JSON.parse(`"${match[1]}"`) as string;
    } catch {
      return;
    }
    if (!lines.has(location)) lines.set(location, index + 1);
  });
  return lines;
}

// The line of a package's first location that the lockfile has, or 1.
export function getPackageLine(lines: ReadonlyMap<string, number>, locations: readonly string[]): number {
  for (const location of locations) {
    const line = lines.get(location);
    if (line !== undefined) return line;
  }
  return 1;
}
