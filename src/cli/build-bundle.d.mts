// Types for the tests of build-bundle.mjs (rolldown's output chunks, reduced to what is read).
export interface BundleChunk {
  fileName: string;
  code: string;
  moduleIds: string[];
}
export function findForeignModules(chunks: BundleChunk[], distDir?: string): string[];
export function findRenamedClasses(chunks: BundleChunk[]): string[];
export function requireCommonJsImports(code: string, isCommonJs: (spec: string) => boolean): string;
