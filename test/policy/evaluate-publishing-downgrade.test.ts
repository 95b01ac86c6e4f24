// The trust-downgrade rule above provenance, ranked as pnpm's `trustPolicy: no-downgrade` ranks
// trust evidence: a staged publish approved by a person > trusted publishing (with provenance) >
// provenance > none. Trusted publishing and the approver are the packument's `_npmUser` claims
// (unsigned); the judged version's provenance is what verified. And the ignore window
// (`downgradeIgnoreAfterMinutes`, pnpm's `trustPolicyIgnoreAfter`).

import { describe, expect, it } from 'vitest';
import { evaluatePolicy, getPublishingEvidence, needsHistory } from '../../src/policy/index.js';
import type { NormalizedPolicy, PolicySubject, PublishingClaim, VersionHistory, VersionHistoryEntry } from '../../src/policy/index.js';
import { facts, githubSigner, NOW, oneRule, provenance, publishAttestation, REKOR, subject } from './_helpers.js';

const JAN = '2026-01-01T00:00:00.000Z';
const FEB = '2026-02-01T00:00:00.000Z';
const MAR = '2026-03-01T00:00:00.000Z';
const GITHUB = { id: 'github', oidcConfigId: 'oidc:1' };
const policy = oneRule({}, { downgrade: 'fail' });
const findingsOf = (s: PolicySubject, p: NormalizedPolicy = policy) => evaluatePolicy({ subjects: [s], trustedLogs: [REKOR] }, p, NOW).packages[0]?.findings ?? [];
const lost = (s: PolicySubject, p?: NormalizedPolicy) => findingsOf(s, p).map((f) => f.details?.lost);

// An earlier version as the packument lists it.
const tp = (version: string, publishedAt = JAN): VersionHistoryEntry => ({ version, publishedAt, provenance: true, publishAttestation: false, trustedPublisher: GITHUB });
const staged = (version: string, publishedAt = JAN, provenanceToo = false): VersionHistoryEntry => ({ version, publishedAt, provenance: provenanceToo, publishAttestation: false, approver: 'alice' });
const prov = (version: string, publishedAt = JAN): VersionHistoryEntry => ({ version, publishedAt, provenance: true, publishAttestation: false });

// The judged version 2.0.0, published in FEB: verified provenance and publish attestation
// (the existing levels all kept) unless `bare`, and what the packument claims about its publishing.
function judged(claim: PublishingClaim, versions: VersionHistoryEntry[], opts: { bare?: boolean; publishedAt?: string } = {}): PolicySubject {
  const attestations = opts.bare === true ? [] : [provenance(githubSigner('org/a')), publishAttestation()];
  const history: VersionHistory = { publishedAt: opts.publishedAt ?? FEB, publishing: claim, versions };
  return subject('a', '2.0.0', attestations, { history });
}

describe("pnpm's ranking: staged publish > trusted publisher > provenance > none", () => {
  it('a token publish (verified provenance) after a trusted publisher: TRUST_DOWNGRADE, lost trustedPublisher, both versions and their evidence named, marked unsigned', () => {
    const findings = findingsOf(judged({}, [tp('1.0.0')]));
    expect(findings.map((f) => f.code)).toEqual(['TRUST_DOWNGRADE']);
    expect(findings[0]?.details).toEqual({
      lost: 'trustedPublisher',
      order: 'publish-time',
      earlierVersion: '1.0.0',
      earlierEvidence: 'trusted-publisher',
      earlierPublishedAt: JAN,
      evidence: 'provenance',
      publishedBy: 'token',
      publishedAt: FEB,
      publishedAtSource: 'packument',
      publishingSource: 'packument',
      publishingSigned: false,
    });
  });

  it('a trusted publisher after a staged publish: lost stagedPublish', () => {
    expect(findingsOf(judged({ trustedPublisher: GITHUB }, [staged('1.0.0')]))).toMatchObject([
      { code: 'TRUST_DOWNGRADE', details: { lost: 'stagedPublish', earlierEvidence: 'staged-publish', evidence: 'trusted-publisher', publishedBy: 'trusted-publisher' } },
    ]);
  });

  it('the strongest earlier level is named, from the version published last with it', () => {
    const versions = [staged('1.0.0', JAN), tp('1.1.0', '2026-01-15T00:00:00.000Z'), staged('1.0.5', '2026-01-10T00:00:00.000Z')];
    expect(findingsOf(judged({}, versions))).toMatchObject([{ details: { lost: 'stagedPublish', earlierVersion: '1.0.5' } }]);
  });

  it('no downgrade: the same level kept, a stronger one, or the stronger version published later', () => {
    expect(lost(judged({ trustedPublisher: GITHUB }, [tp('1.0.0')]))).toEqual([]);
    expect(lost(judged({ approver: 'bob' }, [tp('1.0.0'), staged('1.0.1')]))).toEqual([]);
    expect(lost(judged({}, [prov('1.0.0')]))).toEqual([]);
    expect(lost(judged({}, [tp('3.0.0', MAR)]))).toEqual([]);
  });

  it('trusted publishing counts only with provenance, as pnpm counts it: the judged version claiming it without verified provenance is outranked; an earlier one claiming it without provenance outranks nothing', () => {
    // The judged version: no verified provenance, so its trusted-publisher claim is not its level.
    expect(lost(judged({ trustedPublisher: GITHUB }, [tp('1.0.0')], { bare: true }))).toEqual(['provenance', 'trustedPublisher']);
    const noProvenance: VersionHistoryEntry = { ...tp('1.0.0'), provenance: false };
    expect(lost(judged({}, [noProvenance]))).toEqual([]);
  });

  it('a staged publish counts on its own, without provenance', () => {
    expect(lost(judged({}, [staged('1.0.0')]))).toEqual(['stagedPublish']);
    expect(lost(judged({ approver: 'bob' }, [tp('1.0.0')], { bare: true }))).toEqual(['provenance']);
  });

  it("a release is not judged by a prerelease's publishing, as for provenance", () => {
    expect(lost(judged({}, [tp('2.0.0-rc.1')]))).toEqual([]);
  });

  it('no publishing claim known (a history without one): judged as a token publish', () => {
    const s = subject('a', '2.0.0', [provenance(githubSigner('org/a')), publishAttestation()], { history: { publishedAt: FEB, versions: [tp('1.0.0')] } });
    expect(lost(s)).toEqual(['trustedPublisher']);
  });

  it('downgrade warn: under audit; off: nothing', () => {
    expect(findingsOf(judged({}, [tp('1.0.0')]), oneRule({}, { downgrade: 'warn' })).map((f) => f.enforcement)).toEqual(['audit']);
    expect(lost(judged({}, [tp('1.0.0')]), oneRule({}, { downgrade: 'off' }))).toEqual([]);
  });
});

