import type { PlanType } from '../../src/domain/schemas/common';
import type { PriorAuthReason, ReviewAction } from '../../src/activities/payer/types';
import type { AdjudicationRule } from './adjudication';

/**
 * Deterministic rule tables of the payer emulator. Everything a test or the demo needs to steer is data here and
 * can be replaced through `control`; the defaults make a plausible commercial payer.
 */

// ------------------------------------------------------------------ eligibility

export interface MemberBenefits {
  planType: PlanType;
  copayCents: number;
  deductibleCents: number;
  deductibleUsedCents: number;
  /** Whole percent (FHIR benefit `copay-percent` is an unsignedInt). */
  coinsurancePercent: number;
}

export const DEFAULT_BENEFITS: Omit<MemberBenefits, 'planType'> = {
  copayCents: 2500,
  deductibleCents: 150_000,
  deductibleUsedCents: 147_500,
  coinsurancePercent: 20,
};

/** Member reference prefixes → plan type (the rest are commercial). */
export const PLAN_TYPE_PREFIXES: [string, PlanType][] = [
  ['MA', 'medicare_advantage'],
  ['MCR', 'medicare_ffs'],
  ['MCDFFS', 'medicaid_ffs'],
  ['MCD', 'medicaid_managed'],
  ['CHIP', 'chip'],
  ['QHP', 'qhp_exchange'],
  ['ERISA', 'erisa_group'],
  ['SELF', 'self_pay'],
];

export type MemberState = 'active' | 'inactive' | 'unknown';

/** `INACTIVE…` → coverage not in force; `UNKNOWN…` → subscriber not found (outcome error). */
export function memberState(memberRef: string): MemberState {
  if (/^INACTIVE/i.test(memberRef)) return 'inactive';
  if (/^UNKNOWN/i.test(memberRef)) return 'unknown';
  return 'active';
}

export function planTypeFor(memberRef: string): PlanType {
  const upper = memberRef.toUpperCase();
  // Longest prefix first so MCDFFS wins over MCD.
  const hit = [...PLAN_TYPE_PREFIXES].sort((a, b) => b[0].length - a[0].length).find(([p]) => upper.startsWith(`${p}-`) || upper.startsWith(`${p}_`));
  return hit ? hit[1] : 'commercial';
}

/**
 * CPT ranges and codes that need prior authorization. Default: diagnostic imaging 70010–79999, musculoskeletal surgery
 * 20000–29999, spine decompression 63030/63047 and one infused drug (J1745).
 */
export interface AuthRequiredSpec {
  ranges: [string, string][];
  codes: string[];
}

export const DEFAULT_AUTH_REQUIRED: AuthRequiredSpec = {
  ranges: [
    ['70010', '79999'],
    ['20000', '29999'],
  ],
  codes: ['63030', '63047', 'J1745'],
};

export function authRequired(spec: AuthRequiredSpec, code: string): boolean {
  if (spec.codes.includes(code)) return true;
  if (!/^\d{5}$/.test(code)) return false;
  return spec.ranges.some(([lo, hi]) => code >= lo && code <= hi);
}

// ------------------------------------------------------------------ prior authorization (PAS)

export interface PriorAuthDecisionSpec {
  action: ReviewAction;
  reasons?: PriorAuthReason[];
  /** LOINC document codes requested with A4. */
  requestedDocuments?: string[];
  /** A2/A6: units certified per item (capped at the requested units). */
  approvedUnitsPerItem?: number;
}

export interface PriorAuthMatch {
  serviceCode?: string;
  memberRefPrefix?: string;
  authRequestIdPrefix?: string;
  urgency?: 'standard' | 'expedited';
}

export interface PriorAuthRule {
  match?: PriorAuthMatch;
  /** Returned by $submit. */
  decision: PriorAuthDecisionSpec;
  /** Final decision made `decisionDelayMs` later (pended cases), delivered by webhook and visible to polling. */
  then?: PriorAuthDecisionSpec;
}

export interface PriorAuthCaseFacts {
  authRequestId: string;
  memberRef: string;
  urgency: 'standard' | 'expedited';
  serviceCodes: string[];
}

export const DEFAULT_PRIOR_AUTH_RULES: PriorAuthRule[] = [
  // Lumbar fusion: not certified, with a reason (CMS-0057-F requires a specific denial reason).
  {
    match: { serviceCode: '22612' },
    decision: { action: 'A3', reasons: [{ code: 'MN01', text: 'Medical necessity criteria not met: conservative therapy not documented' }] },
  },
  // Knee replacement: pended for records, certified once reviewed.
  {
    match: { serviceCode: '27447' },
    decision: { action: 'A4', requestedDocuments: ['11506-3', '18748-4'] },
    then: { action: 'A1' },
  },
  // Physical therapy: modified to 12 units.
  { match: { serviceCode: '97110' }, decision: { action: 'A6', approvedUnitsPerItem: 12, reasons: [{ code: 'UN01', text: 'Units reduced to plan limit' }] } },
  // Everything else: certified in total.
  { decision: { action: 'A1' } },
];

export function matchesPriorAuth(match: PriorAuthMatch | undefined, facts: PriorAuthCaseFacts): boolean {
  if (!match) return true;
  if (match.serviceCode && !facts.serviceCodes.includes(match.serviceCode)) return false;
  if (match.memberRefPrefix && !facts.memberRef.startsWith(match.memberRefPrefix)) return false;
  if (match.authRequestIdPrefix && !facts.authRequestId.startsWith(match.authRequestIdPrefix)) return false;
  if (match.urgency && match.urgency !== facts.urgency) return false;
  return true;
}

// ------------------------------------------------------------------ claims

export interface AdjudicationMatch {
  claimId?: string;
  serviceCode?: string;
  memberRefPrefix?: string;
}

export interface AdjudicationRuleEntry {
  match?: AdjudicationMatch;
  rule: AdjudicationRule;
}

export const DEFAULT_ADJUDICATION_RULE: AdjudicationRule = { kind: 'pay', allowedBasisPoints: 8000 };
