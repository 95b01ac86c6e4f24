// The trust-downgrade rule by publish time, as pnpm's `trustPolicy: no-downgrade` judges it: a
// version published after another version carried provenance, and carrying none verified itself,
// is a downgrade whatever its version number. Times are the packument's `time` (unsigned registry
// metadata), except the judged version's signed publish-attestation log time when there is one.
// Without times to compare, version order decides (the rule never passes for want of a time what
// version order catches).

import { describe, expect, it } from 'vitest';
import { evaluatePolicy, needsHistory } from '../../src/policy/index.js';
import type { PolicySubject, VersionHistory } from '../../src/policy/index.js';
import { facts, githubSigner, NOW, oneRule, provenance, publishAttestation, ref, REKOR, subject } from './_helpers.js';

const FEB = '2026-02-01T00:00:00.000Z';
const MAR = '2026-03-01T00:00:00.000Z';
const APR = '2026-04-01T00:00:00.000Z';
const policy = oneRule({}, { downgrade: 'fail' });
const judge = (s: PolicySubject) => evaluatePolicy({ subjects: [s], trustedLogs: [REKOR] }, policy, NOW).packages[0]?.findings ?? [];
const provenanceAt = (version: string, publishedAt?: string) => ({ version, ...(publishedAt === undefined ? {} : { publishedAt }), provenance: true, publishAttestation: false });
// A version with no verified evidence, judged against this history.
const bare = (version: string, history: VersionHistory) => subject('a', version, [], { history });

describe('trust downgrade by publish time', () => {
  it('0.9.1 without provenance, published after 1.0.0 had it: TRUST_DOWNGRADE naming 1.0.0 and both times', () => {
    const findings = judge(bare('0.9.1', { publishedAt: MAR, versions: [provenanceAt('1.0.0', FEB)] }));
    expect(findings).toMatchObject([
      {
        code: 'TRUST_DOWNGRADE',
        details: { lost: 'provenance', order: 'publish-time', earlierVersion: '1.0.0', earlierPublishedAt: FEB, publishedAt: MAR, publishedAtSource: 'packument' },
      },
    ]);
    for (const part of ['a@1.0.0', 'a@0.9.1', FEB, MAR]) expect(findings[0]?.message).toContain(part);
  });

  it('0.9.1 published before 1.0.0 adopted provenance: no downgrade', () => {
    expect(judge(bare('0.9.1', { publishedAt: FEB, versions: [provenanceAt('1.0.0', MAR)] }))).toEqual([]);
  });

  it('publish time supersedes version order: a lower version given provenance later (a backport) does not make an earlier release a downgrade', () => {
    expect(judge(bare('1.0.0', { publishedAt: FEB, versions: [provenanceAt('0.9.5', MAR)] }))).toEqual([]);
  });

  it('names the version with provenance published last before the judged one', () => {
    const history = { publishedAt: MAR, versions: [provenanceAt('2.0.0', APR), provenanceAt('1.1.0', FEB), provenanceAt('1.0.0', '2026-01-01T00:00:00.000Z')] };
    expect(judge(bare('0.9.1', history))).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { earlierVersion: '1.1.0' } }]);
  });

  it("the judged version's signed publish time (its publish attestation's log time) is preferred to the registry's claim", () => {
    const signedLate = { ...facts('a', '0.9.1', [publishAttestation()]), publishTime: { value: APR, signed: true, source: 'publish-attestation' as const } };
    // The registry claims 0.9.1 came before 1.0.0; the log says it came after.
    const s = subject('a', '0.9.1', [], { facts: signedLate, history: { publishedAt: FEB, versions: [provenanceAt('1.0.0', MAR)] } });
    expect(judge(s)).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { order: 'publish-time', publishedAt: APR, publishedAtSource: 'publish-attestation' } }]);
  });

  describe('prereleases, as pnpm judges them', () => {
    it("a release is not judged by an earlier prerelease's provenance", () => {
      expect(judge(bare('1.0.0', { publishedAt: MAR, versions: [provenanceAt('1.0.0-rc.1', FEB)] }))).toEqual([]);
    });

    it('a prerelease is judged by every earlier version, prereleases and releases alike', () => {
      expect(judge(bare('2.0.0-beta.2', { publishedAt: MAR, versions: [provenanceAt('2.0.0-beta.1', FEB)] }))).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { earlierVersion: '2.0.0-beta.1' } }]);
      expect(judge(bare('2.0.0-beta.1', { publishedAt: MAR, versions: [provenanceAt('1.5.0', FEB)] }))).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { earlierVersion: '1.5.0' } }]);
    });
  });

  describe('without times to compare, version order decides', () => {
    it('the judged version has no time: a lower version with provenance is a downgrade', () => {
      expect(judge(bare('1.0.1', { versions: [provenanceAt('1.0.0', FEB)] }))).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { order: 'version', earlierVersion: '1.0.0' } }]);
    });

    it('the earlier version has no time: a lower version is a downgrade, a higher one is not', () => {
      expect(judge(bare('1.0.1', { publishedAt: MAR, versions: [provenanceAt('1.0.0')] }))).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { order: 'version', earlierVersion: '1.0.0' } }]);
      expect(judge(bare('1.0.1', { publishedAt: MAR, versions: [provenanceAt('2.0.0')] }))).toEqual([]);
    });

    it('equal times do not say which came first: version order decides', () => {
      expect(judge(bare('1.0.1', { publishedAt: FEB, versions: [provenanceAt('1.0.0', FEB)] }))).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { order: 'version' } }]);
    });
  });
});

describe('versions that do not parse (fail closed)', () => {
  it('an earlier entry whose version does not parse counts as earlier, beside others, without throwing', () => {
    const history = { versions: [provenanceAt('not-a-version'), provenanceAt('1.0.0'), provenanceAt('1.1.0')] };
    expect(judge(bare('2.0.0', history)).map((f) => f.code)).toEqual(['TRUST_DOWNGRADE']);
    expect(judge(bare('2.0.0', { versions: [provenanceAt('not-a-version')] }))).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { earlierVersion: 'not-a-version', order: 'version' } }]);
  });

  it('a judged version that does not parse is judged by every other version', () => {
    expect(judge(bare('latest-build', { versions: [provenanceAt('3.0.0')] }))).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { earlierVersion: '3.0.0' } }]);
  });
});

describe('needsHistory', () => {
  const missing = (attestations = [publishAttestation()], over: Partial<PolicySubject> = {}) => subject('a', '1.0.0', attestations, over);

  it('only a registry package with facts that lacks verified provenance or a verified publish attestation', () => {
    expect(needsHistory(missing(), policy)).toBe(true);
    expect(needsHistory(missing([provenance(githubSigner('org/a'))]), policy)).toBe(true);
    expect(needsHistory(missing([provenance(githubSigner('org/a')), publishAttestation()]), policy)).toBe(false);
    expect(needsHistory(missing([], { facts: undefined }), policy)).toBe(false);
    expect(needsHistory(missing([], { ref: ref('a', '1.0.0', { source: 'git' }) }), policy)).toBe(false);
    expect(needsHistory(missing([], { ref: ref('a', '1.0.0', { bundled: true }) }), policy)).toBe(false);
  });
});
