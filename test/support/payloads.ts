import type { EligibilityResult } from '../../src/domain';

/** An active commercial eligibility answer, as a payer message payload. */
export function activeEligibility(messageId: string): EligibilityResult {
  return {
    messageId,
    status: 'active',
    planType: 'commercial',
    authRequired: false,
    copayCents: 2_500,
    deductibleRemainingCents: 0,
    coinsuranceBasisPoints: 2_000,
    checkedAt: new Date().toISOString(),
  };
}
