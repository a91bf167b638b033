import { reconciliation } from '../../src/workflows/reconciliation';
import { foreign835 } from '../support/remits';
import { startJourneyHarness, type JourneyHarness } from '../support/journeyHarness';

/** The scheduled reconciliation: 835 claim payments at the payer vs payments registered in Odoo, per claim. */
describe('reconciliation workflow (dev server, Odoo and payer emulators)', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
  });
  afterAll(async () => h?.close());

  it('opens one exception per mismatch: amount differs, or a remittance for a claim we never invoiced', async () => {
    const a = h.activities;
    const matched = `RC-RECON-${Date.now()}`;
    const { partnerId } = await a.upsertPatientPartner({ patientRef: 'PT-RECON-1', siteId: 'site-a' });
    const invoice = await a.createDraftInvoice({ claimId: matched, partnerId, journeyId: 'referral/site-a/recon', lines: [{ code: '99213', description: '99213', quantity: 1, priceCents: 10_000 }] });
    await a.postInvoice({ invoiceId: invoice.invoiceId });
    await a.registerPayment({ invoiceId: invoice.invoiceId, amountCents: 5_000, memo: `EFTRECON/${matched}`, date: new Date().toISOString().slice(0, 10) });
    h.payer.control.addRemittance(foreign835(matched)); // pays 80.00 where Odoo registered 50.00
    h.payer.control.addRemittance(foreign835('RC-NEVER-BILLED')); // no invoice at all

    const result = await h.withWorker(() =>
      h.client.workflow.execute(reconciliation, { taskQueue: h.taskQueue, workflowId: `reconcile-test-${Date.now()}`, args: [{ siteId: 'site-a', periodDays: 30 }] }),
    );
    expect(result.remittanceFiles).toBeGreaterThanOrEqual(2);
    expect(result.mismatches).toEqual(
      expect.arrayContaining([
        { claimId: matched, kind: 'amount_mismatch', remittedCents: 8_000, registeredCents: 5_000 },
        { claimId: 'RC-NEVER-BILLED', kind: 'no_invoice', remittedCents: 8_000, registeredCents: 0 },
      ]),
    );
    expect(h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', 'reconciliation']])).toBe(2);
  });
});
