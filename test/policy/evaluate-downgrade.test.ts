// The trust-downgrade rule by publish time, as pnpm's `trustPolicy: no-downgrade` judges it: a
// version published after another version carried provenance, and carrying none verified itself,
// is a downgrade whatever its version number. Times are the packument's `time` (unsigned registry
// metadata), except the judged version's signed publish-attestation log time when there is one.
// Without times to compare, version order decides (the rule never passes for want of a time what
// version order catches).

import { describe, expect, it } from 'vitest';
import { evaluatePolicy, mayNeedHistory, needsHistory } from '../../src/policy/index.js';
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

    it('a hyphen in build metadata makes no prerelease: a release is judged by it, and judged as a release', () => {
      expect(judge(bare('1.0.0', { publishedAt: MAR, versions: [provenanceAt('0.9.0+build-7', FEB)] }))).toMatchObject([{ code: 'TRUST_DOWNGRADE', details: { earlierVersion: '0.9.0+build-7' } }]);
      expect(judge(bare('1.0.0+build-8', { publishedAt: MAR, versions: [provenanceAt('1.0.0-rc.1', FEB)] }))).toEqual([]);
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

  it('every registry package with facts: even verified provenance and publish attestation can be outranked (trusted or staged publishing)', () => {
    expect(needsHistory(missing(), policy, NOW)).toBe(true);
    expect(needsHistory(missing([provenance(githubSigner('org/a'))]), policy, NOW)).toBe(true);
    expect(needsHistory(missing([provenance(githubSigner('org/a')), publishAttestation()]), policy, NOW)).toBe(true);
    expect(needsHistory(missing([], { facts: undefined }), policy, NOW)).toBe(false);
    expect(needsHistory(missing([], { ref: ref('a', '1.0.0', { source: 'git' }) }), policy, NOW)).toBe(false);
    expect(needsHistory(missing([], { ref: ref('a', '1.0.0', { bundled: true }) }), policy, NOW)).toBe(false);
  });

  it('mayNeedHistory, asked before the facts are known, says yes wherever needsHistory can: the packument then replaces the version manifest', () => {
    const window = oneRule({}, { downgrade: 'fail', downgradeIgnoreAfterMinutes: 60 });
    const subjects = [missing(), missing([]), missing([provenance(githubSigner('org/a')), publishAttestation()]), missing([], { ref: ref('a', '1.0.0', { source: 'git' }) }), missing([], { ref: ref('a', '1.0.0', { bundled: true }) })];
    for (const p of [policy, window, oneRule({}, { downgrade: 'warn' }), oneRule({}, { downgrade: 'off' })]) {
      for (const s of subjects) if (needsHistory(s, p, NOW)) expect(mayNeedHistory(s.ref, p)).toBe(true);
    }
    expect(mayNeedHistory(ref('a', '1.0.0'), policy)).toBe(true);
    expect(mayNeedHistory(ref('a', '1.0.0'), oneRule({}, { downgrade: 'off' }))).toBe(false);
    expect(mayNeedHistory(ref('a', '1.0.0', { source: 'git' }), policy)).toBe(false);
    expect(mayNeedHistory(ref('a', '1.0.0', { bundled: true }), policy)).toBe(false);
  });
});