describe('downgradeIgnoreAfterMinutes (pnpm trustPolicyIgnoreAfter)', () => {
  // NOW is 2026-06-01: FEB is about 120 days before.
  const window = (minutes: number) => oneRule({}, { downgrade: 'fail', downgradeIgnoreAfterMinutes: minutes });
  const DAY = 24 * 60;

  it('a version published longer ago than the window is not judged, at any level', () => {
    expect(lost(judged({}, [tp('1.0.0')]), window(100 * DAY))).toEqual([]);
    expect(lost(judged({}, [tp('1.0.0')], { bare: true }), window(100 * DAY))).toEqual([]);
  });

  it('a version published within the window is judged', () => {
    expect(lost(judged({}, [tp('1.0.0')]), window(200 * DAY))).toEqual(['trustedPublisher']);
    expect(lost(judged({}, [tp('1.0.0')], { bare: true }), window(200 * DAY))).toEqual(['provenance', 'trustedPublisher']);
  });

  it('a version without a known publish time is judged (fail closed)', () => {
    const s = subject('a', '2.0.0', [], { history: { publishing: {}, versions: [{ ...tp('1.0.0'), publishedAt: undefined } as VersionHistoryEntry] } });
    expect(lost(s, window(1))).toEqual(['provenance', 'trustedPublisher']);
  });

  it("the judged version's signed publish time decides, over the registry's claim", () => {
    // The registry claims FEB (outside a 30-day window); the publish attestation's log says May 20th.
    const signed = { ...facts('a', '2.0.0', [provenance(githubSigner('org/a')), publishAttestation()]), publishTime: { value: '2026-05-20T00:00:00.000Z', signed: true, source: 'publish-attestation' as const } };
    const s = subject('a', '2.0.0', [], { facts: signed, history: { publishedAt: FEB, publishing: {}, versions: [tp('1.0.0')] } });
    expect(lost(s, window(30 * DAY))).toEqual(['trustedPublisher']);
  });

  it('needsHistory: no packument for a version whose signed publish time is past the window; one whose time is unsigned or inside it is fetched', () => {
    const at = (value: string, isSigned: boolean) => subject('a', '2.0.0', [], { facts: { ...facts('a', '2.0.0', [publishAttestation()]), publishTime: { value, signed: isSigned, source: isSigned ? ('publish-attestation' as const) : ('packument' as const) } } });
    expect(needsHistory(at(FEB, true), window(30 * DAY), NOW)).toBe(false);
    expect(needsHistory(at(FEB, true), window(200 * DAY), NOW)).toBe(true);
    expect(needsHistory(at(FEB, false), window(30 * DAY), NOW)).toBe(true);
    expect(needsHistory(at(FEB, true), policy, NOW)).toBe(true);
  });
});

describe('the publishing evidence the report records', () => {
  const verified = facts('a', '2.0.0', [provenance(githubSigner('org/a'))]);
  const none = facts('a', '2.0.0', []);

  it('provenance as verified; trusted publisher and approver as the packument claims them, unsigned', () => {
    expect(getPublishingEvidence(verified, { trustedPublisher: GITHUB })).toEqual({
      level: 'trusted-publisher',
      provenance: 'verified',
      publishedBy: 'trusted-publisher',
      trustedPublisher: GITHUB,
      source: 'packument',
      signed: false,
    });
    expect(getPublishingEvidence(none, { approver: 'alice', trustedPublisher: GITHUB })).toMatchObject({ level: 'staged-publish', provenance: 'none', publishedBy: 'staged-publish', approver: 'alice' });
    expect(getPublishingEvidence(verified, {})).toEqual({ level: 'provenance', provenance: 'verified', publishedBy: 'token', source: 'packument', signed: false });
    expect(getPublishingEvidence(none, undefined)).toMatchObject({ level: 'none', publishedBy: 'token' });
    // A trusted-publisher claim without verified provenance does not reach that level.
    expect(getPublishingEvidence(none, { trustedPublisher: GITHUB })).toMatchObject({ level: 'none', publishedBy: 'trusted-publisher' });
  });
});
