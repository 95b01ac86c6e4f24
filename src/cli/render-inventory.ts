import type { WalkResult } from '../walk/index.js';
import type { Inventory, PackageRef, PackageSource } from '../types.js';

const SOURCE_LABELS: Record<Exclude<PackageSource, 'registry'>, string> = {
  git: 'git',
  file: 'file tarball',
  directory: 'local directory',
  link: 'link',
  workspace: 'workspace',
  remote: 'remote tarball',
};

// The inventory as published by `inventory --json`: the walk result without run-time notes.
export function toInventoryJson(result: WalkResult): Inventory & { warnings: string[] } {
  return {
    schemaVersion: result.schemaVersion,
    lockfile: result.lockfile,
    lockfileVersion: result.lockfileVersion,
    ...(result.workspaces === undefined ? {} : { workspaces: result.workspaces }),
    warnings: result.warnings,
    packages: result.packages,
    counts: result.counts,
  };
}

// A short human summary: counts first, then every package that does not come from a registry.
export function renderInventorySummary(result: WalkResult): string {
  const lines: string[] = [];
  const version = result.lockfileVersion === null ? '' : ` (lockfileVersion ${result.lockfileVersion})`;
  lines.push(`verify-deps: read ${result.lockfile}${version}${describeWorkspaces(result)}`);
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  const { counts } = result;
  const parts = [`${counts.registry} from a registry`];
  if (counts.bundled) parts.push(`${counts.bundled} bundled inside dependencies`);
  for (const [source, label] of Object.entries(SOURCE_LABELS)) {
    const count = counts[source as PackageSource];
    if (count) parts.push(`${count} ${label}`);
  }
  lines.push(`${result.packages.length} distinct packages: ${parts.join(', ')}`);
  const others = result.packages.filter((ref) => ref.source !== 'registry');
  if (others.length > 0) {
    lines.push('Not from a registry (no registry signatures or provenance exist for these):');
    for (const ref of others) lines.push(`  ${SOURCE_LABELS[ref.source as Exclude<PackageSource, 'registry'>].padEnd(16)} ${label(ref)}`);
  }
  return `${lines.join('\n')}\n`;
}

// Which workspaces of the lockfile were read, when not all of it was.
export function describeWorkspaces(inventory: Inventory): string {
  const selection = inventory.workspaces;
  if (selection === undefined) return '';
  const names = selection.names.length === 1 ? `workspace ${selection.names[0]}` : `workspaces ${selection.names.join(', ')}`;
  return `, only the dependencies of ${names}${selection.includeRoot ? ' and of the workspace root' : ''}`;
}

function label(ref: PackageRef): string {
  const version = ref.version ? `@${ref.version}` : '';
  const where = ref.resolved ? `  ${ref.resolved}` : '';
  return `${ref.name}${version}${where}`;
}
