// The identity lock file: read strictly (it pins identities, so a typo must not unpin one) and
// written deterministically (sorted, one trailing newline) so it diffs well in review.

import { PolicyError, type PolicyProblem } from './errors.js';
import type { IdentityLock, IdentityLockEntry } from './types.js';

const ENTRY_KEYS: ReadonlySet<string> = new Set(['sourceRepositoryURI', 'repositoryId', 'ownerId', 'buildConfigURI', 'buildSignerURI', 'issuer', 'san']);
// The forge's numeric ids, as Fulcio writes them: digits only, so a hand edit cannot blur them.
const ID_KEYS: ReadonlySet<string> = new Set(['repositoryId', 'ownerId']);

// Parses an identity lock; throws PolicyError (IDENTITY_LOCK_INVALID, exit 2) listing every problem.
export function parseIdentityLock(text: string, file: string): IdentityLock {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid(file, [{ path: '/', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  const problems: PolicyProblem[] = [];
  if (!isRecord(doc)) throw invalid(file, [{ path: '/', message: 'must be an object {"version": 1, "packages": {…}}' }]);
  for (const key of Object.keys(doc)) if (key !== 'version' && key !== 'packages') problems.push({ path: `/${key}`, message: 'is not allowed here' });
  if (doc.version !== 1) problems.push({ path: '/version', message: 'must be 1' });
  // A Map, not an object: assigning "__proto__" to an object sets its prototype and drops the name.
  const packages = new Map<string, IdentityLockEntry[]>();
  if (!isRecord(doc.packages)) problems.push({ path: '/packages', message: 'must be an object of package name to identity' });
  else {
    for (const [name, value] of Object.entries(doc.packages)) {
      const at = `/packages/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0) problems.push({ path: at, message: 'must be an identity or a non-empty list of identities' });
      list.forEach((entry, index) => {
        const here = Array.isArray(value) ? `${at}/${index}` : at;
        if (!isRecord(entry) || Object.keys(entry).length === 0) {
          problems.push({ path: here, message: 'must be a non-empty object' });
          return;
        }
        for (const [key, field] of Object.entries(entry)) {
          if (!ENTRY_KEYS.has(key)) problems.push({ path: `${here}/${key}`, message: 'is not allowed here' });
          else if (typeof field !== 'string' || field === '') problems.push({ path: `${here}/${key}`, message: 'must be a non-empty string' });
          else if (ID_KEYS.has(key) && !/^[0-9]+$/.test(field)) problems.push({ path: `${here}/${key}`, message: `must be a string of digits, got ${JSON.stringify(field)}` });
        }
      });
      packages.set(name, list as IdentityLockEntry[]);
    }
  }
  if (problems.length > 0) throw invalid(file, problems);
  return { version: 1, packages: Object.fromEntries(packages) };
}

// The lock as its file's text: names sorted, fields in a fixed order.
export function serializeIdentityLock(lock: IdentityLock): string {
  const order = [...ENTRY_KEYS] as (keyof IdentityLockEntry)[];
  const packages = Object.fromEntries(
    Object.keys(lock.packages)
      .sort()
      .map((name) => {
        const entries = (lock.packages[name] ?? []).map((entry) => Object.fromEntries(order.filter((k) => entry[k] !== undefined).map((k) => [k, entry[k]])));
        return [name, entries.length === 1 ? entries[0] : entries];
      }),
  );
  return `${JSON.stringify({ version: 1, packages }, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(file: string, problems: PolicyProblem[]): PolicyError {
  return new PolicyError('IDENTITY_LOCK_INVALID', `${file} is not a valid identity lock (${problems.length === 1 ? '1 problem' : `${problems.length} problems`})`, problems, file);
}
