// checkTransparencyLogs: the transparency-log pin, judged on one package's facts (the findings
// exactly).

import { describe, expect, it } from 'vitest';
import { checkTransparencyLogs } from '../../src/policy/check-tlog.js';
import type { TLogFacts } from '../../src/verify/types.js';
import { facts, githubSigner, OTHER_LOG, oneRule, provenance, publishAttestation, REKOR } from './_helpers.js';

const pinnedTo = (...logs: string[]) => oneRule({}, { transparencyLogs: logs });
const entry = (logId: string, logIndex = '7'): TLogFacts => ({ logId, logIndex, kind: 'dsse/0.0.1', inclusionPromise: true, inclusionProof: true });
const withEntries = (...tlog: TLogFacts[]) => facts('a', '1.0.0', [provenance(githubSigner('org/a'), { tlog })]);
const trusted = [REKOR, OTHER_LOG];
const UNKNOWN = 'dW5rbm93bi1sb2c=';

describe('checkTransparencyLogs', () => {
  it('a policy that pins no log checks nothing, whatever the entries', () => {
    expect(checkTransparencyLogs(withEntries(entry(UNKNOWN)), oneRule({}), trusted)).toEqual([]);
    expect(checkTransparencyLogs(withEntries(), oneRule({}), trusted)).toEqual([]);
  });

  it('an entry in the pinned log passes; the trusted log\'s URL is compared normalised', () => {
    expect(checkTransparencyLogs(withEntries(entry(REKOR.logId)), pinnedTo(REKOR.baseUrl), trusted)).toEqual([]);
    const spelledOtherwise = [{ logId: REKOR.logId, baseUrl: `${REKOR.baseUrl.toUpperCase()}:443/` }];
    expect(checkTransparencyLogs(withEntries(entry(REKOR.logId)), pinnedTo(REKOR.baseUrl), spelledOtherwise)).toEqual([]);
  });

  it('an entry in a trusted log the policy does not pin: TLOG_NOT_PINNED naming that log', () => {
    const found = checkTransparencyLogs(withEntries(entry(OTHER_LOG.logId, '42')), pinnedTo(REKOR.baseUrl), trusted);
    expect(found).toEqual([
      { code: 'TLOG_NOT_PINNED', detail: expect.any(String), details: { pinned: [REKOR.baseUrl], logId: OTHER_LOG.logId, logIndex: '42', baseUrl: OTHER_LOG.baseUrl } },
    ]);
  });

  it('an entry whose log the trusted root does not have: TLOG_NOT_PINNED with no base URL', () => {
    const found = checkTransparencyLogs(withEntries(entry(UNKNOWN, '3')), pinnedTo(REKOR.baseUrl), trusted);
    expect(found).toEqual([{ code: 'TLOG_NOT_PINNED', detail: expect.any(String), details: { pinned: [REKOR.baseUrl], logId: UNKNOWN, logIndex: '3', baseUrl: null } }]);
  });

  it('one stray entry among pinned ones is enough, and is the one reported', () => {
    const found = checkTransparencyLogs(withEntries(entry(REKOR.logId, '1'), entry(OTHER_LOG.logId, '2')), pinnedTo(REKOR.baseUrl), trusted);
    expect(found.map((f) => f.details)).toEqual([{ pinned: [REKOR.baseUrl], logId: OTHER_LOG.logId, logIndex: '2', baseUrl: OTHER_LOG.baseUrl }]);
  });

  it('several pinned logs: an entry in any of them passes', () => {
    expect(checkTransparencyLogs(withEntries(entry(OTHER_LOG.logId)), pinnedTo(REKOR.baseUrl, OTHER_LOG.baseUrl), trusted)).toEqual([]);
  });

  it('a verified attestation with no entry at all is not from a pinned log', () => {
    expect(checkTransparencyLogs(withEntries(), pinnedTo(REKOR.baseUrl), trusted)).toEqual([{ code: 'TLOG_NOT_PINNED', detail: expect.any(String) }]);
  });

  it('only verified attestations are judged, and each of them: one finding per stray attestation', () => {
    const failed = provenance(githubSigner('org/a'), { status: 'failed', tlog: [entry(OTHER_LOG.logId)] });
    expect(checkTransparencyLogs(facts('a', '1.0.0', [failed]), pinnedTo(REKOR.baseUrl), trusted)).toEqual([]);
    const two = facts('a', '1.0.0', [provenance(githubSigner('org/a'), { tlog: [entry(OTHER_LOG.logId)] }), publishAttestation({ tlog: [] })]);
    expect(checkTransparencyLogs(two, pinnedTo(REKOR.baseUrl), trusted).map((f) => f.code)).toEqual(['TLOG_NOT_PINNED', 'TLOG_NOT_PINNED']);
  });
});
