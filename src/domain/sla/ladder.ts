import type { JourneyStage } from '../journey/stages';
import type { PlanType, Urgency } from '../schemas/common';
import { addBusinessDays, addBusinessDaysToDate, addBusinessTime, businessTimeBetween, validateCalendar, type SiteCalendar } from './calendar';
import { addDaysToDate, addMonthsToDate, CalendarError, dayNumber, HOUR_MS, toEpochMs } from './dates';
import { DEFAULT_SLA_POLICY, resolveRule, STAGE_SLA_RULE, type SlaKind, type SlaPolicy, type SlaRule, type SlaRuleId } from './rules';
import { addCalendarDays, localDate, sameTimeOnDate, startOfLocalDay } from './timezone';

/** Where and under which policy a clock runs. */
export interface SlaContext {
  calendar: SiteCalendar;
  policy?: SlaPolicy;
  siteId?: string;
  payerId?: string;
}

/**
 * The escalation ladder of one waiting step (DESIGN.md "SLA escalation ladder"), all instants in epoch ms:
 * at warnAt notify the owner, at dueAt escalate to escalateTo, at breachAt mark the breach. For regulatory clocks
 * breachAt is the legal deadline itself.
 */
export interface SlaLadder {
  stage: JourneyStage;
  rule: SlaRuleId;
  kind: SlaKind;
  citation: string;
  startedAt: number;
  warnAt: number;
  dueAt: number;
  breachAt: number;
  owner: string;
  escalateTo: string;
  /** for date-anchored rules: the last local date on which the step is still on time */
  deadlineDate?: string;
}

export type SlaStatus = 'on_track' | 'warning' | 'due' | 'breached';

/** An instant (epoch ms or ISO with offset) or a local date `YYYY-MM-DD` (meaning its start at the site). */
export type SlaStart = number | string;

function startInstant(start: SlaStart, cal: SiteCalendar): number {
  if (typeof start === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(start)) return startOfLocalDay(start, cal.timeZone);
  return toEpochMs(start);
}

function addUnits(ms: number, rule: SlaRule, cal: SiteCalendar): number {
  switch (rule.unit) {
    case 'hours':
      return ms + rule.amount * HOUR_MS;
    case 'calendar_days':
      return addCalendarDays(ms, rule.amount, cal.timeZone);
    case 'business_days':
      return addBusinessDays(ms, rule.amount, cal);
    case 'months':
      return sameTimeOnDate(ms, addMonthsToDate(localDate(ms, cal.timeZone), rule.amount), cal.timeZone);
  }
}

/** Last on-time local date for a date-anchored rule. */
function lastDay(anchorDate: string, rule: SlaRule, cal: SiteCalendar): string {
  const base = addDaysToDate(anchorDate, rule.anchorOffsetDays ?? 0);
  switch (rule.unit) {
    case 'calendar_days':
      return addDaysToDate(base, rule.amount);
    case 'months':
      return addMonthsToDate(base, rule.amount);
    case 'business_days':
      return addBusinessDaysToDate(base, rule.amount, cal);
    case 'hours':
      throw new CalendarError(`${rule.id}: date-anchored rules count days or months`);
  }
}

function fractionPoint(start: number, breach: number, fraction: number, rule: SlaRule, cal: SiteCalendar): number {
  if (fraction >= 1) return breach;
  if (rule.unit === 'business_days') {
    // place warn/due in business time so they never fall on a weekend or holiday
    const span = businessTimeBetween(start, breach, cal);
    return Math.min(breach, addBusinessTime(start, Math.round(span * fraction), cal));
  }
  return start + Math.round((breach - start) * fraction);
}

export interface LadderOptions {
  /** replace the rule's amount (e.g. a denial route's slaDays) */
  amount?: number;
  /** report the ladder under another stage */
  stage?: JourneyStage;
}

/** Compute the ladder of rule `ruleId` for a step that started at `start`, under the site/payer policy. */
export function computeLadder(ruleId: SlaRuleId, start: SlaStart, ctx: SlaContext, options: LadderOptions = {}): SlaLadder {
  const cal = validateCalendar(ctx.calendar);
  let rule = resolveRule(ctx.policy ?? DEFAULT_SLA_POLICY, ruleId, ctx);
  if (options.amount !== undefined) {
    if (!Number.isInteger(options.amount) || options.amount < 0) throw new CalendarError('amount must be a non-negative integer');
    rule = { ...rule, amount: options.amount };
  }
  const startedAt = startInstant(start, cal);
  let breachAt: number;
  let deadlineDate: string | undefined;
  if (rule.anchor === 'date') {
    const anchorDate = localDate(startedAt, cal.timeZone);
    deadlineDate = lastDay(anchorDate, rule, cal);
    breachAt = startOfLocalDay(addDaysToDate(deadlineDate, 1), cal.timeZone);
  } else {
    breachAt = addUnits(startedAt, rule, cal);
  }
  const warnAt = fractionPoint(startedAt, breachAt, rule.warnFraction, rule, cal);
  const dueAt = Math.max(warnAt, fractionPoint(startedAt, breachAt, rule.dueFraction, rule, cal));
  return {
    stage: options.stage ?? rule.stage,
    rule: rule.id,
    kind: rule.kind,
    citation: rule.citation,
    startedAt,
    warnAt,
    dueAt,
    breachAt,
    owner: rule.owner,
    escalateTo: rule.escalateTo,
    ...(deadlineDate ? { deadlineDate } : {}),
  };
}

