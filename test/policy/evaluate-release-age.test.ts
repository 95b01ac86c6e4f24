// The release cooldown: a version published less than N days before the run's clock fails
// (RELEASE_TOO_NEW); exactly N days old passes, as npm's `before` cut-off lets it in. The publish
// time is the publish attestation's signed log time when one verified, else the packument's
// `time` (unsigned, and the finding says so); none at all fails closed (RELEASE_AGE_UNKNOWN).

import { describe, expect, it } from 'vitest';
import { evaluatePolicy, mayNeedReleaseTime, needsReleaseTime } from '../../src/policy/index.js';
import type { NormalizedPolicy, PolicySubject } from '../../src/policy/index.js';
import type { NpmReleaseAge } from '../../src/types.js';
import { facts, NOW, oneRule, policyOf, publishAttestation, ref, REKOR, subject } from './_helpers.js';

const DAY = 86_400_000;
const daysBeforeNow = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const judge = (s: PolicySubject, policy: NormalizedPolicy, npmReleaseAge?: NpmReleaseAge) =>
  evaluatePolicy({ subjects: [s], trustedLogs: [REKOR], ...(npmReleaseAge === undefined ? {} : { npmReleaseAge }) }, policy, NOW).packages[0]?.findings ?? [];
const codes = (s: PolicySubject, policy: NormalizedPolicy, npm?: NpmReleaseAge) => judge(s, policy, npm).map((f) => f.code);
// A version whose registry `time` (unsigned, from the fetched packument) is `publishedAt`.
const published = (publishedAt: string | undefined, name = 'a') => subject(name, '1.0.0', [], { history: { ...(publishedAt === undefined ? {} : { publishedAt }), versions: [] } });
const cooldown = (days: number, top: Record<string, unknown> = {}) => oneRule({}, { minReleaseAgeDays: days, ...top });

