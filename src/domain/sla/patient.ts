import type { Cents } from '../money';
import { assertCents } from '../money';
import { businessDaysBetween } from './calendar';
import { addDaysToDate, dayNumber, toEpochMs } from './dates';
import { computeLadder, type SlaContext, type SlaLadder } from './ladder';
import { DEFAULT_SLA_POLICY, resolveRule } from './rules';
import { startOfLocalDay, localDate } from './timezone';

/** No Surprises Act thresholds (45 CFR 149.610 / 149.620, DOMAIN.md "Patient balances"); configurable per site. */
export interface NsaThresholds {
  /** scheduled at least this many business days ahead → GFE within 1 business day (rule nsa_gfe_short_lead) */
  gfeShortLeadBusinessDays: number;
  /** scheduled at least this many business days ahead → GFE within 3 business days (rule nsa_gfe_long_lead) */
  gfeLongLeadBusinessDays: number;
  /** the bill must exceed the GFE by at least this much for patient-provider dispute resolution ($400) */
  disputeThresholdCents: Cents;
}

export const DEFAULT_NSA_THRESHOLDS: NsaThresholds = {
  gfeShortLeadBusinessDays: 3, // 45 CFR 149.610: ≥3 business days ahead → 1 business day
  gfeLongLeadBusinessDays: 10, // 45 CFR 149.610: ≥10 business days ahead → 3 business days
  disputeThresholdCents: 40_000, // 45 CFR 149.620: ≥ $400 over the GFE
};

export type GfeRequirement =
  | { required: false; leadBusinessDays: number }
  | { required: true; leadBusinessDays: number; ladder: SlaLadder };

/**
 * Good-faith estimate for an uninsured/self-pay patient: lead time counted in business days from the booking date
 * to the appointment date (Mon → Thu = 3). On request, the 3-business-day clock runs from the request.
 */
export function gfeRequirement(
  input: { bookedAt: number | string; appointmentAt: number | string; requestedAt?: number | string },
  ctx: SlaContext,
  thresholds: NsaThresholds = DEFAULT_NSA_THRESHOLDS,
): GfeRequirement {
  const tz = ctx.calendar.timeZone;
  const booked = toEpochMs(input.bookedAt);
  const lead = businessDaysBetween(localDate(booked, tz), localDate(toEpochMs(input.appointmentAt), tz), ctx.calendar);
  if (input.requestedAt !== undefined) {
    return { required: true, leadBusinessDays: lead, ladder: computeLadder('nsa_gfe_long_lead', input.requestedAt, ctx) };
  }
  if (lead >= thresholds.gfeLongLeadBusinessDays) return { required: true, leadBusinessDays: lead, ladder: computeLadder('nsa_gfe_long_lead', booked, ctx) };
  if (lead >= thresholds.gfeShortLeadBusinessDays) return { required: true, leadBusinessDays: lead, ladder: computeLadder('nsa_gfe_short_lead', booked, ctx) };
  return { required: false, leadBusinessDays: lead };
}

export type NsaDisputeEligibility =
  | { eligible: false; excessCents: Cents }
  | { eligible: true; excessCents: Cents; ladder: SlaLadder; windowEndsAt: number };

/** Whether the patient may start NSA patient-provider dispute resolution, and until when (120 days from the bill date). */
export function nsaDisputeEligibility(
  input: { billedCents: Cents; gfeCents: Cents; billDate: string },
  ctx: SlaContext,
  thresholds: NsaThresholds = DEFAULT_NSA_THRESHOLDS,
): NsaDisputeEligibility {
  const excessCents = assertCents(input.billedCents, 'billedCents') - assertCents(input.gfeCents, 'gfeCents');
  dayNumber(input.billDate);
  if (excessCents < thresholds.disputeThresholdCents) return { eligible: false, excessCents };
  const ladder = computeLadder('nsa_dispute_window', input.billDate, ctx);
  return { eligible: true, excessCents, ladder, windowEndsAt: ladder.breachAt };
}

export interface CollectionsTimeline {
  /** end of the 120-day notification period (no extraordinary collection action before) */
  notificationPeriodEndsAt: number;
  /** end of the 240-day financial-assistance application period */
  applicationPeriodEndsAt: number;
  /** earliest extraordinary collection action given the 30-day notice, if the notice was sent */
  earliestEcaAt?: number;
}

