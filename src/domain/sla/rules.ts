import type { JourneyStage } from '../journey/stages';

/** Invalid SLA configuration (bad fractions, loosened regulatory deadline, unknown rule). */
export class SlaPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlaPolicyError';
  }
}

/**
 * SLA and deadline rules as data, each with its citation. Every number can be overridden per site and per payer
 * (SlaPolicy.sites / SlaPolicy.payers); regulatory ceilings can be tightened by an override, never loosened, and
 * regulatory floors (patient protections) can be lengthened, never shortened.
 */
export type SlaUnit = 'hours' | 'calendar_days' | 'business_days' | 'months';
/**
 * `instant`: the clock runs from an instant (a request received at 10:00 is due 7 days later at 10:00).
 * `date`: the deadline is the end of a local date counted from a date (date of service, notice date, bill date).
 */
export type SlaAnchor = 'instant' | 'date';
export type SlaKind = 'regulatory' | 'contractual' | 'internal';
/**
 * ceiling: the longest the obligor may take (a payer's decision time, our filing limit) — a site may tighten it.
 * floor: the least time a patient is given (§501(r) periods, the NSA dispute window) — a site may only lengthen it
 * (DOMAIN.md "Clarifications (second pass)": floors and ceilings).
 */
export type SlaDirection = 'ceiling' | 'floor';

export const SLA_RULE_IDS = [
  'cms0057_pa_expedited',
  'cms0057_pa_standard',
  'erisa_urgent',
  'erisa_pre_service',
  'erisa_post_service',
  'payer_pa_expedited',
  'payer_pa_standard',
  'timely_filing_medicare',
  'timely_filing_medicaid',
  'timely_filing_commercial',
  'claim_status_follow_up',
  'appeal_medicare_redetermination',
  'appeal_medicare_reconsideration',
  'appeal_ma_reconsideration',
  'appeal_medicaid_managed',
  'appeal_erisa',
  'appeal_payer',
  'nsa_gfe_short_lead',
  'nsa_gfe_long_lead',
  'nsa_dispute_window',
  'r501_notification_period',
  'r501_application_period',
  'r501_eca_notice',
  'internal_intake_docs',
  'internal_eligibility',
  'internal_pa_submission',
  'internal_pa_documents',
  'internal_scheduling_gate',
  'internal_service_completion',
  'internal_coding_review',
  'internal_billing_approval',
  'internal_claim_submission',
  'internal_denial_queue',
  'internal_statement_cycle',
  'internal_unmatched_remit',
] as const;
export type SlaRuleId = (typeof SLA_RULE_IDS)[number];

export interface SlaRule {
  id: SlaRuleId;
  stage: JourneyStage;
  kind: SlaKind;
  /** default ceiling */
  direction?: SlaDirection;
  amount: number;
  unit: SlaUnit;
  anchor: SlaAnchor;
  /** days added to the anchor date before counting (Medicare appeals: receipt presumed 5 days after the notice) */
  anchorOffsetDays?: number;
  /** fraction of the span (start → breach) at which the owner is notified */
  warnFraction: number;
  /** fraction at which it escalates to escalateTo; 1 = at the breach */
  dueFraction: number;
  owner: string;
  escalateTo: string;
  citation: string;
  description: string;
}

export type SlaRuleOverride = Partial<Pick<SlaRule, 'amount' | 'unit' | 'anchorOffsetDays' | 'warnFraction' | 'dueFraction' | 'owner' | 'escalateTo' | 'citation'>>;
export type SlaOverrides = Partial<Record<SlaRuleId, SlaRuleOverride>>;

export interface SlaPolicy {
  rules: Readonly<Record<SlaRuleId, SlaRule>>;
  /** overrides by siteId (applied after the defaults) */
  sites?: Readonly<Record<string, SlaOverrides>>;
  /** overrides by payerId (applied after the site's, so a payer contract wins) */
  payers?: Readonly<Record<string, SlaOverrides>>;
  /** CMS-0057-F decision timeframes apply to requests received on/after this local date (CMS-0057-F: 2026-01-01) */
  cms0057EffectiveDate: string;
}

