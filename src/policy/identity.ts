// Signer identities of the policy, expanded to issuer + SAN matchers.
//
// Fulcio's SAN (config/identity/config.yaml, `subject-alternative-name-template`):
//   GitHub Actions  https://github.com/{job_workflow_ref}, e.g.
//                   https://github.com/owner/repo/.github/workflows/release.yml@refs/heads/main
//   GitLab CI       https://{ci_config_ref_uri}, e.g.
//                   https://gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main (two slashes)
// sigstore-js tests a SAN pattern with String.prototype.match, i.e. unanchored: a SAN that merely
// CONTAINS the expected one (https://github.com/org/repo-evil/…) would pass. Every form but the
// raw `sanRegex` is therefore escaped and `^…$`-anchored here.

import type { GithubIdentity, GitlabIdentity, SanIdentity, SignerIdentity } from './policy.generated.js';
import { escapeRegExp, patternRegExp, refGlobPattern } from './patterns.js';
import type { SignerMatcher } from './types.js';
import type { FulcioExtensions } from '../verify/types.js';

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITLAB_ISSUER = 'https://gitlab.com';
const GITLAB_DEFAULT_CONFIG = '.gitlab-ci.yml';

// Expands one identity of a rule's `signer` list to the matcher evaluation tests.
export function expandIdentity(identity: SignerIdentity): SignerMatcher {
  if (isGithub(identity)) {
    const { repo, workflow, ref, repositoryId, ownerId } = identity.github;
    const prefix = `https://github.com/${repo}/${workflow}@`;
    const ids = { ...(repositoryId === undefined ? {} : { repositoryId }), ...(ownerId === undefined ? {} : { ownerId }) };
    return { form: 'github', issuer: GITHUB_ACTIONS_ISSUER, sanPattern: `^${escapeRegExp(prefix)}${refGlobPattern(ref)}$`, expected: `${prefix}${ref}`, ...ids };
  }
  if (isGitlab(identity)) {
    const { project, ref, configPath = GITLAB_DEFAULT_CONFIG } = identity.gitlab;
    const prefix = `https://gitlab.com/${project}//${configPath}@`;
    return { form: 'gitlab', issuer: GITLAB_ISSUER, sanPattern: `^${escapeRegExp(prefix)}${refGlobPattern(ref)}$`, expected: `${prefix}${ref}` };
  }
  if (isSan(identity)) {
    return { form: 'san', issuer: identity.oidcIssuer, sanPattern: `^${escapeRegExp(identity.san)}$`, expected: identity.san };
  }
  return { form: 'sanRegex', issuer: identity.oidcIssuer, sanPattern: identity.sanRegex, expected: `/${identity.sanRegex}/` };
}

// The identities format's identity: any SAN, as long as the issuer is this one.
export function issuerOnly(issuer: string): SignerMatcher {
  return { form: 'issuer', issuer, sanPattern: null, expected: `any identity of ${issuer}` };
}

// Whether a certificate's issuer and SAN satisfy a matcher. The issuer is compared exactly.
export function signerMatches(matcher: SignerMatcher, issuer: string | undefined, san: string | undefined): boolean {
  if (issuer !== matcher.issuer) return false;
  if (matcher.sanPattern === null) return true;
  return san !== undefined && patternRegExp(matcher.sanPattern).test(san);
}

// Whether a certificate carries the repository and owner ids a matcher pins (Fulcio extensions
// .15 and .17). The names in the SAN survive a repository deleted and recreated, or an owner name
// registered again by someone else; the numeric ids do not. A certificate without them fails.
export function repositoryIdsMatch(matcher: SignerMatcher, extensions: FulcioExtensions): boolean {
  if (matcher.repositoryId !== undefined && extensions.sourceRepositoryIdentifier !== matcher.repositoryId) return false;
  return matcher.ownerId === undefined || extensions.sourceRepositoryOwnerIdentifier === matcher.ownerId;
}

function isGithub(identity: SignerIdentity): identity is GithubIdentity {
  return 'github' in identity;
}

function isGitlab(identity: SignerIdentity): identity is GitlabIdentity {
  return 'gitlab' in identity;
}

function isSan(identity: SignerIdentity): identity is SanIdentity {
  return 'san' in identity && !('sanRegex' in identity);
}
