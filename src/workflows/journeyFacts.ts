import type { CodingReviewInput, EligibilityResult, ServiceLine } from '../domain';
import type { ClaimLifecycleResult } from './claimLifecycle';
import type { PatientBalanceResult } from './patientBalance';
import type { PriorAuthResult } from './priorAuth';
import type { JourneyOutcome } from './journeyState';
import type { PendingApproval, RecordedDecision } from './approvals';

/**
 * What the journey has learned, stage by stage: coded facts only (no names, notes or member ids). Typed so every
 * stage reads what an earlier one wrote without casts; serialisable so continue-as-new carries it.
 */
export interface JourneyFacts {
  referralSubmitted?: boolean;
  eligibility?: Pick<EligibilityResult, 'status' | 'authRequired' | 'copayCents' | 'deductibleRemainingCents' | 'coinsuranceBasisPoints'>;
  priorAuthAttempts?: number;
  auth?: PriorAuthResult | { outcome: 'not_required' };
  /** self-pay / uninsured (planType self_pay): no eligibility, prior auth or 837; the patient is billed directly */
  selfPay?: boolean;
  /** No Surprises Act good-faith estimate given at scheduling (45 CFR 149.610) */
  gfe?: { required: boolean; gfeCents: number; dueDate?: string; leadBusinessDays: number };
  /** when and for which date of service eligibility was last verified */
  eligibilityCheckedAt?: string;
  eligibilityCheckedFor?: string;
  appointmentsSeen?: number;
  appointmentAt?: string;
  encounter?: { encounterId: string; serviceDate: string; notesRef?: string };
  services?: ServiceLine[];
  coding?: { label: string; confidence: number; modelId: string; modelVersion: string };
  codingReviewPending?: boolean;
  codingReview?: CodingReviewInput;
  /** a biller asked for changes: the next coding pass goes to a human coder with this reason, whatever the AI says */
  codingReviewRequested?: { actorId: string; reason?: string };
  preparerId?: string;
  /** the claim id whose draft invoice is waiting for (or got) its release decision */
  draftClaimId?: string;
  pendingApproval?: PendingApproval;
  decision?: RecordedDecision;
  cancelRequest?: { actorId?: string; role?: string; reason?: string };
  newClaimRequired?: boolean;
  /** the next claim replaces a rejected/denied one: frequency 7 + REF*F8, or a new original (issue 12) */
  nextClaim?: { frequencyCode: '1' | '7'; payerClaimControlNumber?: string; reason: string };
  /** a coder must correct the claim before it goes out again (payer_adjudication, after a rejection / CO-16) */
  claimCorrectionPending?: boolean;
  /** replacement claims (frequency 7) sent under an existing claim id */
  replacements?: number;
  /** claim ids sent to the payer (the corrected-claim budget counts these, not drafts) */
  submittedClaims?: string[];
  /** each claim's adjudication result, committed once when its child returns */
  claimResults?: Record<string, ClaimLifecycleResult>;
  /** the secondary payer's adjudication of each primary claim (coordination of benefits), committed once */
  secondaryResults?: Record<string, ClaimLifecycleResult>;
  balanceAttempts?: number;
  /** the patient-balance result, committed once when the child returns */
  balanceResult?: PatientBalanceResult;
  breaches?: string[];
  outcome?: JourneyOutcome['state'];
}
