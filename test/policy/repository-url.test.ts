// normalizeRepositoryUrl: every spelling npm accepts for a repository compares as one
// `https://host/path`, and what is not a repository URL is null.

import { describe, expect, it } from 'vitest';
import { normalizeRepositoryUrl } from '../../src/policy/repository-url.js';

describe('normalizeRepositoryUrl', () => {
  it.each([
    // Shorthands: the host is implied, anything after `#` is a ref.
    ['github:Org/Repo', 'https://github.com/org/repo'],
    ['gitlab:Org/Repo#main', 'https://gitlab.com/org/repo'],
    ['bitbucket:Org/Repo', 'https://bitbucket.org/Org/Repo'],
    // npm's bare `owner/repo` is GitHub.
    ['Org/Repo', 'https://github.com/org/repo'],
    ['  org/repo.git#v1  ', 'https://github.com/org/repo'],
    // scp-like, with or without a user.
    ['git@github.com:Org/Repo.git', 'https://github.com/org/repo'],
    ['deploy@Git.Example.com:Org/Repo#main', 'https://git.example.com/Org/Repo'],
    ['git.example.com:org/repo', 'https://git.example.com/org/repo'],
    // URLs: `git+`, userinfo, port, query, fragment, trailing `/` and `.git` dropped.
    ['git+ssh://git@github.com/org/repo.git', 'https://github.com/org/repo'],
    ['ssh://git@git.example.com:2222/org/repo.git', 'https://git.example.com/org/repo'],
    ['git://github.com/org/repo.git#main', 'https://github.com/org/repo'],
    ['git://git.example.com/org/repo.git', 'https://git.example.com/org/repo'],
    ['git+https://user:secret@GitLab.com:443/Org/Repo.git?x=1', 'https://gitlab.com/org/repo'],
    ['http://Git.Example.com/Org/Repo/', 'https://git.example.com/Org/Repo'],
    ['https://git.example.com/org/repo.git/', 'https://git.example.com/org/repo'],
    ['https://git.example.com/org/repo//', 'https://git.example.com/org/repo'],
    ['https://git.example.com/org/repo/.git', 'https://git.example.com/org/repo'],
    ['https://github.com./org/repo', 'https://github.com/org/repo'],
    ['https://git.example.com/org/my%20repo', 'https://git.example.com/org/my repo'],
    ['https://git.example.com/org/repo.git//', 'https://git.example.com/org/repo'],
    ['https://git.example.com/org/repo//.git', 'https://git.example.com/org/repo'],
    // Read as npm's hosted-git-info reads them: a GitHub page of the repository names the
    // repository, GitLab groups nest.
    ['https://github.com/org/repo/tree/main/packages/x', 'https://github.com/org/repo'],
    ['https://gitlab.com/Group/Sub/Project.git', 'https://gitlab.com/group/sub/project'],
    ['gitlab:group/sub/project', 'https://gitlab.com/group/sub/project'],
    // Only a leading `git+` and a final `.git` are dropped.
    ['https://git.example.com/org/git+repo', 'https://git.example.com/org/git+repo'],
    ['https://git.example.com/org/repo.github', 'https://git.example.com/org/repo.github'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeRepositoryUrl(input)).toBe(expected);
  });

  it.each([
    'not a url at all',
    'github:org',
    'github:org/repo/extra',
    'github:/repo',
    'gitlab:/repo',
    'github:org/',
    'gist:abc123',
    'evilgithub:org/repo',
    'org/repo/extra',
    'git.example.com:org/repo extra',
    'ssh:///org/repo',
    'localhost:org/repo',
    'git@git.example.com:/org/repo',
    'ftp://git.example.com/org/repo',
    'file:///org/repo',
    'mailto:org',
    'https://git.example.com',
    'https://git.example.com/',
    'https://git.example.com/.git',
    '',
  ])('%j is not a repository URL', (input) => {
    expect(normalizeRepositoryUrl(input)).toBeNull();
  });
});
