import { claimAttemptOf, claimFamilyOf, claimIdFor } from '../../../src/domain/ids';

describe('claimFamilyOf', () => {
  it('maps every attempt of a journey to the same stem, and different journeys to different stems', () => {
    const first = claimIdFor('site-a', 'R-1', 1);
    const resubmitted = claimIdFor('site-a', 'R-1', 2);
    expect(first).not.toBe(resubmitted);
    expect(claimFamilyOf(resubmitted)).toBe(claimFamilyOf(first));
    expect(claimFamilyOf(first)).toBe(first.slice(0, first.lastIndexOf('-')));
    expect(claimFamilyOf(claimIdFor('site-a', 'R-2', 1))).not.toBe(claimFamilyOf(first));
    expect(claimFamilyOf(claimIdFor('site-b', 'R-1', 1))).not.toBe(claimFamilyOf(first));
  });

  it('reads the attempt number', () => {
    expect(claimAttemptOf(claimIdFor('site-a', 'R-1', 1))).toBe(1);
    expect(claimAttemptOf(claimIdFor('site-a', 'R-1', 12))).toBe(12);
    expect(claimAttemptOf('RC-RECON-5')).toBeUndefined();
  });

  it('leaves ids it did not make as their own family (no accidental merging of foreign claims)', () => {
    for (const id of ['RC-NEVER-BILLED', 'RC-RECON-1733', 'CLAIM-7', 'RCABC', 'RCABC-0', 'RCabc-1', 'RCABC-1-2', 'XRCABC-1']) {
      expect(claimFamilyOf(id)).toBe(id);
    }
  });

  it('is stable over many journeys (no two referrals share a family)', () => {
    const stems = new Set<string>();
    for (let i = 0; i < 2_000; i++) stems.add(claimFamilyOf(claimIdFor('site-a', `R${i}`, 1 + (i % 3))));
    expect(stems.size).toBe(2_000);
  });
});
