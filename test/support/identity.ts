// CI workload identities (GitHub Actions, GitLab CI) as Fulcio would certify them: the SAN and the
// OIDC-derived X.509 extensions under 1.3.6.1.4.1.57264.1.
import { type CertExtension, rawExtension, utf8Extension } from './x509.js';

// Fulcio extension OIDs (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md).
export const FULCIO_OID = {
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  githubWorkflowTrigger: '1.3.6.1.4.1.57264.1.2',
  githubWorkflowSha: '1.3.6.1.4.1.57264.1.3',
  githubWorkflowName: '1.3.6.1.4.1.57264.1.4',
  githubWorkflowRepository: '1.3.6.1.4.1.57264.1.5',
  githubWorkflowRef: '1.3.6.1.4.1.57264.1.6',
  issuer: '1.3.6.1.4.1.57264.1.8',
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  buildSignerDigest: '1.3.6.1.4.1.57264.1.10',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  sourceRepositoryIdentifier: '1.3.6.1.4.1.57264.1.15',
  sourceRepositoryOwnerUri: '1.3.6.1.4.1.57264.1.16',
  sourceRepositoryOwnerIdentifier: '1.3.6.1.4.1.57264.1.17',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
  buildConfigDigest: '1.3.6.1.4.1.57264.1.19',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
  sourceRepositoryVisibility: '1.3.6.1.4.1.57264.1.22',
} as const;

// A CI identity: what goes into the leaf certificate and the matching provenance predicate.
export interface CiIdentity {
  kind: 'github' | 'gitlab';
  issuer: string;
  san: string;
  repositoryUri: string; // e.g. https://github.com/owner/name
  repositoryPath: string; // e.g. owner/name
  workflowPath: string; // e.g. .github/workflows/release.yml
  ref: string; // e.g. refs/tags/v1.0.0
  sha: string; // 40 hex chars
  trigger: string; // push, release, ...
  runInvocationUri: string;
  runnerEnvironment: string; // github-hosted, self-hosted, gitlab-hosted
  builderId: string; // SLSA runDetails.builder.id
  repositoryId: string; // the forge's numeric repository id (extension .15)
  ownerId: string; // the forge's numeric owner id (extension .17)
}

// Options shared by both identity makers.
export interface IdentityOptions {
  repository?: string; // owner/name (GitHub) or group/project (GitLab)
  workflowPath?: string;
  ref?: string;
  sha?: string;
  trigger?: string;
  runId?: number;
  runnerEnvironment?: string;
  repositoryId?: string;
  ownerId?: string;
}

// A GitHub Actions identity (token.actions.githubusercontent.com).
export function githubActionsIdentity(o: IdentityOptions = {}): CiIdentity {
  const repo = o.repository ?? 'verify-deps-test/example';
  const workflowPath = o.workflowPath ?? '.github/workflows/release.yml';
  const ref = o.ref ?? 'refs/tags/v1.0.0';
  const repositoryUri = `https://github.com/${repo}`;
  return {
    kind: 'github',
    issuer: 'https://token.actions.githubusercontent.com',
    san: `${repositoryUri}/${workflowPath}@${ref}`,
    repositoryUri,
    repositoryPath: repo,
    workflowPath,
    ref,
    sha: o.sha ?? '0123456789abcdef0123456789abcdef01234567',
    trigger: o.trigger ?? 'release',
    runInvocationUri: `${repositoryUri}/actions/runs/${o.runId ?? 1000001}/attempts/1`,
    runnerEnvironment: o.runnerEnvironment ?? 'github-hosted',
    builderId: 'https://github.com/actions/runner/github-hosted',
    repositoryId: o.repositoryId ?? '123456789',
    ownerId: o.ownerId ?? '987654321',
  };
}

// A GitLab CI identity (gitlab.com).
export function gitlabCiIdentity(o: IdentityOptions = {}): CiIdentity {
  const project = o.repository ?? 'verify-deps-test/example';
  const workflowPath = o.workflowPath ?? '.gitlab-ci.yml';
  const ref = o.ref ?? 'refs/heads/main';
  const repositoryUri = `https://gitlab.com/${project}`;
  const runId = o.runId ?? 2000002;
  return {
    kind: 'gitlab',
    issuer: 'https://gitlab.com',
    san: `${repositoryUri}//${workflowPath}@${ref}`,
    repositoryUri,
    repositoryPath: project,
    workflowPath,
    ref,
    sha: o.sha ?? 'fedcba9876543210fedcba9876543210fedcba98',
    trigger: o.trigger ?? 'push',
    runInvocationUri: `${repositoryUri}/-/jobs/${runId}`,
    runnerEnvironment: o.runnerEnvironment ?? 'gitlab-hosted',
    builderId: `${repositoryUri}/-/runners/12345`,
    repositoryId: o.repositoryId ?? '123456789',
    ownerId: o.ownerId ?? '987654321',
  };
}

// The Fulcio certificate extensions for an identity (v2 OIDs, plus the legacy GitHub ones).
export function fulcioExtensions(id: CiIdentity): CertExtension[] {
  const ownerUri = id.repositoryUri.replace(/\/[^/]+$/, '');
  const legacy =
    id.kind === 'github'
      ? [
          rawExtension(FULCIO_OID.issuerV1, id.issuer),
          rawExtension(FULCIO_OID.githubWorkflowTrigger, id.trigger),
          rawExtension(FULCIO_OID.githubWorkflowSha, id.sha),
          rawExtension(FULCIO_OID.githubWorkflowName, 'release'),
          rawExtension(FULCIO_OID.githubWorkflowRepository, id.repositoryPath),
          rawExtension(FULCIO_OID.githubWorkflowRef, id.ref),
        ]
      : [];
  return [
    ...legacy,
    utf8Extension(FULCIO_OID.issuer, id.issuer),
    utf8Extension(FULCIO_OID.buildSignerUri, id.san),
    utf8Extension(FULCIO_OID.buildSignerDigest, id.sha),
    utf8Extension(FULCIO_OID.runnerEnvironment, id.runnerEnvironment),
    utf8Extension(FULCIO_OID.sourceRepositoryUri, id.repositoryUri),
    utf8Extension(FULCIO_OID.sourceRepositoryDigest, id.sha),
    utf8Extension(FULCIO_OID.sourceRepositoryRef, id.ref),
    utf8Extension(FULCIO_OID.sourceRepositoryIdentifier, id.repositoryId),
    utf8Extension(FULCIO_OID.sourceRepositoryOwnerUri, ownerUri),
    utf8Extension(FULCIO_OID.sourceRepositoryOwnerIdentifier, id.ownerId),
    utf8Extension(FULCIO_OID.buildConfigUri, id.san),
    utf8Extension(FULCIO_OID.buildConfigDigest, id.sha),
    utf8Extension(FULCIO_OID.buildTrigger, id.trigger),
    utf8Extension(FULCIO_OID.runInvocationUri, id.runInvocationUri),
    utf8Extension(FULCIO_OID.sourceRepositoryVisibility, 'public'),
  ];
}
