import type { PatientPayment, RemittanceMessage } from '../domain';
import type { JourneyLinks } from './journeyHandlers';
import type { JourneyRuntime } from './journeyRuntime';

/**
 * Money messages (835 claim payments, patient payments) are never dropped: each is applied by the child that owns
 * it (claim lifecycle, patient balance) or, when nothing will apply it any more — a remittance for a claim whose
 * child has finished, a patient payment after the balance cycle, anything left when the journey closes — it opens
 * a cash-posting exception with a ticket, once per message.
 */
export const CASH_POSTING_QUEUE = 'cash_posting_team';

export const remittanceKey = (m: RemittanceMessage) => `remittances:${m.messageId}`;
export const paymentKey = (m: PatientPayment) => `payments:${m.messageId}`;

export function isConsumed(rt: JourneyRuntime, key: string): boolean {
  return rt.data.consumed.includes(key);
}

export function markConsumed(rt: JourneyRuntime, keys: string[]): void {
  for (const key of keys) if (!rt.data.consumed.includes(key)) rt.data.consumed.push(key);
}

/** Will a running or a future child still apply this remittance? */
function remittancePending(rt: JourneyRuntime, links: JourneyLinks, m: RemittanceMessage): boolean {
  const d = rt.data;
  const current = d.claimIds[d.claimIds.length - 1];
  if (links.remittances.attached && m.patientControlNumber === current) return true;
  // A claim not yet at the payer: its claim child takes the remittance in its input when it starts.
  return !(d.facts.submittedClaims ?? []).includes(m.patientControlNumber) && !d.facts.outcome;
}

function paymentPending(rt: JourneyRuntime, links: JourneyLinks): boolean {
  return links.payments.attached || (rt.data.facts.balanceResult === undefined && !rt.data.facts.outcome);
}

/** Open a cash-posting exception (with its ticket) for every money message nothing will apply; `all` at close. */
export async function sweepUnappliedMoney(rt: JourneyRuntime, links: JourneyLinks, all = false): Promise<void> {
  const d = rt.data;
  for (const m of d.inbox.remittances) {
    const key = remittanceKey(m);
    if (isConsumed(rt, key) || (!all && remittancePending(rt, links, m))) continue;
    markConsumed(rt, [key]);
    await rt.openException(CASH_POSTING_QUEUE, `unapplied remittance for ${m.patientControlNumber} (CLP02 ${m.status}, paid ${m.paidCents})`, {
      ref: m.messageId,
      priority: 'high',
      title: `Unapplied remittance ${m.messageId}`,
      description: `Journey ${d.journeyId} at stage ${d.stage} received remittance ${m.messageId} for claim ${m.patientControlNumber} that no claim workflow will post: post or refund it in Odoo.`,
    });
  }
  for (const p of d.inbox.payments) {
    const key = paymentKey(p);
    if (isConsumed(rt, key) || (!all && paymentPending(rt, links))) continue;
    markConsumed(rt, [key]);
    await rt.openException(CASH_POSTING_QUEUE, `unapplied patient payment of ${p.amountCents} cents`, {
      ref: p.messageId,
      priority: 'high',
      title: `Unapplied patient payment ${p.messageId}`,
      description: `Journey ${d.journeyId} at stage ${d.stage} received patient payment ${p.messageId} after the balance cycle: apply or refund it in Odoo.`,
    });
  }
}
