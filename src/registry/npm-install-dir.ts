import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface NpmLocation {
  env: NodeJS.ProcessEnv;
  execPath: string;
  platform: NodeJS.Platform;
}

// npm's install folder, whose `npmrc` is npm's builtin configuration: the npm that runs us
// (npm_execpath, …/npm/bin/npm-cli.js), else the npm installed beside this node, else none.
// A folder counts only when its package.json is npm's: pnpm and yarn set npm_execpath to their own.
export function findNpmInstallDir(where: NpmLocation): string | undefined {
  const candidates: string[] = [];
  const execPath = where.env.npm_execpath;
  if (execPath) candidates.push(path.dirname(path.dirname(execPath)));
  // Node's installers put npm in <prefix>/lib/node_modules/npm beside <prefix>/bin/node, and in
  // <prefix>\node_modules\npm beside <prefix>\node.exe on Windows.
  const nodeDir = path.dirname(where.execPath);
  candidates.push(where.platform === 'win32' ? path.join(nodeDir, 'node_modules', 'npm') : path.join(nodeDir, '..', 'lib', 'node_modules', 'npm'));
  return candidates.find(isNpmFolder);
}

function isNpmFolder(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'npm';
  } catch {
    return false;
  }
}
