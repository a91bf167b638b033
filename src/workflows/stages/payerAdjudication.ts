import type { ClaimLifecycleResult } from '../claimLifecycle';
import { markConsumed, remittanceKey, sweepUnappliedMoney } from '../moneyInbox';
import { approveWriteOff, writeOff } from './writeOff';
import type { StageContext } from './context';
import { adjudicateSecondary, goesToNextPayer, PRIMARY_STATUSES } from './secondaryClaim';
import { isPatched } from '../runtime/patchLevel';
import { runClaimChild } from './claimChild';

/** Issue 11/12: a second coverage (or a crossover) is billed before the patient. */
export const PATCH_SECONDARY_COVERAGE = 'secondary-coverage';

/** Payer submissions (not drafts) after which an unprocessable claim's balance goes to write-off approval. */
export const MAX_CLAIM_SUBMISSIONS = 3;

/** Claims sent so far: originals by claim id, plus replacements (frequency 7) that keep their claim's id. */
const submissionsSoFar = (d: StageContext['d']): number => (d.facts.submittedClaims ?? []).length + (d.facts.replacements ?? 0);

/**
 * Stage 9: the claim-lifecycle child submits the claim, posts each remittance once and routes denials. Its result
 * is the money commit point: the payments and credits it made in Odoo enter the journey's ledger by business key,
 * once, and a rerun after a hold reuses the committed result instead of asking the payer again.
 */
export async function payerAdjudication(ctx: StageContext): Promise<void> {
  const { rt, d, links } = ctx;
  const claimId = d.claimIds[d.claimIds.length - 1];
  const result = d.facts.claimResults?.[claimId] ?? (await adjudicate(ctx, claimId));
  // The patient's share waits for the next payer; money a secondary sends is applied by its claim, not swept.
  if (goesToNextPayer(ctx, result) && isPatched(PATCH_SECONDARY_COVERAGE)) await adjudicateSecondary(ctx, claimId, result, (id, r) => commitClaimResult(rt, id, r, false));
  await sweepUnappliedMoney(rt, links);

  if (result.pendingContractual && !d.ledger.credits.some((c) => c.key === result.pendingContractual!.key)) {
    // A contractual adjustment above the auto limit is credited only once approved (never counted before).
    const { approved, by } = await approveWriteOff(ctx, { ...result.pendingContractual, why: `contractual adjustment above the auto limit on ${claimId}`, kind: 'contractual' });
    if (!approved) {
      await rt.transition('closed_with_balance', by);
      return;
    }
  }
  switch (result.outcome) {
    case 'paid':
      await rt.transition(rt.balanceCents > 0 ? 'patient_balance_due' : 'claim_paid', { detail: `paid ${result.paidCents}` });
      return;
    case 'new_claim_required':
      // CO-16 + MA130: unprocessable, submit a new claim (no appeal) — back through claim submission.
      if (submissionsSoFar(d) >= MAX_CLAIM_SUBMISSIONS) {
        await writeOff(ctx, result.openCents + result.patientResponsibilityCents, `no clean claim after ${submissionsSoFar(d)} submissions`);
        return;
      }
      // A rejection or a CO-16 asking for a fix: a coder corrects the claim first (a human step, under the coding SLA).
      if (result.correction) await correctClaim(ctx, result.correction);
      else d.facts.nextClaim = undefined;
      d.facts.newClaimRequired = true;
      await rt.transition('claim_rejected', { detail: result.detail });
      return;
    case 'write_off_required':
      await writeOff(ctx, result.openCents, result.detail ?? 'denial not recoverable');
      return;
  }
}

