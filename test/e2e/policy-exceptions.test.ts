import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startFixtureRegistry, syntheticScenario, type FixtureRegistry, type RegistryScenario } from '../support/index.js';
import { createWorkspace, pinned, NOW, PUBLISHED, type Workspace, writeTrustFiles } from '../support/attack-kit.js';
import { attestedBy, rulesPolicy, policyRun, type PolicyRun } from '../support/policy-kit.js';

// Exceptions, end to end with the REAL CLI at --now 2026-06-01T00:00:00Z.
// The `bare-*` packages have a registry signature and no attestations: under a rule requiring
// provenance and a publish attestation, two findings each. `clean-*` have everything and none.
// Each package is named by its own exception (or none): an in-date exception waives exactly the
// codes it names; one expired (at --now itself) waives nothing and is a failure of its own, even
// for a package with no findings.
const RULE = { name: 'attested', match: { package: '*' }, require: { provenance: true, publishAttestation: true } };
const BOTH = ['PROVENANCE_MISSING', 'PUBLISH_ATTESTATION_MISSING'];
const REASON = 'published before CI; fixed in 1.1';
const exception = (pkg: string, waive: string[], expires: string) => ({ package: pkg, waive, reason: REASON, approvedBy: 'sec@example.com', expires });
const EXCEPTIONS = [
  exception('bare-waive-one@1.0.0', ['PROVENANCE_MISSING'], '2027-01-01'),
  // In date by one second at --now.
  exception('bare-waive-both@^1.0.0', BOTH, '2026-06-01T00:00:01Z'),
  // Expired: a date means 00:00 UTC that day, which is --now itself.
  exception('bare-expired@1.0.0', BOTH, '2026-06-01'),
  exception('clean-expired@*', ['SIGNATURE_INVALID'], '2026-05-31T23:59:59Z'),
  // In date, but for versions the lockfile does not install.
  exception('bare-other-range@>=2', BOTH, '2027-01-01'),
];
const BARE = ['bare-none', 'bare-waive-one', 'bare-waive-both', 'bare-expired', 'bare-other-range'];
const CLEAN = ['clean-none', 'clean-expired'];
const spec = (name: string) => `${name}@1.0.0`;

describe('policy exceptions (the real CLI)', () => {
  const pki = createTestPki();
  let ws: Workspace;
  let registry: FixtureRegistry;
  let all: PolicyRun;
  let waivedOnly: PolicyRun;

  beforeAll(async () => {
    ws = await createWorkspace();
    let scenario: RegistryScenario = syntheticScenario(pki, [...BARE, ...CLEAN].map((name) => ({ name, version: '1.0.0' })), { provenanceShare: 1, attestation: { time: PUBLISHED } });
    for (const name of BARE) scenario = attestedBy(pki, scenario, name, null);
    registry = await startFixtureRegistry(scenario);
    const { trustedRoot, registryKeys } = await writeTrustFiles(ws, pki);
    const policy = rulesPolicy([RULE], { exceptions: EXCEPTIONS });
    const run = (label: string, names: string[]) => policyRun({ ws, label, registry, trustedRoot, registryKeys, packages: pinned(scenario, names.map(spec)), policy });
    [all, waivedOnly] = await Promise.all([
      run('all', [...BARE, ...CLEAN]),
      // The one package whose every finding an in-date exception waives, and a clean one.
      run('waived-only', ['bare-waive-both', 'clean-none']),
    ]);
  });
  afterAll(async () => {
    await registry?.close();
    await ws?.cleanup();
  });

  it('without an exception: both findings stand; a clean package has none (the run exits 1)', () => {
    expect(NOW).toBe('2026-06-01T00:00:00Z');
    expect(all.codes('bare-none')).toEqual(BOTH);
    expect(all.codes('clean-none')).toEqual([]);
    expect(all.code).toBe(1);
  });

  describe('an in-date exception', () => {
    it('waives exactly the code it names: the package\'s other finding stands', () => {
      expect(all.codes('bare-waive-one')).toEqual(['PUBLISH_ATTESTATION_MISSING']);
      expect(all.waived('bare-waive-one')).toEqual(['PROVENANCE_MISSING']);
      expect(all.pkg('bare-waive-one').verdict).toBe('fail');
      // A waived finding keeps its code and enforcement in the report.
      expect(all.pkg('bare-waive-one').waived[0]).toMatchObject({ code: 'PROVENANCE_MISSING', enforcement: 'strict' });
    });

    it('naming every finding (in date by one second) lets the package pass', () => {
      expect(all.codes('bare-waive-both')).toEqual([]);
      expect(all.waived('bare-waive-both')).toEqual(BOTH);
      expect(all.pkg('bare-waive-both').verdict).toBe('pass');
    });

    it('is listed in exceptionsUsed with how many findings it waived; one for another range is not', () => {
      expect(all.report.exceptionsUsed).toEqual([
        { package: 'bare-waive-one@1.0.0', waive: ['PROVENANCE_MISSING'], reason: REASON, approvedBy: 'sec@example.com', expires: '2027-01-01', waived: 1 },
        { package: 'bare-waive-both@^1.0.0', waive: BOTH, reason: REASON, approvedBy: 'sec@example.com', expires: '2026-06-01T00:00:01Z', waived: 2 },
      ]);
    });

    it('for a range the installed version is not in waives nothing', () => {
      expect(all.codes('bare-other-range')).toEqual(BOTH);
      expect(all.waived('bare-other-range')).toEqual([]);
    });

    it('a run whose every finding is waived passes: exit 0', () => {
      expect(waivedOnly.codes('bare-waive-both')).toEqual([]);
      expect(waivedOnly.waived('bare-waive-both')).toEqual(BOTH);
      expect(waivedOnly.report.exceptionsUsed).toMatchObject([{ package: 'bare-waive-both@^1.0.0', waived: 2 }]);
      expect(waivedOnly.report.verdict).toBe('pass');
      expect(waivedOnly.code).toBe(0);
    });
  });

  describe('an expired exception', () => {
    it('waives nothing and is itself a finding: EXCEPTION_EXPIRED beside the findings it named', () => {
      expect(all.codes('bare-expired')).toEqual([...BOTH, 'EXCEPTION_EXPIRED']);
      expect(all.waived('bare-expired')).toEqual([]);
      expect(all.pkg('bare-expired').findings.at(-1)).toMatchObject({ enforcement: 'strict', details: { package: 'bare-expired@1.0.0', expires: '2026-06-01' } });
      expect(all.report.exceptionsUsed.map((e) => e.package)).not.toContain('bare-expired@1.0.0');
    });

    it('fails a package that has no other finding: EXCEPTION_EXPIRED alone, exit 1', () => {
      expect(all.codes('clean-expired')).toEqual(['EXCEPTION_EXPIRED']);
      expect(all.pkg('clean-expired').verdict).toBe('fail');
      expect(all.report.verdict).toBe('fail');
      expect(all.code).toBe(1);
    });
  });
});