// Regulatory clocks warn at 50 % and escalate at 80 % of the legal span by default (DESIGN.md "SLA escalation ladder").
const REG = { warnFraction: 0.5, dueFraction: 0.8 } as const;
// Internal SLAs: warn at 50 %, escalate at the SLA itself, breach = SLA missed.
const INT = { warnFraction: 0.5, dueFraction: 1 } as const;

const r = (rule: SlaRule): SlaRule => rule;

export const DEFAULT_SLA_RULES: Readonly<Record<SlaRuleId, SlaRule>> = {
  // ---- prior authorization decision clocks (the payer's obligation; we escalate/chase when it runs late)
  cms0057_pa_expedited: r({
    id: 'cms0057_pa_expedited', stage: 'prior_auth', kind: 'regulatory', amount: 72, unit: 'hours', anchor: 'instant', ...REG,
    owner: 'prior_auth_team', escalateTo: 'prior_auth_supervisor',
    citation: 'CMS-0057-F (2024) expedited PA decision within 72 hours, from 2026-01-01 (MA, Medicaid/CHIP FFS, Medicaid managed care, CHIP managed care)',
    description: 'Expedited prior authorization decision due from impacted payer',
  }),
  cms0057_pa_standard: r({
    id: 'cms0057_pa_standard', stage: 'prior_auth', kind: 'regulatory', amount: 7, unit: 'calendar_days', anchor: 'instant', ...REG,
    owner: 'prior_auth_team', escalateTo: 'prior_auth_supervisor',
    citation: 'CMS-0057-F (2024) standard PA decision within 7 calendar days, from 2026-01-01 (MA, Medicaid/CHIP FFS, Medicaid managed care, CHIP managed care)',
    description: 'Standard prior authorization decision due from impacted payer',
  }),
  erisa_urgent: r({
    id: 'erisa_urgent', stage: 'prior_auth', kind: 'regulatory', amount: 72, unit: 'hours', anchor: 'instant', ...REG,
    owner: 'prior_auth_team', escalateTo: 'prior_auth_supervisor',
    citation: '29 CFR 2560.503-1(f)(2)(i): urgent care claim decision within 72 hours',
    description: 'ERISA urgent-care decision due',
  }),
  erisa_pre_service: r({
    id: 'erisa_pre_service', stage: 'prior_auth', kind: 'regulatory', amount: 15, unit: 'calendar_days', anchor: 'instant', ...REG,
    owner: 'prior_auth_team', escalateTo: 'prior_auth_supervisor',
    citation: '29 CFR 2560.503-1(f)(2)(iii)(A): pre-service claim decision within 15 days (one 15-day extension)',
    description: 'ERISA pre-service decision due',
  }),
  erisa_post_service: r({
    id: 'erisa_post_service', stage: 'payer_adjudication', kind: 'regulatory', amount: 30, unit: 'calendar_days', anchor: 'instant', ...REG,
    owner: 'claims_team', escalateTo: 'claims_supervisor',
    citation: '29 CFR 2560.503-1(f)(2)(iii)(B): post-service claim decision within 30 days',
    description: 'ERISA post-service claim decision due',
  }),
  payer_pa_expedited: r({
    id: 'payer_pa_expedited', stage: 'prior_auth', kind: 'contractual', amount: 72, unit: 'hours', anchor: 'instant', ...REG,
    owner: 'prior_auth_team', escalateTo: 'prior_auth_supervisor',
    citation: 'Payer contract (configurable default 72 h); QHPs on the federal exchanges are not bound by CMS-0057-F timeframes',
    description: 'Expedited prior authorization decision expected (payer-specific)',
  }),
  payer_pa_standard: r({
    id: 'payer_pa_standard', stage: 'prior_auth', kind: 'contractual', amount: 15, unit: 'calendar_days', anchor: 'instant', ...REG,
    owner: 'prior_auth_team', escalateTo: 'prior_auth_supervisor',
    citation: 'Payer contract (configurable default 15 calendar days); QHPs on the federal exchanges are not bound by CMS-0057-F timeframes',
    description: 'Standard prior authorization decision expected (payer-specific)',
  }),
  // ---- timely filing (our obligation)
  timely_filing_medicare: r({
    id: 'timely_filing_medicare', stage: 'claim_submission', kind: 'regulatory', amount: 12, unit: 'months', anchor: 'date', ...REG,
    owner: 'claims_team', escalateTo: 'billing_supervisor',
    citation: '42 CFR 424.44: file within 12 months (1 calendar year) after the date of service',
    description: 'Medicare timely filing limit',
  }),
  timely_filing_medicaid: r({
    id: 'timely_filing_medicaid', stage: 'claim_submission', kind: 'contractual', amount: 12, unit: 'months', anchor: 'date', ...REG,
    owner: 'claims_team', escalateTo: 'billing_supervisor',
    citation: 'State Medicaid rule (configurable; often 12 months, some states 90 days)',
    description: 'Medicaid timely filing limit',
  }),
  timely_filing_commercial: r({
    id: 'timely_filing_commercial', stage: 'claim_submission', kind: 'contractual', amount: 90, unit: 'calendar_days', anchor: 'date', ...REG,
    owner: 'claims_team', escalateTo: 'billing_supervisor',
    citation: 'Payer contract (configurable; commonly 90–180 days after the date of service)',
    description: 'Commercial timely filing limit',
  }),
  claim_status_follow_up: r({
    id: 'claim_status_follow_up', stage: 'payer_adjudication', kind: 'contractual', amount: 30, unit: 'calendar_days', anchor: 'instant', ...REG,
    owner: 'claims_team', escalateTo: 'claims_supervisor',
    citation: 'Medicare prompt payment, SSA §1842(c)(2): clean claims not paid within 30 days accrue interest',
    description: 'Claim status overdue: follow up with the payer',
  }),
  // ---- appeals (our obligation)
  appeal_medicare_redetermination: r({
    id: 'appeal_medicare_redetermination', stage: 'payer_adjudication', kind: 'regulatory', amount: 120, unit: 'calendar_days', anchor: 'date',
    anchorOffsetDays: 5, ...REG, owner: 'denials_team', escalateTo: 'denials_supervisor',
    citation: '42 CFR 405.942: redetermination within 120 days of receipt of the initial determination; receipt presumed 5 days after the notice date',
    description: 'Medicare redetermination (first-level appeal) filing deadline',
  }),
  appeal_medicare_reconsideration: r({
    id: 'appeal_medicare_reconsideration', stage: 'payer_adjudication', kind: 'regulatory', amount: 180, unit: 'calendar_days', anchor: 'date',
    anchorOffsetDays: 5, ...REG, owner: 'denials_team', escalateTo: 'denials_supervisor',
    citation: '42 CFR 405.962: QIC reconsideration within 180 days of receipt of the redetermination; receipt presumed 5 days after the notice date',
    description: 'Medicare reconsideration (second-level appeal) filing deadline',
  }),
  appeal_ma_reconsideration: r({
    id: 'appeal_ma_reconsideration', stage: 'payer_adjudication', kind: 'regulatory', amount: 65, unit: 'calendar_days', anchor: 'date', ...REG,
    owner: 'denials_team', escalateTo: 'denials_supervisor',
    citation: '42 CFR 422.582(b): Medicare Advantage reconsideration request within 65 calendar days from the date of the notice of the organization determination',
    description: 'Medicare Advantage reconsideration filing deadline',
  }),
  appeal_medicaid_managed: r({
    id: 'appeal_medicaid_managed', stage: 'payer_adjudication', kind: 'regulatory', amount: 60, unit: 'calendar_days', anchor: 'date', ...REG,
    owner: 'denials_team', escalateTo: 'denials_supervisor',
    citation: '42 CFR 438.402(c)(2)(ii): Medicaid managed care appeal within 60 calendar days from the date on the adverse benefit determination notice',
    description: 'Medicaid managed care appeal filing deadline',
  }),
  appeal_erisa: r({
    id: 'appeal_erisa', stage: 'payer_adjudication', kind: 'regulatory', amount: 180, unit: 'calendar_days', anchor: 'date', ...REG,
    owner: 'denials_team', escalateTo: 'denials_supervisor',
    citation: '29 CFR 2560.503-1(h)(3)(i): at least 180 days after notification of an adverse benefit determination to appeal',
    description: 'ERISA plan appeal deadline',
  }),
  appeal_payer: r({
    id: 'appeal_payer', stage: 'payer_adjudication', kind: 'contractual', amount: 90, unit: 'calendar_days', anchor: 'date', ...REG,
    owner: 'denials_team', escalateTo: 'denials_supervisor',
    citation: 'Payer contract / state Medicaid rule (configurable default 90 days from the denial notice)',
    description: 'Payer appeal deadline',
  }),
  // ---- No Surprises Act (uninsured / self-pay)
  nsa_gfe_short_lead: r({
    id: 'nsa_gfe_short_lead', stage: 'scheduling', kind: 'regulatory', amount: 1, unit: 'business_days', anchor: 'date', ...REG,
    owner: 'patient_financial_services', escalateTo: 'pfs_supervisor',
    citation: 'No Surprises Act GFE, 45 CFR 149.610: scheduled ≥3 business days ahead → GFE within 1 business day of scheduling',
    description: 'Good-faith estimate due (short lead)',
  }),
  nsa_gfe_long_lead: r({
    id: 'nsa_gfe_long_lead', stage: 'scheduling', kind: 'regulatory', amount: 3, unit: 'business_days', anchor: 'date', ...REG,
    owner: 'patient_financial_services', escalateTo: 'pfs_supervisor',
    citation: 'No Surprises Act GFE, 45 CFR 149.610: scheduled ≥10 business days ahead or on request → GFE within 3 business days',
    description: 'Good-faith estimate due (long lead or on request)',
  }),
  nsa_dispute_window: r({
    id: 'nsa_dispute_window', stage: 'patient_balance', kind: 'regulatory', direction: 'floor', amount: 120, unit: 'calendar_days', anchor: 'date', ...REG,
    owner: 'patient_financial_services', escalateTo: 'pfs_supervisor',
    citation: 'No Surprises Act patient-provider dispute resolution, 45 CFR 149.620: within 120 days of the bill when it exceeds the GFE by ≥ $400',
    description: 'Window in which the patient may start an NSA dispute',
  }),
  // ---- IRS §501(r) (non-profit hospitals)
  r501_notification_period: r({
    id: 'r501_notification_period', stage: 'patient_balance', kind: 'regulatory', direction: 'floor', amount: 120, unit: 'calendar_days', anchor: 'date', ...REG,
    owner: 'patient_financial_services', escalateTo: 'pfs_supervisor',
    citation: 'IRC §501(r)(6), 26 CFR 1.501(r)-6: no extraordinary collection action during the 120-day notification period from the first post-discharge statement',
    description: '501(r) notification period',
  }),
  r501_application_period: r({
    id: 'r501_application_period', stage: 'patient_balance', kind: 'regulatory', direction: 'floor', amount: 240, unit: 'calendar_days', anchor: 'date', ...REG,
    owner: 'patient_financial_services', escalateTo: 'pfs_supervisor',
    citation: 'IRC §501(r)(6), 26 CFR 1.501(r)-6: financial-assistance applications accepted until day 240 after the first post-discharge statement',
    description: '501(r) financial-assistance application period',
  }),
  r501_eca_notice: r({
    id: 'r501_eca_notice', stage: 'patient_balance', kind: 'regulatory', direction: 'floor', amount: 30, unit: 'calendar_days', anchor: 'date', ...REG,
    owner: 'patient_financial_services', escalateTo: 'pfs_supervisor',
    citation: 'IRC §501(r)(6), 26 CFR 1.501(r)-6: written notice at least 30 days before an extraordinary collection action',
    description: '501(r) notice period before extraordinary collection action',
  }),
  // ---- internal stage SLAs (site policy; defaults here)
  internal_intake_docs: r({
    id: 'internal_intake_docs', stage: 'intake', kind: 'internal', amount: 2, unit: 'business_days', anchor: 'instant', ...INT,
    owner: 'intake_team', escalateTo: 'intake_supervisor', citation: 'Site policy: required documents within 2 business days (DESIGN.md stage 1)',
    description: 'Missing referral documents',
  }),
  internal_eligibility: r({
    id: 'internal_eligibility', stage: 'eligibility', kind: 'internal', amount: 1, unit: 'business_days', anchor: 'instant', ...INT,
    owner: 'eligibility_team', escalateTo: 'eligibility_supervisor', citation: 'Site policy: eligibility answer within 1 business day (DESIGN.md stage 2)',
    description: 'Eligibility response pending',
  }),
  internal_pa_submission: r({
    id: 'internal_pa_submission', stage: 'prior_auth', kind: 'internal', amount: 1, unit: 'business_days', anchor: 'instant', ...INT,
    owner: 'prior_auth_team', escalateTo: 'prior_auth_supervisor', citation: 'Site policy: PA request submitted within 1 business day (DESIGN.md stage 3)',
    description: 'Prior authorization request not yet submitted',
  }),
  internal_pa_documents: r({
    id: 'internal_pa_documents', stage: 'prior_auth', kind: 'internal', amount: 2, unit: 'business_days', anchor: 'instant', ...INT,
    owner: 'prior_auth_team', escalateTo: 'prior_auth_supervisor',
    citation: 'Site policy: documents a payer requested on a pend (A4) sent within 2 business days; our own turnaround, separate from the payer\'s decision clock, which keeps running',
    description: 'Documents requested by the payer not yet sent',
  }),
  internal_scheduling_gate: r({
    id: 'internal_scheduling_gate', stage: 'scheduling', kind: 'internal', amount: 2, unit: 'business_days', anchor: 'instant', ...INT,
    owner: 'scheduling_team', escalateTo: 'scheduling_supervisor', citation: 'Site policy: appointment booked within 2 business days of the gate opening (DESIGN.md stage 4)',
    description: 'Scheduling gate blocked / not booked',
  }),
  internal_service_completion: r({
    id: 'internal_service_completion', stage: 'service', kind: 'internal', amount: 3, unit: 'calendar_days', anchor: 'instant', ...INT,
    owner: 'clinical_team', escalateTo: 'clinical_supervisor', citation: 'Site policy: encounter completed within 3 days after the appointment (DESIGN.md stage 5)',
    description: 'No service completion after the appointment',
  }),
  internal_coding_review: r({
    id: 'internal_coding_review', stage: 'coding', kind: 'internal', amount: 2, unit: 'business_days', anchor: 'instant', ...INT,
    owner: 'coding_team', escalateTo: 'coding_supervisor', citation: 'Site policy: coding review within 2 business days (DESIGN.md stage 6)',
    description: 'Coding review pending',
  }),
  internal_billing_approval: r({
    id: 'internal_billing_approval', stage: 'billing_approval', kind: 'internal', amount: 1, unit: 'business_days', anchor: 'instant', ...INT,
    owner: 'billing_team', escalateTo: 'billing_supervisor', citation: 'Site policy: billing release approved within 1 business day (DESIGN.md stage 7)',
    description: 'Billing release approval pending',
  }),
  internal_claim_submission: r({
    id: 'internal_claim_submission', stage: 'claim_submission', kind: 'internal', amount: 2, unit: 'business_days', anchor: 'instant', ...INT,
    owner: 'claims_team', escalateTo: 'billing_supervisor', citation: 'Site policy: claim submitted within 2 business days of release (DESIGN.md stage 8)',
    description: 'Claim not yet submitted',
  }),
  internal_denial_queue: r({
    id: 'internal_denial_queue', stage: 'payer_adjudication', kind: 'internal', amount: 5, unit: 'business_days', anchor: 'instant', ...INT,
    owner: 'denials_team', escalateTo: 'denials_supervisor', citation: 'Site policy: denial worked within 5 business days (DESIGN.md stage 9; per-route slaDays override)',
    description: 'Denial work item pending',
  }),
  internal_statement_cycle: r({
    id: 'internal_statement_cycle', stage: 'patient_balance', kind: 'internal', amount: 30, unit: 'calendar_days', anchor: 'instant', ...INT,
    owner: 'patient_financial_services', escalateTo: 'pfs_supervisor', citation: 'Site policy: patient statement cycle 30 days (DESIGN.md stage 10)',
    description: 'Next patient statement due',
  }),
  internal_unmatched_remit: r({
    id: 'internal_unmatched_remit', stage: 'posting', kind: 'internal', amount: 3, unit: 'business_days', anchor: 'instant', ...INT,
    owner: 'cash_posting_team', escalateTo: 'cash_posting_supervisor', citation: 'Site policy: unmatched remittance resolved within 3 business days (DESIGN.md stage 11)',
    description: 'Unmatched or unbalanced remittance in the exception queue',
  }),
};

