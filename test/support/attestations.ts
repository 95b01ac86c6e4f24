// npm-shaped attestations: in-toto statements with the SLSA v1 provenance and npm publish
// predicates, signed (keyless leaf / registry key) and logged by the test PKI, assembled into the
// `/-/npm/v1/attestations/NAME@VERSION` response document.
import type { BundleJson, BundleOptions } from './bundle.js';
import { signDsseBundle } from './bundle.js';
import type { LeafOptions } from './ca.js';
import { type CiIdentity, githubActionsIdentity } from './identity.js';
import type { TestPki } from './pki.js';
import type { RegistryKey } from './registry-key.js';
import { NPMJS_REGISTRY } from './public-urls.js';

// Predicate and statement type URIs npm uses.
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const NPM_PUBLISH_V01 = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';

// One subject of an in-toto statement.
export interface Subject {
  name: string;
  digest: Record<string, string>;
}

// An in-toto statement.
export interface Statement {
  _type: string;
  subject: Subject[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

// The attestations response npm serves.
export interface AttestationsDocument {
  attestations: Array<{ predicateType: string; bundle: BundleJson }>;
}

// A package identity as attestations name it.
export interface PackageCoordinates {
  name: string;
  version: string;
  integrity: string; // sha512 SRI
}

// npm purl for a package (`@` of a scope encoded as %40, as npm writes it).
export const npmPurl = (name: string, version: string): string =>
  `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${version}`;

// Hex of the sha512 digest inside an SRI string (the statement subject digest).
export function sha512HexOfIntegrity(integrity: string): string {
  const entry = integrity.split(/\s+/).find((e) => e.startsWith('sha512-'));
  if (!entry) throw new Error(`no sha512 in integrity ${integrity}`);
  return Buffer.from(entry.slice('sha512-'.length), 'base64').toString('hex');
}

// The in-toto statement for a package and predicate.
export function inTotoStatement(pkg: PackageCoordinates, predicateType: string, predicate: Record<string, unknown>, type = IN_TOTO_STATEMENT_V1): Statement {
  return {
    _type: type,
    subject: [{ name: npmPurl(pkg.name, pkg.version), digest: { sha512: sha512HexOfIntegrity(pkg.integrity) } }],
    predicateType,
    predicate,
  };
}

// SLSA v1 provenance predicate for a CI identity, shaped as npm publishes it.
export function slsaProvenancePredicate(id: CiIdentity): Record<string, unknown> {
  const buildType =
    id.kind === 'github'
      ? 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1'
      : 'https://github.com/npm/cli/gitlab/v0alpha1';
  return {
    buildDefinition: {
      buildType,
      externalParameters: { workflow: { ref: id.ref, repository: id.repositoryUri, path: id.workflowPath } },
      internalParameters:
        id.kind === 'github'
          ? { github: { event_name: id.trigger, repository_id: '123456789', repository_owner_id: '987654321' } }
          : { gitlab: { pipeline_source: id.trigger, project_id: '123456789' } },
      resolvedDependencies: [{ uri: `git+${id.repositoryUri}@${id.ref}`, digest: { gitCommit: id.sha } }],
    },
    runDetails: { builder: { id: id.builderId }, metadata: { invocationId: id.runInvocationUri } },
  };
}

// npm publish attestation predicate.
export const npmPublishPredicate = (pkg: PackageCoordinates, registry = NPMJS_REGISTRY) => ({
  name: pkg.name,
  version: pkg.version,
  registry,
});

// Serializes a statement as the DSSE payload bytes.
export const statementPayload = (statement: Statement): Buffer => Buffer.from(JSON.stringify(statement), 'utf8');

// Signs a statement keylessly: a fresh leaf for the identity, logged in the PKI's tlog.
export function signStatementKeyless(pki: TestPki, statement: Statement, leaf: LeafOptions, options: BundleOptions = {}): BundleJson {
  const issued = pki.ca.issueLeaf(leaf);
  return signDsseBundle(statementPayload(statement), { kind: 'certificate', leaf: issued }, pki.tlog, {
    tsa: pki.tsa ?? undefined,
    ...options,
  });
}

// Signs a statement with a registry key (bundle `publicKey.hint` = keyid), logged in the tlog.
export function signStatementWithKey(pki: TestPki, statement: Statement, key: RegistryKey, options: BundleOptions = {}): BundleJson {
  return signDsseBundle(statementPayload(statement), { kind: 'publicKey', key: key.key, hint: key.keyid }, pki.tlog, options);
}

// Choices for one package's attestations.
export interface NpmAttestationOptions {
  identity?: CiIdentity; // default: GitHub Actions
  provenance?: boolean; // default true
  publish?: boolean; // default true
  // Publication time: leaf notBefore = time - 30 s, provenance logged at time, publish at time + 2 s.
  time?: Date;
  leaf?: Partial<LeafOptions>;
  bundle?: BundleOptions; // applies to both bundles (version, tlog kind, ...)
  // Per-attestation overrides, applied after `bundle`. npm's current shape is provenance
  // { version: '0.3' } and publish { version: '0.2', tlogKind: 'dsse' }.
  provenanceBundle?: BundleOptions;
  publishBundle?: BundleOptions;
  registryKey?: RegistryKey; // default: pki.registryKey
}

// The `/-/npm/v1/attestations/NAME@VERSION` document for a package.
export function makeNpmAttestations(pki: TestPki, pkg: PackageCoordinates, o: NpmAttestationOptions = {}): AttestationsDocument {
  const time = o.time ?? new Date();
  const identity = o.identity ?? githubActionsIdentity();
  const attestations: AttestationsDocument['attestations'] = [];
  if (o.provenance !== false) {
    const statement = inTotoStatement(pkg, SLSA_PROVENANCE_V1, slsaProvenancePredicate(identity));
    const leaf: LeafOptions = { identity, notBefore: new Date(time.getTime() - 30_000), ...o.leaf };
    attestations.push({
      predicateType: SLSA_PROVENANCE_V1,
      bundle: signStatementKeyless(pki, statement, leaf, { integratedTime: time, ...o.bundle, ...o.provenanceBundle }),
    });
  }
  if (o.publish !== false) {
    const statement = inTotoStatement(pkg, NPM_PUBLISH_V01, npmPublishPredicate(pkg), IN_TOTO_STATEMENT_V01);
    attestations.push({
      predicateType: NPM_PUBLISH_V01,
      bundle: signStatementWithKey(pki, statement, o.registryKey ?? pki.registryKey, {
        integratedTime: new Date(time.getTime() + 2000),
        ...o.bundle,
        ...o.publishBundle,
      }),
    });
  }
  return { attestations };
}
