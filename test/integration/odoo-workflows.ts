/**
 * Test-only workflow driving the Odoo activities through a real worker with a short retry interval, so
 * injected faults (5xx, resets, conflicts, timeouts after commit) are retried by Temporal.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { OdooActivities } from '../../src/activities/odoo/activities';

const odoo = proxyActivities<OdooActivities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '50ms', backoffCoefficient: 1.5, maximumInterval: '400ms', maximumAttempts: 200 },
});

export interface OdooJourneyInput {
  journeyId: string;
  siteId: string;
  patientRef: string;
  claimId: string;
  paymentMemo: string;
}

export interface OdooJourneyResult {
  partnerId: number;
  taskId: number;
  invoiceId: number;
  paymentId: number;
  ticketId: number;
  messageId: number;
  residualCents: number;
}

/** Seven Odoo activity calls: partner, intake task, draft invoice, post, payment, ticket, chatter. */
export async function odooBillingJourney(input: OdooJourneyInput): Promise<OdooJourneyResult> {
  const { partnerId } = await odoo.upsertPatientPartner({ patientRef: input.patientRef, siteId: input.siteId });
  const { taskId } = await odoo.createIntakeTask({ journeyId: input.journeyId, siteId: input.siteId, referralId: input.claimId, checklist: ['Referral letter'] });
  const { invoiceId } = await odoo.createDraftInvoice({
    claimId: input.claimId,
    partnerId,
    journeyId: input.journeyId,
    lines: [{ code: '99213', description: 'Office visit', quantity: 1, priceCents: 12_000 }],
  });
  await odoo.postInvoice({ invoiceId });
  const payment = await odoo.registerPayment({ invoiceId, amountCents: 9_000, memo: input.paymentMemo, date: '2026-03-02' });
  const { ticketId } = await odoo.openTicket({ journeyId: input.journeyId, queue: 'patient-balance', title: 'Balance due', description: 'Statement cycle 1', priority: 'normal' });
  const { messageId } = await odoo.postChatter({ resModel: 'account.move', resId: invoiceId, body: 'Payment posted from 835', key: `${input.journeyId}:pay` });
  return { partnerId, taskId, invoiceId, paymentId: payment.paymentId, ticketId, messageId, residualCents: payment.residualCents };
}
