import { createJourneyClient, type JourneyClient } from '../../src/client/journeyClient';
import { cashPostingWorkflowId, type cashPosting } from '../../src/workflows/cashPosting';
import { driveToPayer } from '../support/drive';
import { startJourneyHarness, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { recon835, uniqueTrace } from '../support/reconRemits';

/**
 * Issue 11: what an 835 leaves to cash posting besides claim payments — PLB lines posted to their own Odoo payments
 * (once, even when the file comes twice), a recoupment's ticket on the journey of the claim it names, and a
 * quarantined (unbalanced) transaction in front of the cash-posting team. Dev server, Odoo emulator over JSON-RPC.
 */
describe('cash posting of provider-level adjustments and quarantines (dev server)', () => {
  let h: JourneyHarness;
  let journeys: JourneyClient;

  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
  });
  afterAll(async () => h?.close());

  const plbPayments = (trace: string) =>
    (h.odoo.store.search('account.payment', [['ref', '=like', `PLB|${trace}|%`]], ['ref', 'amount', 'payment_type', 'state', 'reconciled_invoice_ids']) as {
      ref: string;
      amount: number;
      payment_type: string;
      state: string;
      reconciled_invoice_ids: number[];
    }[]).sort((a, b) => a.ref.localeCompare(b.ref));
  const tickets = (pattern: string) => h.odoo.store.search('helpdesk.ticket', [['name', 'ilike', pattern]], ['name', 'priority']) as { name: string }[];

  it('posts a WO recoupment out, L6 interest in, sends CS to review, tickets the claim journey — once, and the ledger still matches', async () => {
    await h.withWorker(async () => {
      journeys = createJourneyClient({ client: h.client, taskQueueFor: () => h.taskQueue });
      const { handle, claimId } = await driveToPayer(h, 50_000);
      const trace = uniqueTrace('PLB');
      // An earlier overpayment on our claim is taken back (WO, PLB03-2 = our CLP01); interest is paid (negative PLB04).
      const file = recon835(trace, [{ claimId: 'FOREIGN-PLB-1', paidCents: 10_000 }], [
        { reason: 'WO', reference: claimId, amountCents: 2_500 },
        { reason: 'L6', amountCents: -123 },
        { reason: 'CS', reference: 'ADJ1', amountCents: 50 },
      ]);
      const first = await journeys.ingestRemittance(file);
      expect(first).toMatchObject({ cashPosting: 1, unbalanced: 0 });

      const run = h.client.workflow.getHandle<typeof cashPosting>(cashPostingWorkflowId(trace, '0001'));
      const result = await run.result();
      expect(result.posted).toEqual([
        { memo: `PLB|${trace}|0001|0|WO`, direction: 'outbound', amountCents: 2_500, kind: 'recoupment' },
        { memo: `PLB|${trace}|0001|1|L6`, direction: 'inbound', amountCents: 123, kind: 'interest' },
      ]);
      expect(result.tickets).toBe(2);
      const payments = plbPayments(trace);
      expect(payments.map((p) => [p.ref, p.payment_type, Math.round(p.amount * 100), p.state])).toEqual([
        [`PLB|${trace}|0001|0|WO`, 'outbound', 2_500, 'posted'],
        [`PLB|${trace}|0001|1|L6`, 'inbound', 123, 'posted'],
      ]);
      // provider-level: never applied to the claim's invoice
      expect(payments.every((p) => (p.reconciled_invoice_ids ?? []).length === 0)).toBe(true);
      const recoupTicket = h.odoo.store.search('helpdesk.ticket', [['name', 'ilike', `recoupment on claim ${claimId}`]], ['name', 'description']) as { description: string }[];
      expect(recoupTicket).toHaveLength(1);
      expect(tickets(`PLB CS to review (${trace})`)).toHaveLength(1);

      // The same file again (a re-sent 835): no second workflow, no second payment or ticket.
      const again = await journeys.ingestRemittance(file);
      expect(again.cashPosting ?? 0).toBe(0);
      expect(plbPayments(trace)).toHaveLength(2);
      expect(h.odoo.store.search('helpdesk.ticket', [['name', 'ilike', `recoupment on claim ${claimId}`]], ['id'])).toHaveLength(1);

      // The journey's own money is untouched by provider-level lines.
      await expectLedgerMatchesOdoo(handle, h.odoo);
      await handle.terminate('test done');
    });
  });

  it('an unbalanced transaction opens one cash-posting ticket and posts nothing', async () => {
    await h.withWorker(async () => {
      journeys = createJourneyClient({ client: h.client, taskQueueFor: () => h.taskQueue });
      const trace = uniqueTrace('QRT');
      const balanced = recon835(trace, [{ claimId: 'FOREIGN-Q-1', paidCents: 8_000 }], [{ reason: 'L6', amountCents: -100 }]);
      const unbalanced = balanced.replace(/BPR\*I\*81\.00\*C\*/, 'BPR*I*91.00*C*');
      expect(unbalanced).not.toBe(balanced);
      const summary = await journeys.ingestRemittance(unbalanced);
      expect(summary).toMatchObject({ quarantined: 1, delivered: 0, cashPosting: 1 });
      const result = await h.client.workflow.getHandle<typeof cashPosting>(cashPostingWorkflowId(trace, '0001')).result();
      expect(result).toEqual({ posted: [], tickets: 1 });
      const ticket = h.odoo.store.search('helpdesk.ticket', [['name', '=', `[remit/${trace}/0001] cash_posting_team: Unbalanced 835 ${trace} quarantined`]], ['description', 'priority']) as { description: string; priority: string }[];
      expect(ticket).toHaveLength(1);
      expect(ticket[0].description).toMatch(/difference 1000 cents.*Claims held: FOREIGN-Q-1/);
      expect(plbPayments(trace)).toHaveLength(0);
    });
  });
});
