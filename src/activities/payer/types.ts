import { z } from 'zod';
import type { ClaimSubmission } from './x837Schema';
import {
  IdSchema,
  Icd10Schema,
  IsoDateSchema,
  IsoDateTimeSchema,
  ModifierSchema,
  PositiveCentsSchema,
  ProcedureCodeSchema,
  UnitsSchema,
  UrgencySchema,
  type PlanType,
} from '../../domain/schemas/common';
import { PRIOR_AUTH_ACTIONS, type PriorAuthAction } from '../../domain/schemas/payer';

/**
 * Inputs and outputs of the payer activities (`createPayerActivities`). Workflows import these with `import type`.
 * Inputs carry opaque references and coded facts only: `memberRef` is the payer member id surrogate held in Odoo,
 * never a name or date of birth.
 */

/** X12 278 HCR01 review action codes (the domain's PRIOR_AUTH_ACTIONS), carried in FHIR PAS by the reviewAction extension. */
export const REVIEW_ACTIONS = PRIOR_AUTH_ACTIONS;
export type ReviewAction = PriorAuthAction;

/**
 * 277 claim status category code (X12 code source 507), validated by the domain's ClaimStatusCategorySchema:
 * A1 received, A2 accepted, A3 returned as unprocessable, P1 in process, F1 paid, F2 denied, F3 revised, F4 no
 * payment forthcoming, R3 information requested… Use `claimStatusKind` from the domain to branch on it.
 */
export type ClaimStatusCategory = string;

export const CheckEligibilityInputSchema = z.object({
  journeyId: z.string().min(1).max(200),
  payerId: IdSchema,
  memberRef: IdSchema,
  serviceDate: IsoDateSchema,
  serviceCodes: z.array(ProcedureCodeSchema).min(1).max(50),
});
export type CheckEligibilityInput = z.infer<typeof CheckEligibilityInputSchema>;

export interface EligibilityResult {
  /** The payer's CoverageEligibilityResponse id (audit trail). */
  responseId: string;
  status: 'active' | 'inactive' | 'unknown';
  planType?: PlanType;
  /** True when any requested service needs prior authorization. */
  authRequired: boolean;
  copayCents: number;
  deductibleRemainingCents: number;
  coinsuranceBasisPoints: number;
}

export const PriorAuthServiceSchema = z.object({ code: ProcedureCodeSchema, units: UnitsSchema });

export const SubmitPriorAuthInputSchema = z.object({
  journeyId: z.string().min(1).max(200),
  /** Our business key for this request: becomes the PAS Claim.identifier, so a retry never opens a second case. */
  authRequestId: IdSchema,
  payerId: IdSchema,
  memberRef: IdSchema,
  urgency: UrgencySchema,
  services: z.array(PriorAuthServiceSchema).min(1).max(50),
  diagnoses: z.array(Icd10Schema).min(1).max(12),
  /** Document ids (Odoo attachment / documents.document refs) sent as supporting info. */
  attachments: z.array(IdSchema).max(50).optional(),
});
export type SubmitPriorAuthInput = z.infer<typeof SubmitPriorAuthInputSchema>;

export interface PriorAuthReason {
  code: string;
  text: string;
}

export interface PriorAuthDecision {
  action: ReviewAction;
  /** HCR02 certification number, present when (partly) certified. */
  authNumber?: string;
  /** Units certified (sum over items) for A1/A2/A6. */
  approvedUnits?: number;
  reasons: PriorAuthReason[];
  /** Document types the payer asks for when pending (A4), e.g. LOINC codes. */
  requestedDocuments: string[];
}

export interface SubmitPriorAuthResult {
  /** Payer tracking reference (ClaimResponse.preAuthRef); key for polling and webhook correlation. */
  trackingId: string;
  submittedAt: string;
  /** Absent or A4 → wait for the asynchronous decision (webhook signal or fetchPriorAuthDecision). */
  decision?: PriorAuthDecision;
}

export const FetchPriorAuthDecisionInputSchema = z.object({ trackingId: IdSchema });
export type FetchPriorAuthDecisionInput = z.infer<typeof FetchPriorAuthDecisionInputSchema>;

export const ClaimLineSchema = z.object({
  code: ProcedureCodeSchema,
  modifiers: z.array(ModifierSchema).max(4),
  /** ICD-10-CM codes for this line (pointers are derived; the claim carries at most 12 distinct codes). */
  icd10: z.array(Icd10Schema).min(1).max(4),
  units: UnitsSchema,
  chargeCents: PositiveCentsSchema,
});
export type ClaimLine = z.infer<typeof ClaimLineSchema>;

