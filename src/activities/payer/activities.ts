import { FailureType, permanentFailure } from '../errors';
import type { PayerClient } from './client';
import { validInput } from './validate';
import {
  CheckEligibilityInputSchema,
  FetchPriorAuthDecisionInputSchema,
  FetchRemittanceInputSchema,
  GetClaimStatusInputSchema,
  ListRemittancesInputSchema,
  SubmitPriorAuthInputSchema,
  type PayerActivities,
} from './types';
import type { PatientDirectory } from './x837Patients';
import { ClaimSubmissionSchema, type ClaimDemographics, type ClaimSubmission } from './x837Schema';

export interface PayerActivityOptions {
  /** Where claim demographics come from; defaults to the client's (Odoo from ODOO_*). */
  patients?: PatientDirectory;
}

/**
 * Payer activities. Idempotency lives in the payer protocol: prior-auth submissions carry our authRequestId as the
 * PAS Claim.identifier and claims carry an Idempotency-Key derived from their content, so a retried activity returns
 * the original tracking id / acknowledgement instead of opening a second case.
 */
export function createPayerActivities(client: PayerClient, options: PayerActivityOptions = {}): PayerActivities & { submitClaim(input: ClaimSubmission): ReturnType<PayerActivities['submitClaim']> } {
  const patients = options.patients ?? client.patients;

  /** Subscriber (and dependent patient) demographics from the system of record; never logged or returned. */
  async function peopleOn(claim: { memberRef: string; patientRef?: string; subscriberRef?: string; patientRelationship?: string; cob?: { otherSubscriber: { subscriberRef?: string } } }): Promise<ClaimDemographics> {
    if (!patients) throw permanentFailure(FailureType.Validation, 'submitClaim: no patient source configured (ODOO_*): an 837P cannot be sent without the subscriber demographics');
    const directory = patients;
    const patientRef = claim.patientRef ?? claim.memberRef;
    const subscriberRef = claim.patientRelationship ? (claim.subscriberRef ?? patientRef) : patientRef;
    const otherRef = claim.cob ? (claim.cob.otherSubscriber.subscriberRef ?? subscriberRef) : undefined;
    // One read per distinct partner.
    const refs = [...new Set([subscriberRef, ...(claim.patientRelationship ? [patientRef] : []), ...(otherRef ? [otherRef] : [])])];
    const found = new Map(await Promise.all(refs.map(async (ref) => [ref, await directory.person(ref)] as const)));
    return {
      subscriber: found.get(subscriberRef)!,
      ...(claim.patientRelationship ? { patient: found.get(patientRef)! } : {}),
      ...(otherRef ? { otherSubscriber: found.get(otherRef)! } : {}),
    };
  }

  return {
    async checkEligibility(input) {
      return client.checkEligibility(validInput(CheckEligibilityInputSchema, input, 'checkEligibility'));
    },

    async submitPriorAuth(input) {
      const response = await client.submitPriorAuth(validInput(SubmitPriorAuthInputSchema, input, 'submitPriorAuth'));
      return {
        trackingId: response.trackingId,
        submittedAt: response.created ?? new Date().toISOString(),
        decision: response.decision,
      };
    },

    async fetchPriorAuthDecision(input) {
      const { trackingId } = validInput(FetchPriorAuthDecisionInputSchema, input, 'fetchPriorAuthDecision');
      const response = await client.fetchPriorAuth(trackingId);
      return response?.decision ?? null;
    },

    async submitClaim(input: ClaimSubmission) {
      // Frequency 7/8 without REF*F8, a dependent without its subscriber… are refused here, before any I/O.
      const claim = validInput(ClaimSubmissionSchema, input, 'submitClaim');
      return client.submitClaim(claim, await peopleOn(claim));
    },

    async getClaimStatus(input) {
      const { claimId, payerId } = validInput(GetClaimStatusInputSchema, input, 'getClaimStatus');
      return client.getClaimStatus(claimId, payerId);
    },

    async listRemittances(input) {
      const { since } = validInput(ListRemittancesInputSchema, input, 'listRemittances');
      return client.listRemittances(since);
    },

    async fetchRemittance(input) {
      const { fileId } = validInput(FetchRemittanceInputSchema, input, 'fetchRemittance');
      return client.fetchRemittance(fileId);
    },
  };
}
