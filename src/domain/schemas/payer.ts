import { z } from 'zod';
import {
  CentsSchema,
  IdSchema,
  IsoDateSchema,
  IsoDateTimeSchema,
  MessageIdSchema,
  NonNegativeCentsSchema,
  PlanTypeSchema,
} from './common';

/** Payer eligibility answer (FHIR CoverageEligibilityResponse or X12 271, mapped by the payer activity). */
export const EligibilityResultSchema = z
  .object({
    messageId: MessageIdSchema,
    status: z.enum(['active', 'inactive', 'unknown']),
    planType: PlanTypeSchema,
    authRequired: z.boolean(),
    copayCents: NonNegativeCentsSchema,
    deductibleRemainingCents: NonNegativeCentsSchema,
    /** coinsurance rate in basis points (2000 = 20%) */
    coinsuranceBasisPoints: z.number().int().min(0).max(10_000),
    checkedAt: IsoDateTimeSchema,
  })
  .strict();
export type EligibilityResult = z.infer<typeof EligibilityResultSchema>;

/**
 * X12 278 HCR01 action codes (also FHIR PAS ClaimResponse review action): A1 certified in total, A2 certified
 * partial, A3 not certified, A4 pended, A6 modified, CT contact payer, NA no action required (DOMAIN.md, X12 278).
 */
export const PRIOR_AUTH_ACTIONS = ['A1', 'A2', 'A3', 'A4', 'A6', 'CT', 'NA'] as const;
export const PriorAuthActionSchema = z.enum(PRIOR_AUTH_ACTIONS);
export type PriorAuthAction = z.infer<typeof PriorAuthActionSchema>;

export const PriorAuthReasonSchema = z.object({ code: z.string().min(1).max(32), text: z.string().max(500) }).strict();

export const PriorAuthDecisionSchema = z
  .object({
    messageId: MessageIdSchema,
    authRequestId: IdSchema,
    action: PriorAuthActionSchema,
    authNumber: z.string().regex(/^[A-Za-z0-9._-]{1,50}$/).optional(),
    approvedUnits: z.number().int().min(0).optional(),
    /** CMS-0057-F: a denial must carry a specific reason */
    reasons: z.array(PriorAuthReasonSchema).max(50),
    /** pended (A4): the documents the payer asks for */
    requestedDocuments: z.array(z.string().min(1).max(64)).max(50),
    /** the payer's notice of an extension of the decision time (calendar days; one permitted, up to 14 — sla/priorAuthClock.ts) */
    extensionDays: z.number().int().min(1).max(90).optional(),
    decidedAt: IsoDateTimeSchema,
  })
  .strict()
  .superRefine((d, ctx) => {
    // A certified (A1), partially certified (A2) or modified (A6) decision is useless for billing without the number.
    if ((d.action === 'A1' || d.action === 'A2' || d.action === 'A6') && !d.authNumber) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['authNumber'], message: `required for action ${d.action}` });
    }
  });
export type PriorAuthDecision = z.infer<typeof PriorAuthDecisionSchema>;

/** How a PA action moves the journey (X12 278 HCR01 semantics, DOMAIN.md "Prior authorization clocks"). */
export type PriorAuthOutcome = 'approved' | 'denied' | 'pended' | 'contact_payer' | 'not_required';
export function priorAuthOutcome(action: PriorAuthAction): PriorAuthOutcome {
  switch (action) {
    case 'A1':
    case 'A2': // partial: approved for approvedUnits; the rest goes to appeal/peer-to-peer
    case 'A6': // modified: approved as modified
      return 'approved';
    case 'A3':
      return 'denied';
    case 'A4':
      return 'pended';
    case 'CT':
      return 'contact_payer';
    case 'NA':
      return 'not_required';
  }
}

/**
 * X12 277 claim status category codes (A0–A8 acknowledgements, P0–P5 pending, F0–F4 finalized, R0–R16 requests
 * for information, E0–E4 errors, D0 data search unsuccessful).
 */
export const ClaimStatusCategorySchema = z.string().regex(/^(?:A[0-8]|P[0-5]|F[0-4]|R(?:1[0-6]|[0-9])|E[0-4]|D0)$/);

