import { localDate, secondaryClaimIdFor } from '../../domain';
import type { ClaimLifecycleResult } from '../claimLifecycle';
import type { StageContext } from './context';
import { runClaimChild } from './claimChild';

/** CLP02 a journey with two coverages lets its primary claim take: processed as primary (and crossed over), denied, reversed… */
export const PRIMARY_STATUSES = ['1', '4', '19', '20', '21', '22', '23', '25'];
/** …and what its secondary claim takes: processed as secondary or tertiary, denied, reversed. */
export const SECONDARY_STATUSES = ['2', '3', '4', '22'];

/**
 * Does the paid primary claim go on to the next payer (DOMAIN.md "Clarifications (second pass)", coordination of
 * benefits)? When the referral has a second coverage and the patient still owes a share, or whenever the primary
 * says it forwarded the claim (CLP02 19/20/21): the patient is not billed until the secondary answers.
 */
export function goesToNextPayer({ rt }: Pick<StageContext, 'rt'>, primary: ClaimLifecycleResult): boolean {
  if (primary.outcome !== 'paid') return false;
  if (primary.forwardedToNextPayer) return true;
  return rt.referral.secondaryCoverage !== undefined && primary.patientResponsibilityCents > 0;
}

/**
 * The secondary payer's claim: an 837P with the primary's adjudication (2320/2330 loops) unless the primary crossed
 * it over, then its own adjudication in a claim-lifecycle child. Its 835 recomputes the patient's share — the
 * journey's balance follows from the ledger (charge − both payers' payments − credits); OA-23 (the prior payer's
 * part) is informational and never credited again. The result is committed once, like the primary's.
 */
export async function adjudicateSecondary(ctx: StageContext, primaryClaimId: string, primary: ClaimLifecycleResult, commit: (claimId: string, result: ClaimLifecycleResult) => void): Promise<ClaimLifecycleResult> {
  const { rt, d, journeyId } = ctx;
  const r = rt.referral;
  const crossover = primary.forwardedToNextPayer === true;
  const claimId = crossover ? primaryClaimId : secondaryClaimIdFor(primaryClaimId);
  const done = d.facts.secondaryResults?.[primaryClaimId];
  if (done) return done;
  if (!(d.secondaryClaimIds ?? []).includes(claimId) && claimId !== primaryClaimId) d.secondaryClaimIds = [...(d.secondaryClaimIds ?? []), claimId];
  const payerId = r.secondaryCoverage?.payerId ?? r.payerId;
  rt.record(crossover ? 'patient billing held: the primary forwarded the claim (crossover)' : 'patient billing held: billing the secondary payer', {
    actor: `payer:${r.payerId}`,
    detail: `${claimId} to ${payerId}; patient share so far ${primary.patientResponsibilityCents} cents`,
  });
  rt.setAwaiting(`secondary payer adjudication of ${claimId} (child workflow)`);
  rt.publish();
  const auth = d.facts.auth && 'authNumber' in d.facts.auth ? d.facts.auth : undefined;
  const result = await runClaimChild(ctx, {
    workflowId: `${journeyId}/claim/${claimId}${crossover ? '/crossover' : ''}`,
    staticSummary: `Secondary claim ${claimId} · payer ${payerId}`,
    input: {
      payerId,
      planType: r.secondaryCoverage?.planType ?? r.planType,
      claimId,
      invoiceId: d.ledger.invoiceId!,
      memberRef: r.patientRef,
      serviceDate: d.facts.encounter!.serviceDate,
      lines: d.facts.services ?? [],
      priorAuthNumber: auth?.authNumber,
      frequencyCode: '1',
      crossover,
      acceptStatuses: SECONDARY_STATUSES,
      coordination: {
        primaryPayerId: r.payerId,
        primaryPlanType: r.planType,
        primaryClaimId,
        primaryPaidCents: primary.paidCents,
        adjudicationDate: primary.adjudication?.date ?? localDate(Date.now(), rt.slaContext.calendar.timeZone),
        claimAdjustments: primary.adjudication?.adjustments ?? [],
      },
    },
    takesRemittance: (m) => m.patientControlNumber === claimId && SECONDARY_STATUSES.includes(m.status),
  });
  d.facts.secondaryResults = { ...(d.facts.secondaryResults ?? {}), [primaryClaimId]: result };
  commit(claimId, result);
  rt.record(`secondary payer ${result.outcome}`, { actor: `payer:${payerId}`, detail: `paid ${result.paidCents}; patient share now ${rt.balanceCents} cents` });
  return result;
}
