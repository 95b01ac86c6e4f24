// The parts of arborist's helpers that the linear lockfile reader uses (they ship no types).
declare module '@npmcli/map-workspaces' {
  // Workspace name → folder, from the root package.json's `workspaces` globs.
  function mapWorkspaces(options: { cwd: string; pkg: unknown }): Promise<Map<string, string>>;
  namespace mapWorkspaces {
    // The same, from a lockfile's packages (no file-system reads).
    function virtual(options: { cwd: string; lockfile: unknown }): Map<string, string>;
  }
  export default mapWorkspaces;
}
declare module '@npmcli/name-from-folder' {
  export default function nameFromFolder(path: string): string;
}