export const ClaimStatusSchema = z
  .object({
    messageId: MessageIdSchema,
    claimId: IdSchema,
    category: ClaimStatusCategorySchema,
    status: z.string().max(500),
    payerClaimControlNumber: z.string().min(1).max(50).optional(),
    at: IsoDateTimeSchema,
  })
  .strict();
export type ClaimStatus = z.infer<typeof ClaimStatusSchema>;

/** Coarse meaning of a 277 category code. A3/A6/A7 = rejected (not accepted into adjudication). */
export function claimStatusKind(category: string): 'acknowledged' | 'rejected' | 'pending' | 'finalized' | 'info_requested' | 'error' {
  if (category === 'A3' || category === 'A6' || category === 'A7' || category === 'A8') return 'rejected';
  switch (category[0]) {
    case 'A':
      return 'acknowledged';
    case 'P':
      return 'pending';
    case 'F':
      return 'finalized';
    case 'R':
      return 'info_requested';
    default:
      return 'error';
  }
}

/** CAS group codes: CO contractual, PR patient responsibility, OA other, PI payer-initiated, CR (4010 only). */
export const CAS_GROUPS = ['CO', 'PR', 'OA', 'PI', 'CR'] as const;
export const CasGroupSchema = z.enum(CAS_GROUPS);
export type CasGroup = z.infer<typeof CasGroupSchema>;

export const RemitAdjustmentSchema = z
  .object({
    group: CasGroupSchema,
    /** CARC, e.g. `45`, `16`, `B7` */
    reason: z.string().regex(/^[A-Z0-9]{1,5}$/),
    amountCents: CentsSchema,
    quantity: z.number().optional(),
  })
  .strict();
export type RemitAdjustment = z.infer<typeof RemitAdjustmentSchema>;

export const RemitServiceSchema = z
  .object({
    /** SVC01 composite as text, e.g. `HC:99213:25` (optional: adjustments matter for posting) */
    procedure: z.string().max(64).optional(),
    chargeCents: CentsSchema.optional(),
    paidCents: CentsSchema.optional(),
    serviceDate: IsoDateSchema.optional(),
    adjustments: z.array(RemitAdjustmentSchema),
    remarkCodes: z.array(z.string().regex(/^[A-Z0-9]{1,8}$/)).optional(),
  })
  .strict();
export type RemitService = z.infer<typeof RemitServiceSchema>;

/** CLP02 claim status codes of 005010X221A1 (DOMAIN.md "Remittance"). */
export const CLP_STATUS_CODES = ['1', '2', '3', '4', '19', '20', '21', '22', '23', '25'] as const;

/**
 * One 835 claim payment (CLP loop) plus the TRN02 trace number: the posting plan input. The X12 mapper's output is
 * adapted to this shape. Amounts are integer cents; a reversal (CLP02=22) carries negative amounts.
 */
export const RemittanceClaimSchema = z
  .object({
    /** TRN02 check/EFT trace number */
    traceNumber: z.string().min(1).max(50),
    /** CLP01: our claim id */
    patientControlNumber: z.string().min(1).max(38),
    /** CLP02 */
    status: z.enum(CLP_STATUS_CODES),
    /** CLP03 */
    chargeCents: CentsSchema,
    /** CLP04 */
    paidCents: CentsSchema,
    /** CLP05 (may be absent in the file: then 0) */
    patientResponsibilityCents: CentsSchema,
    /** CLP07 */
    payerClaimControlNumber: z.string().min(1).max(50),
    /** claim-level CAS */
    adjustments: z.array(RemitAdjustmentSchema),
    services: z.array(RemitServiceSchema),
    /** claim-level RARCs (MOA/MIA remark codes) */
    remarkCodes: z.array(z.string().regex(/^[A-Z0-9]{1,8}$/)),
    payerId: z.string().min(1).max(80).optional(),
    /** BPR16 / DTM*405 payment date */
    paymentDate: IsoDateSchema.optional(),
  })
  .strict();
export type RemittanceClaim = z.infer<typeof RemittanceClaimSchema>;

/** Remittance signal: a RemittanceClaim plus the dedupe messageId (flat, so it can be passed to planPosting). */
export const RemittanceMessageSchema = RemittanceClaimSchema.extend({ messageId: MessageIdSchema }).strict();
export type RemittanceMessage = z.infer<typeof RemittanceMessageSchema>;