/** CMS-0057-F compliance date for the decision timeframes. */
export const CMS0057_EFFECTIVE_DATE = '2026-01-01';

export const DEFAULT_SLA_POLICY: SlaPolicy = { rules: DEFAULT_SLA_RULES, cms0057EffectiveDate: CMS0057_EFFECTIVE_DATE };

/** The internal SLA rule of each stage (DESIGN.md table "escalates when"). */
export const STAGE_SLA_RULE: Readonly<Record<JourneyStage, SlaRuleId>> = {
  intake: 'internal_intake_docs',
  eligibility: 'internal_eligibility',
  prior_auth: 'internal_pa_submission',
  scheduling: 'internal_scheduling_gate',
  service: 'internal_service_completion',
  coding: 'internal_coding_review',
  billing_approval: 'internal_billing_approval',
  claim_submission: 'internal_claim_submission',
  payer_adjudication: 'internal_denial_queue',
  patient_balance: 'internal_statement_cycle',
  posting: 'internal_unmatched_remit',
};

export function ruleDirection(rule: Pick<SlaRule, 'direction'>): SlaDirection {
  return rule.direction ?? 'ceiling';
}

function applyOverride(rule: SlaRule, o: SlaRuleOverride | undefined, source: string): SlaRule {
  if (!o) return rule;
  const merged: SlaRule = { ...rule, ...o };
  if (rule.kind === 'regulatory' && (o.amount !== undefined || o.unit !== undefined || o.anchorOffsetDays !== undefined)) {
    // Units are not comparable across holidays/months, so a regulatory rule keeps its unit.
    if (merged.unit !== rule.unit) throw new SlaPolicyError(`${source} override of ${rule.id} may not change the unit of a regulatory rule`);
    const amountDir = Math.sign(merged.amount - rule.amount);
    const offsetDir = Math.sign((merged.anchorOffsetDays ?? 0) - (rule.anchorOffsetDays ?? 0));
    if (ruleDirection(rule) === 'ceiling') {
      // A payer's decision time / our filing limit may be tightened (a stricter state rule), never loosened.
      if (amountDir > 0 || offsetDir > 0) throw new SlaPolicyError(`${source} override of ${rule.id} would loosen a regulatory deadline`);
    } else if (amountDir < 0 || offsetDir < 0) {
      // A patient protection may be made more generous, never shortened (§501(r), NSA dispute window).
      throw new SlaPolicyError(`${source} override of ${rule.id} would shorten a patient-protection floor`);
    }
  }
  return merged;
}