describe('the finding, exactly', () => {
  const JAN = '2026-01-01T00:00:00.000Z';
  const detailsOf = (s: PolicySubject, p = policy) => evaluatePolicy({ subjects: [s], trustedLogs: [REKOR] }, p, NOW).packages[0]?.findings.map((f) => ({ code: f.code, enforcement: f.enforcement, details: f.details })) ?? [];
  const publishAt = (version: string, publishedAt?: string) => ({ version, ...(publishedAt === undefined ? {} : { publishedAt }), provenance: false, publishAttestation: true });
  const withTime = (publishTime: { value: string; signed: boolean }, history: VersionHistory) =>
    subject('a', '0.9.1', [], { facts: { ...facts('a', '0.9.1', []), publishTime: { ...publishTime, source: publishTime.signed ? ('publish-attestation' as const) : ('packument' as const) } }, history });

  it('the newest earlier version by time, whatever the order of the history', () => {
    const history = { publishedAt: APR, versions: [provenanceAt('1.0.0', JAN), provenanceAt('1.1.0', MAR), provenanceAt('1.0.5', FEB)] };
    expect(detailsOf(bare('0.9.1', history))).toEqual([
      { code: 'TRUST_DOWNGRADE', enforcement: 'strict', details: { lost: 'provenance', order: 'publish-time', earlierVersion: '1.1.0', earlierPublishedAt: MAR, publishedAt: APR, publishedAtSource: 'packument' } },
    ]);
  });

  it('by version order, the highest lower version; the details hold no time that is not known', () => {
    const history = { versions: [provenanceAt('1.0.0'), provenanceAt('1.2.0'), provenanceAt('1.1.0'), provenanceAt('3.0.0')] };
    // Strict: a key that is there but undefined is not the same as no key.
    expect(detailsOf(bare('2.0.0', history))).toStrictEqual([{ code: 'TRUST_DOWNGRADE', enforcement: 'strict', details: { lost: 'provenance', order: 'version', earlierVersion: '1.2.0' } }]);
  });

  it('a lost publish attestation is its own finding, beside a lost provenance', () => {
    const history = { publishedAt: MAR, versions: [provenanceAt('1.0.0', JAN), publishAt('1.0.1', FEB)] };
    expect(detailsOf(bare('1.0.2', history)).map((f) => f.details)).toEqual([
      { lost: 'provenance', order: 'publish-time', earlierVersion: '1.0.0', earlierPublishedAt: JAN, publishedAt: MAR, publishedAtSource: 'packument' },
      { lost: 'publishAttestation', order: 'publish-time', earlierVersion: '1.0.1', earlierPublishedAt: FEB, publishedAt: MAR, publishedAtSource: 'packument' },
    ]);
  });

  it('what the judged version carries verified is not lost', () => {
    const history = { publishedAt: MAR, versions: [{ version: '1.0.0', publishedAt: FEB, provenance: true, publishAttestation: true }] };
    const s = subject('a', '1.0.1', [provenance(githubSigner('org/a'))], { history });
    expect(detailsOf(s).map((f) => f.details?.lost)).toEqual(['publishAttestation']);
  });

  it("the judged version's own entry is never the earlier one, even when its registry time differs from its signed one", () => {
    const own = { version: '0.9.1', publishedAt: FEB, provenance: true, publishAttestation: true };
    expect(detailsOf(withTime({ value: APR, signed: true }, { publishedAt: FEB, versions: [own] }))).toEqual([]);
  });

  it('downgrade: warn makes the finding audit; off and a history not fetched make none', () => {
    const history = { publishedAt: MAR, versions: [provenanceAt('1.0.0', FEB)] };
    expect(detailsOf(bare('0.9.1', history), oneRule({}, { downgrade: 'warn' })).map((f) => f.enforcement)).toEqual(['audit']);
    expect(detailsOf(bare('0.9.1', history), oneRule({}, { downgrade: 'off' }))).toEqual([]);
    expect(detailsOf(subject('a', '0.9.1', []))).toEqual([]);
  });

  describe("the judged version's time", () => {
    const history = (publishedAt?: string) => ({ ...(publishedAt === undefined ? {} : { publishedAt }), versions: [provenanceAt('1.0.0', MAR)] });

    it("an unsigned publish time in the facts is not preferred to the history's", () => {
      // The facts say APR (after 1.0.0), the history FEB (before): the history decides.
      expect(detailsOf(withTime({ value: APR, signed: false }, history(FEB)))).toEqual([]);
    });

    it('without a time in the history, the unsigned publish time of the facts is the registry claim', () => {
      expect(detailsOf(withTime({ value: APR, signed: false }, history())).map((f) => f.details)).toEqual([
        { lost: 'provenance', order: 'publish-time', earlierVersion: '1.0.0', earlierPublishedAt: MAR, publishedAt: APR, publishedAtSource: 'packument' },
      ]);
    });

    it("a signed time that does not parse falls back to the registry's", () => {
      expect(detailsOf(withTime({ value: 'not a time', signed: true }, history(APR))).map((f) => f.details)).toEqual([
        { lost: 'provenance', order: 'publish-time', earlierVersion: '1.0.0', earlierPublishedAt: MAR, publishedAt: APR, publishedAtSource: 'packument' },
      ]);
    });

    it('a registry time that does not parse is no time: version order decides', () => {
      expect(detailsOf(bare('0.9.1', history('not a time')))).toEqual([]);
      expect(detailsOf(bare('1.0.1', history('not a time'))).map((f) => f.details)).toEqual([{ lost: 'provenance', order: 'version', earlierVersion: '1.0.0', earlierPublishedAt: MAR }]);
    });

    it('an earlier time that does not parse is no time: version order decides', () => {
      const odd = { publishedAt: APR, versions: [provenanceAt('2.0.0', 'not a time')] };
      expect(detailsOf(bare('1.0.1', odd))).toEqual([]);
    });
  });
});
