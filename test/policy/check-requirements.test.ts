// checkRequirements: a rule's `require`, judged on one package's facts (the findings exactly).

import { describe, expect, it } from 'vitest';
import { checkRequirements } from '../../src/policy/check-requirements.js';
import type { PackageFacts } from '../../src/verify/types.js';
import { facts, githubSigner, oneRule, provenance, publishAttestation, subject } from './_helpers.js';

const ruleRequiring = (require: Record<string, boolean>) => oneRule({ require }).rules[0]!;
// A rule without `require` (the schema refuses an empty one).
const requiringNothing = oneRule({}).rules[0]!;
const keyless = subject('a', '1.0.0', [], { registryPublishesKeys: false });
const withSignature = (status: PackageFacts['registrySignature']['status']): PackageFacts => ({
  ...facts('a', '1.0.0', [provenance(githubSigner('org/a')), publishAttestation()]),
  registrySignature: { status, keyids: [] },
});

describe('checkRequirements: registrySignature', () => {
  const rule = ruleRequiring({ registrySignature: true });

  it('a registry that publishes no keys and serves no signature: SIGNATURE_MISSING', () => {
    expect(checkRequirements(keyless, withSignature('missing'), rule).map((f) => f.code)).toEqual(['SIGNATURE_MISSING']);
  });

  it('a signature that is there but failed is verification\'s finding, not a missing one', () => {
    expect(checkRequirements(keyless, withSignature('failed'), rule)).toEqual([]);
    expect(checkRequirements(keyless, withSignature('verified'), rule)).toEqual([]);
  });

  it('from a registry that publishes keys, a missing signature is left to verification', () => {
    expect(checkRequirements(subject('a', '1.0.0'), withSignature('missing'), rule)).toEqual([]);
  });

  it('a rule that does not require a signature raises nothing for a missing one', () => {
    expect(checkRequirements(keyless, withSignature('missing'), requiringNothing)).toEqual([]);
  });
});

describe('checkRequirements: provenance and publish attestation', () => {
  const both = ruleRequiring({ provenance: true, publishAttestation: true });
  const s = subject('a', '1.0.0');

  it('both verified: nothing', () => {
    expect(checkRequirements(s, facts('a', '1.0.0', [provenance(githubSigner('org/a')), publishAttestation()]), both)).toEqual([]);
  });

  it('neither present: one finding per role, each counting what was present', () => {
    const found = checkRequirements(s, facts('a', '1.0.0'), both);
    expect(found.map((f) => [f.code, f.details])).toEqual([
      ['PROVENANCE_MISSING', { present: 0 }],
      ['PUBLISH_ATTESTATION_MISSING', { present: 0 }],
    ]);
  });

  it('present but failed verification counts as missing, with how many were present', () => {
    const failed = facts('a', '1.0.0', [provenance(githubSigner('org/a'), { status: 'failed' }), publishAttestation({ status: 'failed' }), publishAttestation({ status: 'failed' })]);
    expect(checkRequirements(s, failed, both).map((f) => [f.code, f.details])).toEqual([
      ['PROVENANCE_MISSING', { present: 1 }],
      ['PUBLISH_ATTESTATION_MISSING', { present: 2 }],
    ]);
  });

  it('each role is judged on its own attestations: a publish attestation is not provenance', () => {
    expect(checkRequirements(s, facts('a', '1.0.0', [publishAttestation()]), both).map((f) => f.code)).toEqual(['PROVENANCE_MISSING']);
    expect(checkRequirements(s, facts('a', '1.0.0', [provenance(githubSigner('org/a'))]), both).map((f) => f.code)).toEqual(['PUBLISH_ATTESTATION_MISSING']);
  });

  it('only what the rule requires is checked', () => {
    const none = facts('a', '1.0.0');
    expect(checkRequirements(s, none, ruleRequiring({ provenance: true })).map((f) => f.code)).toEqual(['PROVENANCE_MISSING']);
    expect(checkRequirements(s, none, ruleRequiring({ publishAttestation: true })).map((f) => f.code)).toEqual(['PUBLISH_ATTESTATION_MISSING']);
    expect(checkRequirements(s, none, requiringNothing)).toEqual([]);
  });
});
