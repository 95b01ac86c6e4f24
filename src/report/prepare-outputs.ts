import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OutputError } from './atomic-write.js';

// Checks every output before the run makes any request, so that an hour of fetching never ends
// in "cannot write": each file's folder is created (as mkdir -p) and must be writable, a file
// path must not name a directory, and a directory (the ledger) must not name a file. Throws
// OUTPUT_UNWRITABLE (exit 2).
export async function prepareOutputs(files: readonly string[], dirs: readonly string[] = []): Promise<void> {
  for (const file of files) {
    if ((await stat(file).catch(() => null))?.isDirectory()) throw unwritable(file, 'expected a file path, got a directory');
    await assertWritableDir(dirname(file), file);
  }
  for (const dir of dirs) {
    const info = await stat(dir).catch(() => null);
    if (info !== null && !info.isDirectory()) throw unwritable(dir, 'expected a directory, got a file');
    await assertWritableDir(dir, dir);
  }
}

async function assertWritableDir(dir: string, output: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw unwritable(output, `expected ${dir} to be a folder, got a file on its path`, error);
    throw unwritable(output, `its folder ${dir} cannot be created (${code ?? String(error)})`, error);
  }
  if (!(await stat(dir)).isDirectory()) throw unwritable(output, `expected ${dir} to be a folder, got a file`);
  try {
    await access(dir, constants.W_OK);
  } catch (error) {
    throw unwritable(output, `its folder ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  }
}

function unwritable(path: string, reason: string, cause?: unknown): OutputError {
  return new OutputError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${reason}`, { file: path, hint: 'Pass an output path in a writable folder.' }, cause);
}
