import { claimFamilyOf } from '../../src/domain/ids';
import { reconciliation, type ReconciliationMismatch } from '../../src/workflows/reconciliation';
import { bookAndServe, releaseClaim, sampleReferral, settleAfterPosting, startJourneyHarness, waitForStatus, type JourneyHarness } from '../support/journeyHarness';

/**
 * Reconciliation over what a real journey wrote to Odoo (time-skipping server, emulators over HTTP): a claim denied
 * CO-16 + MA130, resubmitted as attempt 2 and paid, leaves nothing to reconcile — no no_invoice for the attempt-2
 * claim id (the invoice keeps attempt 1's), no amount or deposit mismatch.
 */
describe('reconciliation of a journey with a resubmitted claim', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterAll(async () => h?.close());

  it('finds the journey\'s money in Odoo per claim family and per deposit', async () => {
    const { first, second, files } = await h.withWorker(async () => {
      const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 120_000 }] });
      const handle = await h.start(referral);
      await bookAndServe(handle, 120_000, '99214');
      const first = await releaseClaim(handle);
      await h.claimAtPayer(first);
      const denial = await h.payer.control.adjudicate(first, { kind: 'deny', carc: '16', rarcs: ['MA130'] });
      await h.deliverRemittances(handle, [denial!.fileId]);
      const s = await waitForStatus(handle, (x) => x.claimIds.length === 2 && x.stage === 'payer_adjudication', 'second claim');
      const second = s.claimIds[1];
      await h.claimAtPayer(second);
      const paid = await h.payer.control.adjudicate(second, { kind: 'pay', allowedBasisPoints: 8000, deductibleCents: 0, copayCents: 0, coinsuranceBasisPoints: 0 });
      await h.deliverRemittances(handle, [paid!.fileId]);
      await settleAfterPosting(h, handle, 2);
      await waitForStatus(handle, (x) => x.stage === 'paid' || x.stage === 'patient_balance', 'claim settled');
      return { first, second, files: [denial!.fileId, paid!.fileId] };
    });
    expect(claimFamilyOf(second)).toBe(claimFamilyOf(first));
    expect(h.odoo.store.count('account.move', [['move_type', '=', 'out_invoice'], ['ref', '=', first]])).toBe(1);
    expect(h.odoo.store.count('account.move', [['ref', '=', second]])).toBe(0);

    const result = await h.withWorker(() =>
      h.client.workflow.execute(reconciliation, { taskQueue: h.taskQueue, workflowId: `reconcile-journey-${Date.now()}`, args: [{ siteId: 'site-a', periodDays: 2, toDate: new Date().toISOString().slice(0, 10) }] }),
    );
    expect(result.remittanceFiles).toBeGreaterThanOrEqual(files.length);
    const ours = (m: ReconciliationMismatch) => ('claimId' in m && claimFamilyOf(m.claimId) === claimFamilyOf(first)) || m.kind === 'deposit_mismatch';
    expect(result.mismatches.filter(ours)).toEqual([]);
    expect(result.claimsCompared).toBeGreaterThanOrEqual(1);
    expect(result.depositsCompared).toBeGreaterThanOrEqual(2);
  });
});
