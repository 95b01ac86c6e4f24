import { escapeControl } from '../display-value.js';
import type { WalkResult } from '../walk/index.js';
import type { Inventory, OmitType, PackageRef, PackageSource } from '../types.js';
import { plural } from './plural.js';

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

// The human inventory: every package, one row each (sorted by name, then version), then the
// summary (renderInventorySummary).
export function renderInventory(result: WalkResult, omit: readonly OmitType[]): string {
  return `${renderInventoryTable(result.packages)}\n${renderInventorySummary(result, omit)}`;
}

// One row per package: name, version, source, flags and how many locations it is installed at.
export function renderInventoryTable(packages: readonly PackageRef[]): string {
  const sorted = [...packages].sort((a, b) => compare(a.name, b.name) || compare(a.version, b.version) || compare(a.locations[0] ?? '', b.locations[0] ?? ''));
  const rows = [['NAME', 'VERSION', 'SOURCE', 'FLAGS', 'LOCATIONS'], ...sorted.map(toRow)];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd()).join('\n')}\n`;
}

function toRow(ref: PackageRef): string[] {
  // devOptional alone: a dependency that is dev in one path and optional in another.
  const devOptional = ref.devOptional && !ref.dev && !ref.optional;
  const flags = [...(['dev', 'optional', 'peer', 'bundled', 'extraneous'] as const).filter((flag) => ref[flag]), ...(devOptional ? ['dev-optional'] : [])];
  return [escapeControl(ref.name), escapeControl(ref.version) || '-', ref.source, flags.join(',') || '-', String(ref.locations.length)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// A short human summary: counts first, then every package that does not come from a registry.
export function renderInventorySummary(result: WalkResult, omit: readonly OmitType[] = []): string {
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
  lines.push(`${plural(result.packages.length, 'distinct package')}: ${parts.join(', ')}`);
  const omitted = describeOmitted(result.omitted, omit);
  if (omitted !== '') lines.push(omitted);
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

// "left out 123 dev packages (--omit)", when --omit was given.
export function describeOmitted(omitted: number | undefined, omit: readonly OmitType[]): string {
  if (omitted === undefined) return '';
  return `left out ${plural(omitted, `${omit.join(' and ')} package`)} (--omit)`;
}

function label(ref: PackageRef): string {
  const version = ref.version ? `@${ref.version}` : '';
  const where = ref.resolved ? `  ${ref.resolved}` : '';
  return `${ref.name}${version}${where}`;
}
