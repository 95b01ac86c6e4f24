// The most entries a lockfile may list by default (--max-entries changes it). The ceiling keeps a
// run bounded against a hostile lockfile; a lockfile v2/v3 is read in linear time
// (lockfile-tree.ts, measured 2.5 s for 19,000 entries), so it sits well above the largest real
// monorepos. Its own module: the command line's parser needs it without loading the walk.
export const MAX_LOCKFILE_ENTRIES = 100_000;
