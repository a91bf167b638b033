import { claimIdFor, localDate, timelyFilingLadder } from '../../domain';
import { odoo } from '../proxies';
import type { StageContext } from './context';
import { isSelfPay } from './selfPay';

/**
 * Stage 8: post the invoice (from here money is in flight and the journey can no longer be cancelled) and hand the
 * claim to the payer. A new claim after an unprocessable one (CO-16 + MA130) gets a new claim id on the same
 * receivable. The timely-filing clock raises an exception when its deadline is near.
 */
export async function claimSubmission(ctx: StageContext): Promise<void> {
  const { rt, d } = ctx;
  const r = rt.referral;
  if (isSelfPay(ctx)) {
    // Self-pay: the posted invoice is the patient's bill; no 837 (issue 11).
    await odoo.postInvoice({ invoiceId: d.ledger.invoiceId! });
    rt.record('invoice posted', { detail: 'self-pay: billed to the patient' });
    await rt.transition('self_pay_billed', { detail: `${rt.balanceCents} cents` });
    return;
  }
  if (d.facts.newClaimRequired) {
    d.facts.newClaimRequired = false;
    if (d.facts.nextClaim?.frequencyCode === '7') {
      // A replacement (7) keeps the claim's id: the payer matches it to the claim it replaces by REF*F8; the
      // earlier result is history, and each replacement counts against the submission budget.
      const current = d.claimIds[d.claimIds.length - 1];
      const { [current]: _replaced, ...rest } = d.facts.claimResults ?? {};
      d.facts.claimResults = rest;
      d.facts.replacements = (d.facts.replacements ?? 0) + 1;
    } else {
      d.claimAttempt++;
      d.claimIds = [...d.claimIds, claimIdFor(r.siteId, r.referralId, d.claimAttempt)];
    }
  }
  const claimId = d.claimIds[d.claimIds.length - 1];
  await odoo.postInvoice({ invoiceId: d.ledger.invoiceId! });
  rt.record('invoice posted', { detail: `claim ${claimId}` });
  const filing = timelyFilingLadder({ planType: r.planType, serviceDate: d.facts.encounter!.serviceDate }, rt.slaContext);
  if (filing && Date.now() >= filing.dueAt) {
    // the last on-time date at the site, not the UTC date of the breach instant (that is the next day)
    const last = filing.deadlineDate ?? localDate(filing.breachAt, rt.slaContext.calendar.timeZone);
    await rt.openException('timely_filing', `timely filing deadline ${last} approaching`);
  }
  await rt.transition('claim_submitted', { detail: claimId });
}