export const SubmitClaimInputSchema = z.object({
  /** Our claim id: 837 CLM01 patient control number, echoed as 835 CLP01. */
  claimId: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, 'claimId must be 1-20 letters, digits or dashes (CLM01 / CLP01)'),
  payerId: IdSchema,
  /** CLM05-3: 1 original, 7 replacement, 8 void. */
  frequencyCode: z.enum(['1', '7', '8']),
  memberRef: IdSchema,
  serviceDate: IsoDateSchema,
  billingNpi: z.string().regex(/^\d{10}$/).optional(),
  lines: z.array(ClaimLineSchema).min(1).max(50),
  priorAuthNumber: z.string().regex(/^[A-Za-z0-9-]{1,50}$/).optional(),
  /** Payer claim control number of the claim being replaced/voided (REF*F8); payers require it for 7 and 8. */
  payerClaimControlNumber: z.string().regex(/^[A-Za-z0-9-]{1,50}$/).optional(),
  /** Place of service (CLM05-1), default 11 office. */
  placeOfService: z.string().regex(/^\d{2}$/).optional(),
});
export type SubmitClaimInput = z.infer<typeof SubmitClaimInputSchema>;

export interface ClaimAcknowledgement {
  acknowledgementId: string;
  status: 'accepted' | 'rejected';
  errors: string[];
  /** The clearinghouse's 999 and 277CA, parsed (src/activities/payer/ack.ts); absent when the payer sent none. */
  acknowledgment?: ClaimSubmissionAcknowledgment;
}

/** One error the 999 reported (IK3 segment + IK4 element); the copied-back bad value is left out (may be member data). */
export interface AckSegmentError {
  segmentId: string;
  /** Position in the transaction set, ST = 1. */
  position: number;
  loopId?: string;
  /** IK304 segment syntax error code. */
  segmentCode?: string;
  /** IK401 element position (and component), IK402 data element number, IK403 element error code. */
  element?: number;
  component?: number;
  dataElementRef?: string;
  elementCode?: string;
}

/** 277CA claim status (STC01): category (code source 507), status (508), entity (98). */
export interface AckClaimStatus {
  category: string;
  statusCode: string;
  entityCode?: string;
}

/**
 * What the clearinghouse said about a submitted 837: the 999 (was the transaction syntactically acceptable) and the
 * 277CA (was the claim accepted into adjudication, under which payer claim control number). `rejected` is the one
 * flag to branch on: 999 R (or E with errors reported), or a 277CA rejection category (A3/A4/A6/A7/A8).
 */
export interface ClaimSubmissionAcknowledgment {
  rejected: boolean;
  /** Which acknowledgment rejected it. */
  rejectedBy?: '999' | '277CA';
  implementation?: {
    /** IK501: A accepted, E accepted with errors noted, R (M, W, X) rejected. */
    disposition: string;
    groupControlNumber: string;
    errorCodes: string[];
    segmentErrors: AckSegmentError[];
  };
  claim?: {
    accepted: boolean;
    statuses: AckClaimStatus[];
    /** REF*1K: the payer's claim control number, what a corrected claim names in REF*F8. */
    payerClaimControlNumber?: string;
  };
  /** Codes-only description for an exception or a timeline (e.g. "277CA A7:562:85", "999 R IK3 CLM#22 IK4 2 code 6"). */
  reason?: string;
}

export const GetClaimStatusInputSchema = z.object({ claimId: SubmitClaimInputSchema.shape.claimId, payerId: IdSchema });
export type GetClaimStatusInput = z.infer<typeof GetClaimStatusInputSchema>;

export interface ClaimStatusResult {
  statusCategory: ClaimStatusCategory;
  statusCode: string;
  effectiveDate: string;
  paidCents?: number;
}

export const ListRemittancesInputSchema = z.object({ since: IsoDateTimeSchema });
export type ListRemittancesInput = z.infer<typeof ListRemittancesInputSchema>;

export interface RemittanceFileRef {
  fileId: string;
  createdAt: string;
}

export const FetchRemittanceInputSchema = z.object({ fileId: IdSchema });
export type FetchRemittanceInput = z.infer<typeof FetchRemittanceInputSchema>;

export interface RemittanceFile {
  fileId: string;
  /** Raw X12 835 text, parsed by src/domain/x12. */
  content: string;
}

/** The activity surface registered on workers; workflows use `proxyActivities<PayerActivities>()`. */
export interface PayerActivities {
  checkEligibility(input: CheckEligibilityInput): Promise<EligibilityResult>;
  submitPriorAuth(input: SubmitPriorAuthInput): Promise<SubmitPriorAuthResult>;
  fetchPriorAuthDecision(input: FetchPriorAuthDecisionInput): Promise<PriorAuthDecision | null>;
  /** the claim plus coded 837 facts (plan type, refs, COB): x837Schema.ts */
  submitClaim(input: ClaimSubmission): Promise<ClaimAcknowledgement>;
  getClaimStatus(input: GetClaimStatusInput): Promise<ClaimStatusResult>;
  listRemittances(input: ListRemittancesInput): Promise<RemittanceFileRef[]>;
  fetchRemittance(input: FetchRemittanceInput): Promise<RemittanceFile>;
}