/** Where `now` sits on the ladder. */
export function ladderStatus(ladder: Pick<SlaLadder, 'warnAt' | 'dueAt' | 'breachAt'>, now: number): SlaStatus {
  if (now >= ladder.breachAt) return 'breached';
  if (now >= ladder.dueAt) return 'due';
  if (now >= ladder.warnAt) return 'warning';
  return 'on_track';
}

/** The internal SLA ladder of a stage (DESIGN.md "escalates when" column). */
export function stageSlaLadder(stage: JourneyStage, start: SlaStart, ctx: SlaContext, options: Omit<LadderOptions, 'stage'> = {}): SlaLadder {
  return computeLadder(STAGE_SLA_RULE[stage], start, ctx, { ...options, stage });
}

// ---------------------------------------------------------------------------------------------------------------
// Rule selection by plan type

/** Payers bound by the CMS-0057-F decision timeframes (QHPs on the federal exchanges are not). */
export const CMS0057_IMPACTED_PLAN_TYPES: readonly PlanType[] = ['medicare_advantage', 'medicaid_ffs', 'medicaid_managed', 'chip'];

/** Which PA clock applies: CMS-0057-F for impacted payers from the effective date, ERISA for group plans, else the payer's. */
export function priorAuthRuleFor(planType: PlanType, urgency: Urgency, submittedAt: number | string, ctx: SlaContext): SlaRuleId {
  const policy = ctx.policy ?? DEFAULT_SLA_POLICY;
  const expedited = urgency === 'expedited';
  if (CMS0057_IMPACTED_PLAN_TYPES.includes(planType)) {
    const day = localDate(toEpochMs(submittedAt), ctx.calendar.timeZone);
    if (dayNumber(day) >= dayNumber(policy.cms0057EffectiveDate)) return expedited ? 'cms0057_pa_expedited' : 'cms0057_pa_standard';
  }
  if (planType === 'erisa_group') return expedited ? 'erisa_urgent' : 'erisa_pre_service';
  return expedited ? 'payer_pa_expedited' : 'payer_pa_standard';
}

export function priorAuthLadder(
  input: { planType: PlanType; urgency: Urgency; submittedAt: number | string },
  ctx: SlaContext,
): SlaLadder {
  return computeLadder(priorAuthRuleFor(input.planType, input.urgency, input.submittedAt, ctx), input.submittedAt, ctx);
}

/** Timely-filing rule by plan type; undefined for self-pay (no claim). Medicare Advantage defaults to Medicare's. */
export function timelyFilingRuleFor(planType: PlanType): SlaRuleId | undefined {
  switch (planType) {
    case 'medicare_ffs':
    case 'medicare_advantage':
      return 'timely_filing_medicare';
    case 'medicaid_ffs':
    case 'medicaid_managed':
    case 'chip':
      return 'timely_filing_medicaid';
    case 'qhp_exchange':
    case 'erisa_group':
    case 'commercial':
      return 'timely_filing_commercial';
    case 'self_pay':
      return undefined;
  }
}

/** Timely-filing ladder from the date of service (YYYY-MM-DD); undefined for self-pay. */
export function timelyFilingLadder(input: { planType: PlanType; serviceDate: string }, ctx: SlaContext): SlaLadder | undefined {
  const id = timelyFilingRuleFor(input.planType);
  dayNumber(input.serviceDate);
  return id ? computeLadder(id, input.serviceDate, ctx) : undefined;
}

/** Claim-status follow-up from claim submission (default 30 days, Medicare prompt payment). */
export function claimStatusLadder(submittedAt: number | string, ctx: SlaContext): SlaLadder {
  return computeLadder('claim_status_follow_up', submittedAt, ctx);
}

export type AppealLevel = 'first' | 'second';

/**
 * Appeal filing window by plan type (DOMAIN.md "Clarifications (second pass)"): Medicare FFS redetermination 120 days
 * (+5 presumed receipt) then QIC reconsideration 180; Medicare Advantage reconsideration 65 days (42 CFR 422.582);
 * Medicaid managed care 60 days (42 CFR 438.402(c)(2)(ii)); ERISA 180 days; otherwise the payer's contract.
 */
export function appealRuleFor(planType: PlanType, level: AppealLevel): SlaRuleId {
  if (planType === 'medicare_ffs') return level === 'first' ? 'appeal_medicare_redetermination' : 'appeal_medicare_reconsideration';
  if (planType === 'medicare_advantage') return 'appeal_ma_reconsideration';
  if (planType === 'medicaid_managed') return 'appeal_medicaid_managed';
  if (planType === 'erisa_group') return 'appeal_erisa';
  return 'appeal_payer';
}

/**
 * The notice date an appeal window counts from, as a calendar date at the site: the remittance's own date (835 BPR16
 * or DTM*405, already a calendar date) when it has one, else the local date of `fallbackAt` in the site's zone —
 * never the UTC date of a timestamp (an evening notice in New York is still that day there).
 */
export function appealNoticeDate(paymentDate: string | undefined, fallbackAt: number, ctx: Pick<SlaContext, 'calendar'>): string {
  if (paymentDate !== undefined) {
    dayNumber(paymentDate);
    return paymentDate;
  }
  return localDate(fallbackAt, ctx.calendar.timeZone);
}

/** Appeal filing window from the date of the denial / redetermination notice (YYYY-MM-DD). */
export function appealLadder(input: { planType: PlanType; noticeDate: string; level?: AppealLevel }, ctx: SlaContext): SlaLadder {
  dayNumber(input.noticeDate);
  return computeLadder(appealRuleFor(input.planType, input.level ?? 'first'), input.noticeDate, ctx);
}
