import {
  authTurnaroundHours,
  billingLagDays,
  cleanClaimRate,
  countBy,
  daysInAR,
  denialRate,
  exceptionAgingDays,
  rateCleanClaims,
  rateDaysInAR,
  rateDenials,
  referralAgingDays,
  summarize,
} from '../../../src/domain';

describe('KPI definitions', () => {
  it('referral aging and exception aging in days, auth turnaround in hours', () => {
    expect(referralAgingDays('2026-03-02T10:00:00-05:00', '2026-03-12T10:00:00-04:00')).toBeCloseTo(10 - 1 / 24, 10);
    expect(exceptionAgingDays(0, 36 * 3_600_000)).toBe(1.5);
    expect(authTurnaroundHours('2026-03-02T10:00:00Z', '2026-03-05T10:00:00Z')).toBe(72);
    expect(() => authTurnaroundHours('2026-03-05T10:00:00Z', '2026-03-02T10:00:00Z')).toThrow(RangeError);
  });
  it('billing lag counts calendar days to the local submission date', () => {
    expect(billingLagDays('2026-03-20', '2026-03-24T01:00:00Z')).toBe(4);
    expect(billingLagDays('2026-03-20', '2026-03-24T01:00:00Z', 'America/New_York')).toBe(3); // still the 23rd in New York
  });
  it('clean-claim and denial rates with benchmarks (≥95 % clean; denials best <5 %, typical 5–15 %)', () => {
    expect(cleanClaimRate({ acceptedFirstPass: 95, submitted: 100 })).toBe(0.95);
    expect(rateCleanClaims(0.95)).toBe('meets_target');
    expect(rateCleanClaims(0.949)).toBe('below_target');
    expect(cleanClaimRate({ acceptedFirstPass: 0, submitted: 0 })).toBeUndefined();
    expect(denialRate({ denied: 12, adjudicated: 100 })).toBe(0.12);
    expect([rateDenials(0.049), rateDenials(0.05), rateDenials(0.15), rateDenials(0.151)]).toEqual(['best', 'typical', 'typical', 'high']);
    expect(() => denialRate({ denied: 5, adjudicated: 4 })).toThrow(RangeError);
  });
  it('days in A/R = A/R ÷ average daily charges (<40 good)', () => {
    // $450,000 A/R, $900,000 charged over 90 days → $10,000/day → 45 days
    expect(daysInAR({ arBalanceCents: 45_000_000, grossChargesCents: 90_000_000, periodDays: 90 })).toBe(45);
    expect(rateDaysInAR(45)).toBe('high');
    expect(rateDaysInAR(39.9)).toBe('good');
    expect(daysInAR({ arBalanceCents: 1, grossChargesCents: 0, periodDays: 90 })).toBeUndefined();
  });
  it('counts and summaries', () => {
    expect(countBy([{ s: 'intake' }, { s: 'coding' }, { s: 'intake' }], (x) => x.s)).toEqual({ intake: 2, coding: 1 });
    expect(summarize([5, 1, 3, 2, 4, 6, 7, 8, 9, 10])).toEqual({ count: 10, mean: 5.5, p50: 5, p90: 9, max: 10 });
    expect(summarize([])).toBeUndefined();
  });
});
