import { join } from 'node:path';
import PackageJson from '@npmcli/package-json';
import { InputError } from '../../errors.js';
import { TOOL_VERSION } from '../tool-version.js';

const GATE_SCRIPT = 'verify-deps';
const TOOL_NAME = 'verify-deps';

// A change to package.json that is ready to save: read and checked before init writes anything.
export interface PostinstallPlan {
  save: () => Promise<void>;
  // What changed, one line each, for init's output.
  changes: string[];
}

// Reads package.json and prepares the postinstall hook together with the devDependency that puts
// the `verify-deps` binary in node_modules/.bin: a hook without it fails the next `npm install`
// (`verify-deps: not found`, exit 127). npm's own @npmcli/package-json keeps the file's
// indentation and line endings. An existing postinstall runs after the gate, so the project's own
// install step runs only on a verified tree.
export async function planPostinstall(projectDir: string): Promise<PostinstallPlan> {
  const file = join(projectDir, 'package.json');
  let pkg;
  try {
    pkg = await PackageJson.load(projectDir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError('PACKAGE_JSON_MISSING', `${file}: expected a package.json to add the postinstall script to, found none`, {
        file,
        hint: 'Run `npm init` first, or drop --postinstall.',
      }, cause);
    }
    throw new InputError('PACKAGE_JSON_UNPARSEABLE', `${file}: cannot be read (${(cause as Error).message.split('\n')[0]})`, {
      file,
      hint: 'Fix the JSON syntax of package.json.',
    }, cause);
  }
  const changes: string[] = [];
  const scripts = (pkg.content.scripts ?? {}) as Record<string, string>;
  const existing = scripts.postinstall;
  if (existing !== undefined && existing.split('&&').map((part) => part.trim()).includes(GATE_SCRIPT)) {
    changes.push('verify-deps: package.json already runs verify-deps on postinstall');
  } else {
    const postinstall = existing === undefined ? GATE_SCRIPT : `${GATE_SCRIPT} && ${existing}`;
    pkg.update({ scripts: { ...scripts, postinstall } });
    changes.push(`verify-deps: package.json scripts.postinstall is now "${postinstall}"`);
  }
  const declared = declaredRange(pkg.content);
  if (declared !== undefined) {
    changes.push(`verify-deps: package.json already depends on verify-deps ("${declared}"); left as it is`);
  } else {
    const devDependencies = (pkg.content.devDependencies ?? {}) as Record<string, string>;
    // Pinned exactly: the gate that judges the tree is itself part of the tree it judges.
    pkg.update({ devDependencies: { ...devDependencies, [TOOL_NAME]: TOOL_VERSION } });
    changes.push(`verify-deps: package.json devDependencies["verify-deps"] is now "${TOOL_VERSION}" (run \`npm install\` to record it in package-lock.json)`);
  }
  return { save: () => pkg.save(), changes };
}

function declaredRange(content: Record<string, unknown>): string | undefined {
  for (const field of ['devDependencies', 'dependencies', 'optionalDependencies']) {
    const range = (content[field] as Record<string, string> | undefined)?.[TOOL_NAME];
    if (range !== undefined) return range;
  }
  return undefined;
}

// What a postinstall hook leaves unchecked, printed whenever init adds one.
export const POSTINSTALL_LIMITS = `
A postinstall hook is a convenience, not the gate:
  - \`npm install\` and \`npm ci\` run it last, after every dependency's own install scripts ran;
  - \`npm install <pkg>\` (adding or updating a dependency) does not run it at all;
  - \`--ignore-scripts\` (or ignore-scripts=true in .npmrc) skips it, and \`--omit=dev\` leaves
    out the devDependency it runs, so such an install fails with \`verify-deps: not found\`.
The gate that counts is the CI step, before any install script runs: see \`verify-deps init --github\`.
`;
