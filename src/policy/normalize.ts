// Turns a valid policy document, in either accepted shape, into the one NormalizedPolicy that
// evaluation reads: defaults filled in, identities expanded to anchored patterns, URLs and hosts
// normalised. Plain data only, so the policy a run used can be written into its report.

import { parseExpiry } from './expiry.js';
import { normalizeHost } from './host.js';
import { expandIdentity, issuerOnly } from './identity.js';
import { builderPattern, packageGlobPattern } from './patterns.js';
import type { IdentitiesPolicy, Rule, RulesPolicy } from './policy.generated.js';
import { normalizeRepositoryUrl } from './repository-url.js';
import { SIGNER_CONSTRAINTS } from './semantic.js';
import type { Enforcement, NameMatcher, NonRegistrySource, NormalizedException, NormalizedPolicy, NormalizedRule, SourceAction } from './types.js';

// Non-registry sources by default: what is fetched from elsewhere is reported, the project's own
// code (directories, links, workspaces) is not.
export const DEFAULT_SOURCES: Readonly<Record<NonRegistrySource, SourceAction>> = {
  git: 'warn',
  file: 'warn',
  remote: 'warn',
  directory: 'allow',
  link: 'allow',
  workspace: 'allow',
};

const NO_REQUIREMENTS = { registrySignature: false, provenance: false, publishAttestation: false };

// Normalises a schema- and semantically-valid rules-format policy.
export function normalizeRules(doc: RulesPolicy): NormalizedPolicy {
  return {
    format: 'rules',
    enforcement: doc.enforcement,
    downgrade: doc.downgrade ?? 'fail',
    downgradeIgnoreAfterMinutes: doc.downgradeIgnoreAfterMinutes ?? null,
    weakIntegrity: doc.weakIntegrity ?? 'warn',
    installScripts: doc.installScripts ?? 'warn',
    transparencyLogs: doc.transparencyLogs === undefined ? null : doc.transparencyLogs.map(normalizeLogUrl),
    registriesAllowed: doc.registries?.allowed === undefined ? null : doc.registries.allowed.map((host) => normalizeHost(host)),
    registriesUnsigned: (doc.registries?.unsigned ?? []).map((host) => normalizeHost(host)),
    sources: { ...DEFAULT_SOURCES, ...doc.sources },
    identityLock: doc.identityLock ?? null,
    minReleaseAgeDays: doc.minReleaseAgeDays ?? null,
    minReleaseAgeExclude: (doc.minReleaseAgeExclude ?? []).map(nameMatcher),
    rules: doc.rules.map((rule) => normalizeRule(rule, doc.enforcement)),
    exceptions: (doc.exceptions ?? []).map((e): NormalizedException => {
      const at = e.package.lastIndexOf('@');
      return {
        package: e.package,
        name: e.package.slice(0, at),
        range: e.package.slice(at + 1),
        waive: [...e.waive],
        reason: e.reason,
        approvedBy: e.approvedBy,
        expires: e.expires,
        expiresAt: (parseExpiry(e.expires) as Date).toISOString(),
      };
    }),
  };
}

// Normalises the identities format: one rule per distinct subject (its identities' issuers are
// alternatives: any may have signed), requiring provenance; the transparency log pinned; the
// subjects' hosts the only registries allowed (a package from a host no subject names would
// otherwise be judged by no rule at all).
export function normalizeIdentities(doc: IdentitiesPolicy): NormalizedPolicy {
  const { identities, transparency, enforcement, registries } = doc.policy;
  const rules = new Map<string, NormalizedRule>();
  for (const identity of identities) {
    const existing = rules.get(identity.subject);
    if (existing !== undefined) {
      if (!(existing.signers ?? []).some((s) => s.issuer === identity.issuer)) existing.signers?.push(issuerOnly(identity.issuer));
      continue;
    }
    const [host, glob] = splitSubject(identity.subject);
    rules.set(identity.subject, {
      name: identity.subject,
      match: { packages: [nameMatcher(glob)], version: null, registry: host },
      require: { ...NO_REQUIREMENTS, provenance: true },
      signers: [issuerOnly(identity.issuer)],
      sourceRepository: null,
      builder: null,
      runnerEnvironments: null,
      buildTriggers: null,
      minReleaseAgeDays: null,
      installScriptSigners: null,
      enforcement,
    });
  }
  return {
    format: 'identities',
    enforcement,
    downgrade: 'fail',
    downgradeIgnoreAfterMinutes: null,
    weakIntegrity: 'warn',
    installScripts: 'warn',
    transparencyLogs: transparency === undefined ? null : [normalizeLogUrl(transparency.log)],
    registriesAllowed: [...new Set([...rules.values()].map((rule) => rule.match.registry as string))],
    registriesUnsigned: (registries?.unsigned ?? []).map((host) => normalizeHost(host)),
    sources: { ...DEFAULT_SOURCES },
    identityLock: null,
    minReleaseAgeDays: null,
    minReleaseAgeExclude: [],
    rules: [...rules.values()],
    exceptions: [],
  };
}

function normalizeRule(rule: Rule, policyEnforcement: Enforcement): NormalizedRule {
  const globs = typeof rule.match.package === 'string' ? [rule.match.package] : rule.match.package;
  const constrainsSigner = SIGNER_CONSTRAINTS.some((key) => rule[key] !== undefined);
  const runner = rule.runnerEnvironment;
  return {
    name: rule.name,
    match: { packages: globs.map(nameMatcher), version: rule.match.version ?? null, registry: rule.match.registry === undefined ? null : normalizeHost(rule.match.registry) },
    require: {
      registrySignature: rule.require?.registrySignature ?? false,
      provenance: (rule.require?.provenance ?? false) || constrainsSigner,
      publishAttestation: rule.require?.publishAttestation ?? false,
    },
    signers: rule.signer === undefined ? null : rule.signer.map(expandIdentity),
    sourceRepository:
      rule.sourceRepository === undefined
        ? null
        : rule.sourceRepository === 'package-json'
          ? { kind: 'package-json' }
          : { kind: 'uri', uri: normalizeRepositoryUrl(rule.sourceRepository) ?? rule.sourceRepository },
    builder: rule.builder === undefined ? null : { uri: rule.builder, pattern: builderPattern(rule.builder) },
    runnerEnvironments: runner === undefined ? null : typeof runner === 'string' ? [runner] : [...runner],
    buildTriggers: rule.buildTrigger === undefined ? null : [...rule.buildTrigger],
    minReleaseAgeDays: rule.minReleaseAgeDays ?? null,
    installScriptSigners: rule.installScripts === undefined ? null : rule.installScripts.signer.map(expandIdentity),
    // A policy-wide audit wins: under it nothing blocks.
    enforcement: policyEnforcement === 'audit' ? 'audit' : (rule.enforcement ?? policyEnforcement),
  };
}

function nameMatcher(glob: string): NameMatcher {
  return { glob, pattern: packageGlobPattern(glob) };
}

// `npm:HOST/GLOB` (the schema guarantees the shape).
function splitSubject(subject: string): [string, string] {
  const rest = subject.slice('npm:'.length);
  const slash = rest.indexOf('/');
  return [normalizeHost(rest.slice(0, slash)), rest.slice(slash + 1)];
}

// Log base URLs compare without a trailing slash and with a normalised host.
export function normalizeLogUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${normalizeHost(parsed.host, parsed.protocol)}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.replace(/\/+$/, '');
  }
}
