// What the walk reads of a tree node: arborist's Node has all of it, and so do the nodes of the
// linear lockfile reader (lockfile-tree.ts).
export interface WalkNode {
  readonly location: string;
  readonly name: string;
  readonly packageName: string | null | undefined;
  readonly version: string | undefined;
  readonly integrity: string | null | undefined;
  readonly resolved: string | null | undefined;
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
  readonly top: { readonly isProjectRoot: boolean; readonly isWorkspace: boolean };
  readonly edgesIn: Iterable<{ readonly name: string; readonly spec: string }>;
}