async function adjudicate(ctx: StageContext, claimId: string): Promise<ClaimLifecycleResult> {
  const { rt, d, journeyId } = ctx;
  const r = rt.referral;
  const services = d.facts.services ?? [];
  const auth = d.facts.auth && 'authNumber' in d.facts.auth ? d.facts.auth : undefined;
  if (!(d.facts.submittedClaims ?? []).includes(claimId)) d.facts.submittedClaims = [...(d.facts.submittedClaims ?? []), claimId];
  rt.setAwaiting(`payer adjudication of ${claimId} (child workflow)`);
  const result = await runClaimChild(ctx, {
    workflowId: `${journeyId}/claim/${claimId}`,
    staticSummary: `Claim ${claimId} · payer ${r.payerId}`,
    input: {
      payerId: r.payerId,
      planType: r.planType,
      claimId,
      invoiceId: d.ledger.invoiceId!,
      memberRef: r.patientRef,
      serviceDate: d.facts.encounter!.serviceDate,
      lines: services,
      priorAuthNumber: auth?.authNumber,
      frequencyCode: d.facts.nextClaim?.frequencyCode ?? '1',
      ...(d.facts.nextClaim?.payerClaimControlNumber ? { payerClaimControlNumber: d.facts.nextClaim.payerClaimControlNumber } : {}),
      // with a second coverage the secondary's 835s (CLP02 2/3) on a crossed-over claim are not the primary's
      ...(r.secondaryCoverage ? { acceptStatuses: PRIMARY_STATUSES } : {}),
    },
    takesRemittance: (m) => m.patientControlNumber === claimId,
  });
  commitClaimResult(rt, claimId, result);
  return result;
}

/** The money commit point of a claim: its Odoo payments and credits enter the ledger by key, once. */
function commitClaimResult(rt: StageContext['rt'], claimId: string, result: ClaimLifecycleResult, primary = true): void {
  const d = rt.data;
  // a secondary's result is kept in facts.secondaryResults (a crossover shares the primary's claim id)
  if (primary) d.facts.claimResults = { ...(d.facts.claimResults ?? {}), [claimId]: result };
  // Results of older builds carry totals only: book them under the claim's key so the ledger still adds up.
  const payments = result.payments ?? (result.paidCents > 0 ? [{ memo: `${claimId}/paid`, amountCents: result.paidCents }] : []);
  const credits = result.credits ?? (result.contractualCents > 0 ? [{ key: `${claimId}/CO`, amountCents: result.contractualCents }] : []);
  for (const p of payments) rt.commitPayment({ ...p, source: 'payer' });
  for (const c of credits) rt.commitCredit({ ...c, kind: 'contractual' });
  const applied = result.appliedMessageIds
    ? new Set(result.appliedMessageIds)
    : new Set(d.inbox.remittances.filter((m) => m.patientControlNumber === claimId).map((m) => m.messageId));
  markConsumed(rt, d.inbox.remittances.filter((m) => applied.has(m.messageId)).map(remittanceKey));
  rt.publish();
}

/**
 * The corrected-claim step (issue 12): the rejection's exception stays open while a coder corrects the claim through
 * the coding-review update; the next claim then goes out as a replacement (7 + REF*F8) or a new original (1).
 */
async function correctClaim({ rt, d }: StageContext, correction: NonNullable<ClaimLifecycleResult['correction']>): Promise<void> {
  d.facts.nextClaim = { frequencyCode: correction.frequencyCode, ...(correction.payerClaimControlNumber ? { payerClaimControlNumber: correction.payerClaimControlNumber } : {}), reason: correction.reason };
  if (!d.facts.claimCorrectionPending) {
    d.facts.claimCorrectionPending = true;
    d.facts.codingReviewPending = true;
    d.facts.codingReview = undefined;
    if (correction.cause === 'denial') await rt.openException('claim_rejection', `${correction.reason}: correct the claim`, { ticket: 'none' });
  }
  await rt.waitFor('claim correction by a coder', () => d.facts.codingReview !== undefined, rt.stageLadder('coding'));
  const review = d.facts.codingReview!;
  if (review.outcome === 'corrected' && review.services) d.facts.services = review.services;
  d.facts.codingReviewPending = false;
  d.facts.claimCorrectionPending = false;
  await rt.closeException('claim_rejection');
  rt.record(`corrected claim ready (frequency ${correction.frequencyCode})`, { actor: review.actorId, detail: correction.payerClaimControlNumber ? `REF*F8 ${correction.payerClaimControlNumber}` : correction.reason });
}
