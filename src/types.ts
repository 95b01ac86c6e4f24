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
  // The lockfile says it has install scripts (preinstall, install, postinstall; npm runs them
  // when it installs the package, unless denied by package.json `allowScripts`).
  hasInstallScript: boolean;
  // Names the package is installed under when it differs from `name` (npm: aliases).
  aliases: string[];
  // Every lockfile location, sorted.
  locations: string[];
}

export type OmitType = 'dev' | 'optional' | 'peer';

// npm's release cooldown as its configuration sets it (`min-release-age`, in days, and
// `min-release-age-exclude`, package names or minimatch globs), for the policy to apply when it
// sets none of its own.
export interface NpmReleaseAge {
  days: number;
  exclude: string[];
}

// Whether the policy will read a package's history (its earlier versions, or the registry's
// publish time), as far as it can tell before the package's facts are known: `maybe` when the
// verified facts decide (a signed publish time can make the history unneeded).
export type HistoryNeed = 'always' | 'maybe' | 'never';

// The workspaces whose dependencies were read, out of the workspace root's lockfile.
export interface WorkspaceSelection {
  // The workspace root, relative to the project directory ('.' when it is the root).
  root: string;
  // The selected workspaces' names, sorted.
  names: string[];
  // Whether the root's own dependencies were read too (--include-workspace-root).
  includeRoot: boolean;
}

export interface Inventory {
  schemaVersion: 1;
  // Path of the file the tree was read from, relative to the project directory.
  lockfile: string;
  lockfileVersion: number | null;
  // Present when only some workspaces' dependencies were read (--workspace, or a member's folder).
  workspaces?: WorkspaceSelection;
  packages: PackageRef[];
  counts: Record<PackageSource | 'bundled', number>;
}