describe('release cooldown', () => {
  it('a version published less than N days ago fails RELEASE_TOO_NEW, naming its unsigned registry time', () => {
    const at = daysBeforeNow(1);
    const findings = judge(published(at), cooldown(2));
    expect(findings).toMatchObject([
      {
        code: 'RELEASE_TOO_NEW',
        enforcement: 'strict',
        details: { minReleaseAgeDays: 2, setBy: 'policy', publishedAt: at, publishedAtSource: 'packument', ageDays: 1, releasableAt: daysBeforeNow(-1) },
      },
    ]);
    expect(evaluatePolicy({ subjects: [published(at)], trustedLogs: [REKOR] }, cooldown(2), NOW).verdict).toBe('fail');
  });

  it('exactly N days old passes; a millisecond younger fails', () => {
    expect(codes(published(daysBeforeNow(2)), cooldown(2))).toEqual([]);
    expect(codes(published(new Date(NOW.getTime() - 2 * DAY + 1).toISOString()), cooldown(2))).toEqual(['RELEASE_TOO_NEW']);
  });

  it('a fractional cooldown is honoured (npm reads min-release-age as a number)', () => {
    expect(codes(published(daysBeforeNow(0.4)), cooldown(0.5))).toEqual(['RELEASE_TOO_NEW']);
    expect(codes(published(daysBeforeNow(0.5)), cooldown(0.5))).toEqual([]);
  });

  it('a publish time after the clock is too new', () => {
    expect(codes(published(daysBeforeNow(-3)), cooldown(2))).toEqual(['RELEASE_TOO_NEW']);
  });

  it("the publish attestation's signed log time is preferred to the registry's claim", () => {
    const signed = { ...facts('a', '1.0.0', [publishAttestation()]), publishTime: { value: daysBeforeNow(1), signed: true, source: 'publish-attestation' as const } };
    // The registry claims an old release; the log says it is a day old.
    const s = subject('a', '1.0.0', [], { facts: signed, history: { publishedAt: daysBeforeNow(30), versions: [] } });
    expect(judge(s, cooldown(2))).toMatchObject([{ code: 'RELEASE_TOO_NEW', details: { publishedAtSource: 'publish-attestation', publishedAt: daysBeforeNow(1) } }]);
  });

  it('an unsigned publish time already in the evidence is used when no history was fetched', () => {
    const claimed = { ...facts('a', '1.0.0'), publishTime: { value: daysBeforeNow(1), signed: false, source: 'packument' as const } };
    expect(judge(subject('a', '1.0.0', [], { facts: claimed }), cooldown(2))).toMatchObject([{ code: 'RELEASE_TOO_NEW', details: { publishedAtSource: 'packument' } }]);
  });

  it('no publish time at all fails closed: RELEASE_AGE_UNKNOWN, strict', () => {
    expect(judge(published(undefined), cooldown(2))).toMatchObject([{ code: 'RELEASE_AGE_UNKNOWN', enforcement: 'strict', details: { historyFetched: true } }]);
    expect(judge(subject('a', '1.0.0'), cooldown(2))).toMatchObject([{ code: 'RELEASE_AGE_UNKNOWN', details: { historyFetched: false } }]);
  });

  it('under audit enforcement the finding is reported, not failed', () => {
    const policy = policyOf({ version: 1, enforcement: 'audit', downgrade: 'off', minReleaseAgeDays: 2, rules: [{ name: 'r', match: { package: '*' } }] });
    const decision = evaluatePolicy({ subjects: [published(daysBeforeNow(1))], trustedLogs: [REKOR] }, policy, NOW);
    expect(decision).toMatchObject({ verdict: 'pass', packages: [{ findings: [{ code: 'RELEASE_TOO_NEW', enforcement: 'audit' }] }] });
  });

  it('no cooldown set (policy nor npm), or 0: nothing judged', () => {
    expect(codes(published(daysBeforeNow(0)), oneRule({}))).toEqual([]);
    expect(codes(published(undefined), cooldown(0))).toEqual([]);
  });

  describe('exclusions', () => {
    it("the policy's globs exempt matching real names, `*` within one segment", () => {
      const policy = cooldown(2, { minReleaseAgeExclude: ['@mine/*', 'tool'] });
      expect(codes(published(daysBeforeNow(0), '@mine/lib'), policy)).toEqual([]);
      expect(codes(published(daysBeforeNow(0), 'tool'), policy)).toEqual([]);
      expect(codes(published(daysBeforeNow(0), 'tools'), policy)).toEqual(['RELEASE_TOO_NEW']);
      expect(codes(published(daysBeforeNow(0), '@mine/lib/x'), policy)).toEqual(['RELEASE_TOO_NEW']);
    });

    it('an npm: alias named like an exempt package does not exempt the package it resolves to', () => {
      const aliased = { ...published(daysBeforeNow(0), 'evil'), ref: ref('evil', '1.0.0', { aliases: ['tool'] }) };
      expect(codes(aliased, cooldown(2, { minReleaseAgeExclude: ['tool'] }))).toEqual(['RELEASE_TOO_NEW']);
      expect(codes(aliased, oneRule({}), { days: 2, exclude: ['tool'] })).toEqual(['RELEASE_TOO_NEW']);
    });
  });

  describe("npm's min-release-age", () => {
    const npm = { days: 3, exclude: ['@corp/*', 'single'] };

    it('applies when the policy sets no cooldown, with its exclusions as npm matches them (minimatch)', () => {
      expect(judge(published(daysBeforeNow(2)), oneRule({}), npm)).toMatchObject([{ code: 'RELEASE_TOO_NEW', details: { minReleaseAgeDays: 3, setBy: 'npm-config' } }]);
      expect(codes(published(daysBeforeNow(3)), oneRule({}), npm)).toEqual([]);
      expect(codes(published(daysBeforeNow(0), '@corp/x'), oneRule({}), npm)).toEqual([]);
      expect(codes(published(daysBeforeNow(0), 'single'), oneRule({}), npm)).toEqual([]);
      // npm turns negation off: `!x` exempts nothing, not everything but x.
      expect(codes(published(daysBeforeNow(0)), oneRule({}), { days: 3, exclude: ['!x'] })).toEqual(['RELEASE_TOO_NEW']);
    });

    it("the policy's cooldown overrides npm's, and npm's exclusions do not widen it", () => {
      expect(judge(published(daysBeforeNow(1.5)), cooldown(1), npm)).toEqual([]);
      expect(judge(published(daysBeforeNow(0), '@corp/x'), cooldown(1), npm)).toMatchObject([{ code: 'RELEASE_TOO_NEW', details: { setBy: 'policy', minReleaseAgeDays: 1 } }]);
      expect(codes(published(daysBeforeNow(0)), cooldown(0), npm)).toEqual([]);
    });
  });

  describe('per rule', () => {
    const policy = policyOf({
      version: 1,
      enforcement: 'strict',
      downgrade: 'off',
      minReleaseAgeDays: 2,
      rules: [
        { name: 'ours', match: { package: '@mine/*' }, minReleaseAgeDays: 0 },
        { name: 'careful', match: { package: 'risky' }, minReleaseAgeDays: 7 },
        { name: 'rest', match: { package: '*' } },
      ],
    });

    it("a rule's cooldown overrides the policy's for the packages it matches", () => {
      expect(codes(published(daysBeforeNow(0), '@mine/lib'), policy)).toEqual([]);
      expect(judge(published(daysBeforeNow(5), 'risky'), policy)).toMatchObject([{ code: 'RELEASE_TOO_NEW', rule: 'careful', details: { minReleaseAgeDays: 7, setBy: 'rule' } }]);
      expect(codes(published(daysBeforeNow(5), 'other'), policy)).toEqual([]);
      expect(codes(published(daysBeforeNow(1), 'other'), policy)).toEqual(['RELEASE_TOO_NEW']);
    });

    it('under several applying rules (an alias), the longest cooldown stands', () => {
      const aliased = { ...published(daysBeforeNow(5), '@mine/lib'), ref: ref('@mine/lib', '1.0.0', { aliases: ['risky'] }) };
      expect(judge(aliased, policy)).toMatchObject([{ code: 'RELEASE_TOO_NEW', details: { minReleaseAgeDays: 7 } }]);
    });
  });

  describe('needsReleaseTime: the packument is fetched only when the time is needed', () => {
    const bare = { ref: ref('a', '1.0.0'), facts: facts('a', '1.0.0') };

    it('when a cooldown may apply and the evidence holds no publish time', () => {
      expect(needsReleaseTime(bare, cooldown(2), undefined)).toBe(true);
      expect(needsReleaseTime(bare, oneRule({}), { days: 1, exclude: [] })).toBe(true);
    });

    it('not when no cooldown applies, the package is exempt, or the evidence holds a publish time', () => {
      expect(needsReleaseTime(bare, oneRule({}), undefined)).toBe(false);
      expect(needsReleaseTime(bare, cooldown(2, { minReleaseAgeExclude: ['a'] }), undefined)).toBe(false);
      const signed = { ...bare, facts: { ...bare.facts, publishTime: { value: daysBeforeNow(1), signed: true, source: 'publish-attestation' as const } } };
      expect(needsReleaseTime(signed, cooldown(2), undefined)).toBe(false);
      expect(needsReleaseTime({ ...bare, ref: ref('a', '1.0.0', { source: 'git' }) }, cooldown(2), undefined)).toBe(false);
    });

    it('not for a bundled package (its evidence is the tarball that carries it), nor one without evidence', () => {
      expect(needsReleaseTime({ ...bare, ref: ref('a', '1.0.0', { bundled: true }) }, cooldown(2), undefined)).toBe(false);
      // No evidence at all: the package was not checked, so there is nothing to judge a time for.
      expect(needsReleaseTime({ ref: ref('a', '1.0.0'), facts: undefined }, cooldown(2), undefined)).toBe(false);
    });

    it("a rule for the name a package is installed as (an npm: alias) makes it need the time", () => {
      const policy = policyOf({ version: 1, enforcement: 'strict', rules: [{ name: 'r', match: { package: 'tool' }, minReleaseAgeDays: 1 }, { name: 'rest', match: { package: '*' } }] });
      expect(needsReleaseTime({ ...bare, ref: ref('a', '1.0.0', { aliases: ['tool'] }) }, policy, undefined)).toBe(true);
    });

    it("the policy's cooldown is enough, even when a rule matching the name sets none (it may not apply)", () => {
      const policy = policyOf({ version: 1, enforcement: 'strict', minReleaseAgeDays: 2, rules: [{ name: 'r', match: { package: 'a' }, minReleaseAgeDays: 0 }, { name: 'rest', match: { package: '*' } }] });
      expect(needsReleaseTime(bare, policy, undefined)).toBe(true);
    });

    it('mayNeedReleaseTime, asked before the facts are known, says yes wherever needsReleaseTime can', () => {
      const policies = [cooldown(2), cooldown(2, { minReleaseAgeExclude: ['a'] }), oneRule({})];
      const refs = [ref('a', '1.0.0'), ref('a', '1.0.0', { source: 'git' }), ref('a', '1.0.0', { bundled: true }), ref('a', '1.0.0', { aliases: ['tool'] })];
      for (const p of policies) {
        for (const r of refs) {
          for (const npm of [undefined, { days: 1, exclude: [] }]) {
            if (needsReleaseTime({ ref: r, facts: facts('a', '1.0.0') }, p, npm)) expect(mayNeedReleaseTime(r, p, npm)).toBe(true);
          }
        }
      }
      expect(mayNeedReleaseTime(ref('a', '1.0.0'), cooldown(2), undefined)).toBe(true);
      expect(mayNeedReleaseTime(ref('a', '1.0.0'), oneRule({}), undefined)).toBe(false);
      expect(mayNeedReleaseTime(ref('a', '1.0.0'), cooldown(2, { minReleaseAgeExclude: ['a'] }), undefined)).toBe(false);
      expect(mayNeedReleaseTime(ref('a', '1.0.0', { bundled: true }), cooldown(2), undefined)).toBe(false);
    });

    it("a rule's cooldown makes its packages need the time", () => {
      const policy = policyOf({ version: 1, enforcement: 'strict', rules: [{ name: 'r', match: { package: 'a' }, minReleaseAgeDays: 1 }, { name: 'rest', match: { package: '*' } }] });
      expect(needsReleaseTime(bare, policy, undefined)).toBe(true);
      expect(needsReleaseTime({ ref: ref('b', '1.0.0'), facts: facts('b', '1.0.0') }, policy, undefined)).toBe(false);
    });
  });
});