/** IRS §501(r) periods from the first post-discharge statement date (26 CFR 1.501(r)-6). */
export function collectionsTimeline(input: { firstStatementDate: string; ecaNoticeSentAt?: number | string }, ctx: SlaContext): CollectionsTimeline {
  const notification = computeLadder('r501_notification_period', input.firstStatementDate, ctx);
  const application = computeLadder('r501_application_period', input.firstStatementDate, ctx);
  let earliestEcaAt: number | undefined;
  if (input.ecaNoticeSentAt !== undefined) {
    // The notice must precede the action by at least `amount` days: the action may start on notice date + amount.
    const gap = resolveRule(ctx.policy ?? DEFAULT_SLA_POLICY, 'r501_eca_notice', ctx).amount;
    const noticeDate = localDate(toEpochMs(input.ecaNoticeSentAt), ctx.calendar.timeZone);
    earliestEcaAt = Math.max(notification.breachAt, startOfLocalDay(addDaysToDate(noticeDate, gap), ctx.calendar.timeZone));
  }
  return {
    notificationPeriodEndsAt: notification.breachAt,
    applicationPeriodEndsAt: application.breachAt,
    ...(earliestEcaAt !== undefined ? { earliestEcaAt } : {}),
  };
}

export type CollectionBlock = 'nsa_dispute_pending' | 'financial_assistance_pending' | 'notification_period' | 'eca_notice_missing' | 'eca_notice_period';

/**
 * May an extraordinary collection action (collections agency, credit report) start now? Pending NSA disputes and
 * pending financial-assistance applications hold collections (DOMAIN.md "Patient balances").
 */
export function extraordinaryCollectionAllowed(
  input: {
    now: number;
    firstStatementDate: string;
    ecaNoticeSentAt?: number | string;
    nsaDisputePending?: boolean;
    financialAssistancePending?: boolean;
  },
  ctx: SlaContext,
): { allowed: true } | { allowed: false; blockedBy: CollectionBlock; until?: number } {
  if (input.nsaDisputePending) return { allowed: false, blockedBy: 'nsa_dispute_pending' };
  if (input.financialAssistancePending) return { allowed: false, blockedBy: 'financial_assistance_pending' };
  const t = collectionsTimeline(input, ctx);
  if (input.now < t.notificationPeriodEndsAt) return { allowed: false, blockedBy: 'notification_period', until: t.notificationPeriodEndsAt };
  if (t.earliestEcaAt === undefined) return { allowed: false, blockedBy: 'eca_notice_missing' };
  if (input.now < t.earliestEcaAt) return { allowed: false, blockedBy: 'eca_notice_period', until: t.earliestEcaAt };
  return { allowed: true };
}

/** Start of the local day after `date` at the site (the first late instant for a date deadline). */
export function endOfLocalDate(date: string, ctx: Pick<SlaContext, 'calendar'>): number {
  return startOfLocalDay(addDaysToDate(date, 1), ctx.calendar.timeZone);
}

export type DisputeHold = { holds: true } | { holds: false; why: string };

/**
 * Does an open patient dispute hold collection (DOMAIN.md "Patient balances")? An NSA patient-provider dispute does
 * when the bill exceeds the good-faith estimate by at least the threshold and it was opened within the 120-day window
 * from the bill (45 CFR 149.620); a §501(r) financial-assistance application does when received within the 240-day
 * application period from the first statement (26 CFR 1.501(r)-6(c)); a general billing dispute always does. Without
 * a GFE (an insured patient) an NSA dispute is treated as a general dispute.
 */
export function disputeHoldsCollection(
  dispute: { kind: 'nsa_dispute' | 'financial_assistance' | 'general'; openedAt: string },
  input: { firstStatementDate: string; nonProfit501r: boolean; gfeCents?: Cents; billedCents?: Cents },
  ctx: SlaContext,
  thresholds: NsaThresholds = DEFAULT_NSA_THRESHOLDS,
): DisputeHold {
  const openedAt = toEpochMs(dispute.openedAt);
  if (dispute.kind === 'nsa_dispute' && input.gfeCents !== undefined && input.billedCents !== undefined) {
    const e = nsaDisputeEligibility({ billedCents: input.billedCents, gfeCents: input.gfeCents, billDate: input.firstStatementDate }, ctx, thresholds);
    if (!e.eligible) return { holds: false, why: `the bill exceeds the good-faith estimate by ${e.excessCents} cents, under the ${thresholds.disputeThresholdCents}-cent threshold (45 CFR 149.620)` };
    if (openedAt >= e.windowEndsAt) return { holds: false, why: 'opened after the 120-day dispute window from the bill (45 CFR 149.620)' };
  }
  if (dispute.kind === 'financial_assistance' && input.nonProfit501r) {
    const t = collectionsTimeline({ firstStatementDate: input.firstStatementDate }, ctx);
    if (openedAt >= t.applicationPeriodEndsAt) return { holds: false, why: 'received after the 240-day application period (26 CFR 1.501(r)-6(c))' };
  }
  return { holds: true };
}
