// The data that flows between the stages. Each stage returns data; only the CLI renders it.

// Where a package's bytes come from. Only `registry` packages carry registry signatures and
// provenance; every other source is named so that the policy can allow, warn about or deny it.
export type PackageSource =
  | 'registry'
  | 'git'
  | 'file'
  | 'directory'
  | 'link'
  | 'workspace'
  | 'remote';

export const PACKAGE_SOURCES: readonly PackageSource[] = [
  'registry',
  'git',
  'file',
  'directory',
  'link',
  'workspace',
  'remote',
];

// One distinct package of the tree: (name, version, integrity) with every place it is installed.
export interface PackageRef {
  // The real package name, aliases resolved (`"foo": "npm:bar@1"` gives `bar`).
  name: string;
  version: string;
  // The lockfile's pinned SRI string (normally sha512), or null when the lockfile records none.
  integrity: string | null;
  // The lockfile's `resolved` value (file: paths made relative to the project), or null.
  resolved: string | null;
  // Host of an http(s) `resolved` URL; null when the lockfile records none.
  registryHost: string | null;
  source: PackageSource;
  // Flags are true only when they hold at every location (a package that is dev in one place and
  // prod in another is installed for production).
  dev: boolean;
  optional: boolean;
  devOptional: boolean;
  peer: boolean;
  // Shipped inside a dependency's tarball (arborist `inDepBundle`): covered by that tarball's
  // evidence, never fetched on its own.
  bundled: boolean;
  extraneous: boolean;
  // Names the package is installed under when it differs from `name` (npm: aliases).
  aliases: string[];
  // Every lockfile location, sorted.
  locations: string[];
}

export type OmitType = 'dev' | 'optional' | 'peer';

export interface Inventory {
  schemaVersion: 1;
  // Path of the file the tree was read from, relative to the project directory.
  lockfile: string;
  lockfileVersion: number | null;
  packages: PackageRef[];
  counts: Record<PackageSource | 'bundled', number>;
}
