// The public hosts tests name as data: lockfile `resolved` values, policy subjects and log pins.
// Nothing ever connects to them (the suite passes with every registry unreachable); a test that
// must fetch uses the fixture registry on 127.0.0.1.

export const NPMJS_HOST = 'registry.npmjs.org'; // data only, never fetched
export const NPMJS_REGISTRY = `https://${NPMJS_HOST}`; // data only, never fetched
export const YARNPKG_HOST = 'registry.yarnpkg.com'; // data only, never fetched
export const REKOR_URL = 'https://rekor.sigstore.dev'; // data only, never fetched
export const FULCIO_URL = 'https://fulcio.sigstore.dev'; // data only, never fetched
export const CTFE_URL = 'https://ctfe.sigstore.dev'; // data only, never fetched
// The hosts hosted-git-info knows a repository URL of, and one of GitHub's download hosts.
export const GIT_HOSTS = ['github.com', 'gist.github.com', 'gitlab.com', 'bitbucket.org', 'git.sr.ht'] as const; // data only, never fetched
export const GITHUB_CODELOAD_HOST = 'codeload.github.com'; // data only, never fetched

// A registry.npmjs.org tarball URL, as npm writes it into `resolved`.
export function npmjsTarballUrl(name: string, version: string): string {
  return `${NPMJS_REGISTRY}/${name}/-/${name.split('/').pop()}-${version}.tgz`;
}
