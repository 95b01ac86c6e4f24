// What the walk reads of a tree node: arborist's Node has all of it, and so do the nodes of the
// linear lockfile reader (lockfile-tree.ts).
export interface WalkNode {
  readonly location: string;
  readonly name: string;
  readonly packageName: string | null | undefined;
  readonly version: string | undefined;
  readonly integrity: string | null | undefined;
  readonly resolved: string | null | undefined;
  // Whether npm-package-arg, reading `resolved` from the project folder, took it for an http(s)
  // URL (type `remote`): the linear reader knows, having parsed it; arborist's nodes do not say.
  readonly resolvedIsRemote?: boolean;
  readonly path: string;
  readonly realpath: string;
  readonly isLink: boolean;
  readonly target: WalkNode | null | undefined;
  readonly isProjectRoot: boolean;
  readonly isWorkspace: boolean;
  readonly linksIn: { readonly size: number };
  readonly dev: boolean;
  readonly optional: boolean;
  readonly devOptional: boolean;
  readonly peer: boolean;
  readonly extraneous: boolean;
  readonly inDepBundle: boolean;
  // The lockfile's `hasInstallScript` (arborist: that, or a preinstall, install or postinstall script).
  readonly hasInstallScript: boolean;
  readonly top: { readonly isProjectRoot: boolean; readonly isWorkspace: boolean };
  readonly edgesIn: Iterable<{ readonly name: string; readonly spec: string }>;
  // The dependency edges (name → edge), and the node each reaches (null when it reaches none).
  readonly edgesOut: ReadonlyMap<string, { readonly to: WalkNode | null }>;
  // The node whose node_modules folder holds this one; null for the root and other folders.
  readonly parent: WalkNode | null;
  // The project root's workspaces: name → absolute folder (null when it declares none).
  readonly workspaces?: ReadonlyMap<string, string> | null;
}
