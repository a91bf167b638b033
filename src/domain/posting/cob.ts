import type { Cents } from '../money';
import type { PostingPlan } from './plan';

/**
 * Coordination of benefits (DOMAIN.md "Clarifications (second pass)"): after the primary processed the claim
 * (CLP02 1 or 19/20/21) the secondary adjudicates what is left; its CLP05 is the patient's final share. The share is
 * recomputed from the secondary's remit, never added to the primary's (that would bill the patient twice).
 */
export interface PatientShare {
  /** what the patient owes now */
  patientCents: Cents;
  /** the patient's share is still waiting for the next payer (primary forwarded it, no secondary remit yet) */
  held: boolean;
  /** which remittance decided the share */
  decidedBy: 'primary' | 'secondary';
}

type SharePlan = Pick<PostingPlan, 'patientResponsibilityCents' | 'forwardedToNextPayer' | 'kind'>;

/**
 * The patient's share of a claim with an optional second coverage.
 * - secondary remit present → its patient responsibility (recomputed, not added);
 * - primary forwarded (19/20/21) or the referral has a second coverage → held until the secondary answers;
 * - otherwise the primary's patient responsibility.
 */
export function patientShare(primary: SharePlan, secondary?: SharePlan, opts: { hasSecondaryCoverage?: boolean } = {}): PatientShare {
  if (secondary && (secondary.kind === 'payment' || secondary.kind === 'denial')) {
    return { patientCents: secondary.patientResponsibilityCents, held: false, decidedBy: 'secondary' };
  }
  const held = primary.forwardedToNextPayer || opts.hasSecondaryCoverage === true;
  return { patientCents: primary.patientResponsibilityCents, held, decidedBy: 'primary' };
}
