import * as msg from '../../src/workflows/messages';
import { driveToPayer, payAllowed } from '../support/drive';
import { bookAndServe, sampleReferral, settleAfterPosting, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';

/**
 * Temporal's own cancellation (handle.cancel(), the UI's "Request Cancellation") must never wedge a journey: before
 * the billing release it cancels like the cancel update (draft voided, outcome, KPI); after it, money is at the
 * payer and the cancel becomes a hold with an exception an operator resolves.
 */
describe('native cancellation (dev server)', () => {
  // On the dev server: the time-skipping test server can wedge when a cancellation cancels timers and activities
  // (sdk-java#2391, #3088), and these tests skip no time.
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
  });
  afterAll(async () => h?.close());

  it('before the billing release: voids the draft invoice, closes as cancelled with its KPI and still answers status', async () => {
    await h.withWorker(async () => {
      const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 20_000 }] });
      const handle = await h.start(referral);
      await bookAndServe(handle, 20_000, '99214');
      await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');
      const { claimIds } = await handle.query(msg.status);
      await handle.cancel();
      const outcome = await handle.result();
      expect(outcome).toMatchObject({ state: 'cancelled', balanceCents: 0, paidCents: 0 });
      const [invoice] = h.odoo.store.search('account.move', [['ref', '=', claimIds[0]]], ['state']) as { state: string }[];
      expect(invoice.state).toBe('cancel');
      expect(h.kpi.events.filter((e) => e.name === 'journey_closed' && e.outcome === 'cancelled')).toHaveLength(1);
      const status = await handle.query(msg.status);
      expect(status).toMatchObject({ stage: 'cancelled', outcome: 'cancelled' });
      const timeline = await handle.query(msg.timeline);
      expect(timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['cancellation requested', 'draft invoice voided']));
      await expectLedgerMatchesOdoo(status, h.odoo);
    });
  });

  it('while waiting for the referral: closes as cancelled without touching Odoo', async () => {
    await h.withWorker(async () => {
      const handle = await h.client.workflow.start('referralJourney', {
        taskQueue: h.taskQueue,
        workflowId: `referral/site-a/EARLY${Date.now().toString(36)}`,
        args: [{ siteId: 'site-a', referralId: `EARLY${Date.now().toString(36)}` }],
      });
      await waitForStatus(handle, (s) => s.stage === 'awaiting_referral', 'awaiting referral');
      await handle.cancel();
      expect(await handle.result()).toMatchObject({ state: 'cancelled' });
    });
  });

  it('the cancel update before the claim is filed voids the draft invoice', async () => {
    await h.withWorker(async () => {
      const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 20_000 }] });
      const handle = await h.start(referral);
      await bookAndServe(handle, 20_000, '99214');
      const { claimIds } = await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'billing_release', 'draft invoice and release pending');
      await handle.executeUpdate(msg.cancel, { args: [{ actorId: 'ops-1', role: 'billing_supervisor', reason: 'patient withdrew consent for billing' }] });
      const outcome = await handle.result();
      expect(outcome.state).toBe('cancelled');
      const [invoice] = h.odoo.store.search('account.move', [['ref', '=', claimIds[0]]], ['state']) as { state: string }[];
      expect(invoice.state).toBe('cancel');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a cancel wakes a held journey: it stops without waiting for a resume', async () => {
    await h.withWorker(async () => {
      const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 20_000 }] });
      const handle = await h.start(referral);
      await waitForStage(handle, 'scheduling');
      await handle.executeUpdate(msg.hold, { args: [{ actorId: 'ops-1', role: 'billing_supervisor', reason: 'payer contract review' }] });
      await handle.executeUpdate(msg.cancel, { args: [{ actorId: 'ops-1', role: 'billing_supervisor', reason: 'patient moved away' }] });
      // cancel wakes a held journey: it does not wait for a resume to stop
      expect(await handle.result()).toMatchObject({ state: 'cancelled' });
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });
});

describe('native cancellation after the release (time-skipping server: the claim settles after its quiet period)', () => {
  let h: JourneyHarness;
  beforeEach(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterEach(async () => h?.close());

  it('after the billing release: becomes a hold with an exception; resume carries the journey on to paid', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 120_000);
      await handle.cancel();
      const held = await waitForStatus(handle, (s) => s.onHold, 'held after the cancel request');
      expect(held.stage).toBe('payer_adjudication');
      expect(held.openExceptions.map((e) => e.queue)).toContain('cancel_after_release');
      const timeline = await handle.query(msg.timeline);
      expect(timeline.map((t) => t.action)).toContain('cancel turned into a hold: money is at the payer');
      // the payer pays while the journey is held: the claim child (not held) posts it
      const file = await h.payer.control.adjudicate(claimId, payAllowed(10_000));
      await h.deliverRemittances(handle, [file!.fileId]);
      await settleAfterPosting(h, handle);
      await handle.executeUpdate(msg.resume, { args: [{ actorId: 'ops-1', role: 'billing_supervisor', reason: 'claim stays with the payer' }] });
      const outcome = await handle.result();
      expect(outcome).toMatchObject({ state: 'paid', paidCents: 120_000, balanceCents: 0 });
      // the operator's resume answered the cancel: its exception is resolved
      expect((await handle.query(msg.status)).openExceptions.map((e) => e.queue)).not.toContain('cancel_after_release');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });
});