export function validateRule(rule: SlaRule): SlaRule {
  if (!(rule.amount >= 0) || !Number.isInteger(rule.amount)) throw new SlaPolicyError(`${rule.id}: amount must be a non-negative integer`);
  if (!(rule.warnFraction > 0 && rule.warnFraction <= rule.dueFraction && rule.dueFraction <= 1)) {
    throw new SlaPolicyError(`${rule.id}: need 0 < warnFraction <= dueFraction <= 1`);
  }
  if (rule.anchor === 'date' && rule.unit === 'hours') throw new SlaPolicyError(`${rule.id}: date-anchored rules count days or months`);
  return rule;
}

/** The effective rule for a site and payer: defaults ← site overrides ← payer overrides. */
export function resolveRule(policy: SlaPolicy, id: SlaRuleId, scope: { siteId?: string; payerId?: string } = {}): SlaRule {
  // A policy snapshot taken before a rule was added (e.g. in a running workflow's input) falls back to the default.
  const base = policy.rules[id] ?? (SLA_RULE_IDS.includes(id) ? DEFAULT_SLA_RULES[id] : undefined);
  if (!base) throw new SlaPolicyError(`unknown SLA rule ${id}`);
  let rule = applyOverride(base, scope.siteId ? policy.sites?.[scope.siteId]?.[id] : undefined, `site ${scope.siteId}`);
  rule = applyOverride(rule, scope.payerId ? policy.payers?.[scope.payerId]?.[id] : undefined, `payer ${scope.payerId}`);
  return validateRule(rule);
}
