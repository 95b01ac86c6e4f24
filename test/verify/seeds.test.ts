// Reading the trusted root and npm's keys out of @sigstore/tuf's seeds.json
// (src/verify/trust/seeds.ts): which mirror is read, and the field each refusal names.

import { describe, expect, it } from 'vitest';
import { TrustMaterialError } from '../../src/verify/index.js';
import { NPM_KEYS_TARGET, SIGSTORE_TUF_MIRROR, TRUSTED_ROOT_TARGET, getSeedTargets } from '../../src/verify/trust/seeds.js';

const OTHER_MIRROR = 'https://tuf.example.test';
const targets = (root: string, keys: string) => ({ targets: { [TRUSTED_ROOT_TARGET]: root, [NPM_KEYS_TARGET]: keys } });

// The field of the SEEDS_INVALID error reading throws (any other error fails the test).
function refusedField(seeds: unknown, mirror?: string): string | undefined {
  try {
    getSeedTargets(seeds, mirror);
  } catch (err) {
    expect(err).toBeInstanceOf(TrustMaterialError);
    expect((err as TrustMaterialError).code).toBe('SEEDS_INVALID');
    return (err as TrustMaterialError).field;
  }
  throw new Error('expected the seeds to be refused');
}

describe('getSeedTargets', () => {
  const seeds = { [SIGSTORE_TUF_MIRROR]: targets('cm9vdA==', 'a2V5cw=='), [OTHER_MIRROR]: targets('b3RoZXI=', 'bnBt') };

  it("reads Sigstore's mirror unless told another, each target decoded to its bytes", () => {
    const read = getSeedTargets(seeds);
    expect(read.trustedRoot.toString('utf8')).toBe('root');
    expect(read.registryKeys.toString('utf8')).toBe('keys');
    const other = getSeedTargets(seeds, OTHER_MIRROR);
    expect(other.trustedRoot.toString('utf8')).toBe('other');
    expect(other.registryKeys.toString('utf8')).toBe('npm');
  });

  it.each([
    ['seeds that are not an object', null, SIGSTORE_TUF_MIRROR],
    ['seeds that are a list', [targets('cm9vdA==', 'a2V5cw==')], SIGSTORE_TUF_MIRROR],
    ['no seed for the mirror', { [OTHER_MIRROR]: targets('cm9vdA==', 'a2V5cw==') }, SIGSTORE_TUF_MIRROR],
    ['a seed without targets', { [SIGSTORE_TUF_MIRROR]: {} }, SIGSTORE_TUF_MIRROR],
    ['targets that are not an object', { [SIGSTORE_TUF_MIRROR]: { targets: 'cm9vdA==' } }, SIGSTORE_TUF_MIRROR],
    ['a missing trusted root', { [SIGSTORE_TUF_MIRROR]: { targets: { [NPM_KEYS_TARGET]: 'a2V5cw==' } } }, `${SIGSTORE_TUF_MIRROR}.targets.${TRUSTED_ROOT_TARGET}`],
    ['npm keys that are not base64', { [SIGSTORE_TUF_MIRROR]: targets('cm9vdA==', 'keys!') }, `${SIGSTORE_TUF_MIRROR}.targets.${NPM_KEYS_TARGET}`],
  ])('refuses %s, naming that field', (_, value, field) => {
    expect(refusedField(value)).toBe(field);
  });

  it('names the mirror it was told to read', () => {
    expect(refusedField({ [SIGSTORE_TUF_MIRROR]: targets('cm9vdA==', 'a2V5cw==') }, OTHER_MIRROR)).toBe(OTHER_MIRROR);
    expect(refusedField({ [OTHER_MIRROR]: { targets: { [TRUSTED_ROOT_TARGET]: 'cm9vdA==' } } }, OTHER_MIRROR)).toBe(`${OTHER_MIRROR}.targets.${NPM_KEYS_TARGET}`);
  });
});
