import { assertCents, type Cents } from '../money';
import { daysBetweenDates, DAY_MS, HOUR_MS, toEpochMs } from '../sla/dates';
import { localDate } from '../sla/timezone';

/**
 * Business KPI definitions (DOMAIN.md "Business KPIs"). Pure: every function takes its inputs and `now`.
 * Durations are in days or hours as plain numbers; rates are fractions 0..1 (undefined when the denominator is 0).
 */
type Instant = number | string;

function elapsed(from: Instant, to: Instant): number {
  const ms = toEpochMs(to) - toEpochMs(from);
  if (ms < 0) throw new RangeError('end is before start');
  return ms;
}

/** Referral aging: now − received, in days (open journeys). */
export function referralAgingDays(receivedAt: Instant, now: Instant): number {
  return elapsed(receivedAt, now) / DAY_MS;
}

/** Auth turnaround: decision − submission, in hours. */
export function authTurnaroundHours(submittedAt: Instant, decidedAt: Instant): number {
  return elapsed(submittedAt, decidedAt) / HOUR_MS;
}

/** Billing lag: claim submitted − service date, in whole calendar days at the site (default UTC). */
export function billingLagDays(serviceDate: string, claimSubmittedAt: Instant, timeZone = 'UTC'): number {
  const days = daysBetweenDates(serviceDate, localDate(toEpochMs(claimSubmittedAt), timeZone));
  if (days < 0) throw new RangeError('claim submitted before the date of service');
  return days;
}

/** Exception aging: now − opened, in days (report by queue). */
export function exceptionAgingDays(openedAt: Instant, now: Instant): number {
  return elapsed(openedAt, now) / DAY_MS;
}

function rate(numerator: number, denominator: number): number | undefined {
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || numerator < 0 || denominator < 0 || numerator > denominator) {
    throw new RangeError('rate needs integer counts with 0 <= numerator <= denominator');
  }
  return denominator === 0 ? undefined : numerator / denominator;
}

/** Clean-claim rate: claims accepted on first pass ÷ claims submitted. Best practice ≥ 95 %. */
export function cleanClaimRate(counts: { acceptedFirstPass: number; submitted: number }): number | undefined {
  return rate(counts.acceptedFirstPass, counts.submitted);
}

/** Denial rate: claims denied ÷ claims adjudicated. Typical 5–15 %, best < 5 %. */
export function denialRate(counts: { denied: number; adjudicated: number }): number | undefined {
  return rate(counts.denied, counts.adjudicated);
}

/**
 * Days in A/R: A/R balance ÷ average daily gross charges over the period (commonly the last 90 days).
 * < 40 days is good.
 */
export function daysInAR(input: { arBalanceCents: Cents; grossChargesCents: Cents; periodDays: number }): number | undefined {
  assertCents(input.arBalanceCents, 'arBalanceCents');
  assertCents(input.grossChargesCents, 'grossChargesCents');
  if (!Number.isInteger(input.periodDays) || input.periodDays <= 0) throw new RangeError('periodDays must be a positive integer');
  if (input.grossChargesCents <= 0) return undefined;
  return (input.arBalanceCents * input.periodDays) / input.grossChargesCents;
}

/** KPI benchmarks (DOMAIN.md), configurable per site. */
export interface KpiBenchmarks {
  cleanClaimRateTarget: number;
  denialRateBest: number;
  denialRateTypicalMax: number;
  daysInArGood: number;
}

export const DEFAULT_KPI_BENCHMARKS: KpiBenchmarks = {
  cleanClaimRateTarget: 0.95, // DOMAIN.md: best practice ≥ 95 %
  denialRateBest: 0.05, // DOMAIN.md: best < 5 %
  denialRateTypicalMax: 0.15, // DOMAIN.md: typical 5–15 %
  daysInArGood: 40, // DOMAIN.md: < 40 good
};

export function rateCleanClaims(value: number, b: KpiBenchmarks = DEFAULT_KPI_BENCHMARKS): 'meets_target' | 'below_target' {
  return value >= b.cleanClaimRateTarget ? 'meets_target' : 'below_target';
}

export function rateDenials(value: number, b: KpiBenchmarks = DEFAULT_KPI_BENCHMARKS): 'best' | 'typical' | 'high' {
  if (value < b.denialRateBest) return 'best';
  return value <= b.denialRateTypicalMax ? 'typical' : 'high';
}

export function rateDaysInAR(value: number, b: KpiBenchmarks = DEFAULT_KPI_BENCHMARKS): 'good' | 'high' {
  return value < b.daysInArGood ? 'good' : 'high';
}

/** Count items by a key (SLA breaches by stage/site, unknown CARCs by code, exceptions by queue). */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  max: number;
}

/** Summary statistics (nearest-rank percentiles); undefined for an empty list. */
export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return {
    count: sorted.length,
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    p50: rank(0.5),
    p90: rank(0.9),
    max: sorted[sorted.length - 1],
  };
}
