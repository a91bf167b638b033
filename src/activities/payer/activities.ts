import type { PayerClient } from './client';
import { validInput } from './validate';
import {
  CheckEligibilityInputSchema,
  FetchPriorAuthDecisionInputSchema,
  FetchRemittanceInputSchema,
  GetClaimStatusInputSchema,
  ListRemittancesInputSchema,
  SubmitClaimInputSchema,
  SubmitPriorAuthInputSchema,
  type PayerActivities,
} from './types';

/**
 * Payer activities. Idempotency lives in the payer protocol: prior-auth submissions carry our authRequestId as the
 * PAS Claim.identifier and claims carry an Idempotency-Key derived from their content, so a retried activity returns
 * the original tracking id / acknowledgement instead of opening a second case.
 */
export function createPayerActivities(client: PayerClient): PayerActivities {
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

    async submitClaim(input) {
      return client.submitClaim(validInput(SubmitClaimInputSchema, input, 'submitClaim'));
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
