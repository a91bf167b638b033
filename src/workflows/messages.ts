import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AppointmentScheduled,
  CancelRequest,
  ClaimStatus,
  CodingReviewInput,
  DecisionInput,
  DocumentReceived,
  EligibilityResult,
  HoldRequest,
  PatientDispute,
  PatientPayment,
  PayerMessage,
  PriorAuthDecision,
  Referral,
  RemittanceMessage,
  ResumeRequest,
  ServiceCompleted,
  WriteOffDecisionInput,
} from '../domain';
import type { JourneyStatus, TimelineEntry } from './journeyState';

/**
 * Every message the referral journey takes, defined once. Signals carry external facts (each has a messageId; a
 * repeated delivery is ignored). Updates carry human decisions and return a receipt, or a validation failure that
 * changes nothing. Queries read the journey without changing it.
 */

// External facts (payer, EHR, scheduling, patient).
export const eligibilityResult = defineSignal<[EligibilityResult]>('eligibilityResult');
export const priorAuthDecision = defineSignal<[PriorAuthDecision]>('priorAuthDecision');
export const appointmentScheduled = defineSignal<[AppointmentScheduled]>('appointmentScheduled');
export const serviceCompleted = defineSignal<[ServiceCompleted]>('serviceCompleted');
export const documentReceived = defineSignal<[DocumentReceived]>('documentReceived');
export const claimStatus = defineSignal<[ClaimStatus]>('claimStatus');
export const remittance = defineSignal<[RemittanceMessage]>('remittance');
export const patientPayment = defineSignal<[PatientPayment]>('patientPayment');
export const patientDispute = defineSignal<[PatientDispute]>('patientDispute');

/** What an update returns when it changed the journey (or recognised a duplicate). */
export interface DecisionReceipt {
  accepted: true;
  duplicate?: boolean;
  stage: string;
  detail?: string;
}

// Intake and payer messages by update (used with update-with-start so early messages are never lost).
export const submitReferral = defineUpdate<DecisionReceipt, [Referral]>('submitReferral');
export const deliverPayerMessage = defineUpdate<DecisionReceipt, [PayerMessage]>('deliverPayerMessage');

// Human decisions (validated: role, amount limit, requester ≠ approver, reason where required).
export const approve = defineUpdate<DecisionReceipt, [DecisionInput]>('approve');
export const reject = defineUpdate<DecisionReceipt, [DecisionInput]>('reject');
export const requestChanges = defineUpdate<DecisionReceipt, [DecisionInput]>('requestChanges');
export const completeCodingReview = defineUpdate<DecisionReceipt, [CodingReviewInput]>('completeCodingReview');
export const decideWriteOff = defineUpdate<DecisionReceipt, [WriteOffDecisionInput]>('decideWriteOff');

// Operator controls in every stage.
export const hold = defineUpdate<DecisionReceipt, [HoldRequest]>('hold');
export const resume = defineUpdate<DecisionReceipt, [ResumeRequest]>('resume');
export const cancel = defineUpdate<DecisionReceipt, [CancelRequest]>('cancel');

// Reads.
export const status = defineQuery<JourneyStatus>('status');
export const timeline = defineQuery<TimelineEntry[]>('timeline');
