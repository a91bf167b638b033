import type { PlanType, Urgency } from '../schemas/common';
import { HOUR_MS, toEpochMs } from './dates';
import { priorAuthRuleFor, computeLadder, type SlaContext, type SlaLadder } from './ladder';
import { DEFAULT_SLA_POLICY, resolveRule, type SlaRuleId } from './rules';
import { addCalendarDays } from './timezone';

/**
 * The payer's prior-auth decision clock (DOMAIN.md "Clarifications (second pass)"): CMS-0057-F 72 h / 7 calendar
 * days run from receipt of the request; a pend (A4) or a request for documents / contact (CT) does not restart them.
 * MA (42 CFR 422.568(b)/422.572(b)) and Medicaid managed care (42 CFR 438.210(d)) allow at most one extension of up to
 * 14 calendar days, with notice to the enrollee; ERISA pre-service one of 15 days (29 CFR 2560.503-1(f)(2)(iii)(A)).
 * Our own turnaround of the requested documents is a separate internal SLA (rule internal_pa_documents).
 */
export interface PaClockEvent {
  /** X12 278 HCR01 action */
  action: string;
  /** when the payer's message was received (ISO instant or epoch ms) */
  at: number | string;
  /** the payer's notice that it takes an extension of this many calendar days */
  extensionDays?: number;
  /** denial reasons given (A3) */
  reasons?: readonly { code: string }[];
}

export type PaComplianceFinding =
  /** A3 without a specific reason: CMS-0057-F requires impacted payers to give one */
  | 'denial_without_reason'
  /** an extension beyond the permitted maximum (capped at the maximum) */
  | 'extension_too_long'
  /** a second extension: only one is permitted (ignored) */
  | 'second_extension'
  /** extension noticed after the decision was already due (ignored: the payer was late) */
  | 'extension_after_deadline';

export interface PaClock {
  rule: SlaRuleId;
  /** the ladder from receipt, extended by the one permitted extension when the payer gave notice in time */
  ladder: SlaLadder;
  extension?: { days: number; noticedAt: number };
  findings: PaComplianceFinding[];
}

/** Maximum extension (calendar days) by PA rule; 0 = none. */
export function maxPaExtensionDays(rule: SlaRuleId): number {
  switch (rule) {
    case 'cms0057_pa_expedited':
    case 'cms0057_pa_standard':
    case 'payer_pa_expedited':
    case 'payer_pa_standard':
      return 14;
    case 'erisa_pre_service':
      return 15;
    default:
      return 0;
  }
}

export function priorAuthClock(
  input: { planType: PlanType; urgency: Urgency; receivedAt: number | string; events: readonly PaClockEvent[] },
  ctx: SlaContext,
): PaClock {
  const rule = priorAuthRuleFor(input.planType, input.urgency, input.receivedAt, ctx);
  const base = computeLadder(rule, input.receivedAt, ctx);
  const findings: PaComplianceFinding[] = [];
  let extension: PaClock['extension'];
  for (const ev of input.events) {
    if (ev.action === 'A3' && (ev.reasons ?? []).length === 0 && !findings.includes('denial_without_reason')) findings.push('denial_without_reason');
    if (ev.extensionDays === undefined || ev.extensionDays <= 0) continue;
    const at = toEpochMs(ev.at);
    if (extension) {
      if (!findings.includes('second_extension')) findings.push('second_extension');
      continue;
    }
    if (at >= base.breachAt) {
      if (!findings.includes('extension_after_deadline')) findings.push('extension_after_deadline');
      continue;
    }
    const max = maxPaExtensionDays(rule);
    if (ev.extensionDays > max && !findings.includes('extension_too_long')) findings.push('extension_too_long');
    const days = Math.min(Math.floor(ev.extensionDays), max);
    if (days > 0) extension = { days, noticedAt: at };
  }
  if (!extension) return { rule, ladder: base, findings };
  const resolved = resolveRule(ctx.policy ?? DEFAULT_SLA_POLICY, rule, ctx);
  const breachAt = addCalendarDays(base.breachAt, extension.days, ctx.calendar.timeZone);
  const span = breachAt - base.startedAt;
  const ladder: SlaLadder = {
    ...base,
    warnAt: base.startedAt + Math.round(span * resolved.warnFraction),
    dueAt: base.startedAt + Math.round(span * resolved.dueFraction),
    breachAt,
  };
  return { rule, ladder, extension, findings };
}

/** Hours a decision took from receipt (for the compliance report); undefined while pending. */
export function paDecisionHours(receivedAt: number | string, decidedAt: number | string): number {
  return (toEpochMs(decidedAt) - toEpochMs(receivedAt)) / HOUR_MS;
}
