import { WorkflowUpdateFailedError } from '@temporalio/client';
import * as msg from '../../src/workflows/messages';
import { bookAndServe, releaseClaim, sampleReferral, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { waitUntil } from '../support/waitUntil';

const officeVisit = (chargeCents = 20_000) => sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents }] });

/**
 * Human decisions are race-free, change requests reach a human coder, and no payer answer is overlooked. On the dev
 * server: these skip no time, and updates sent while no worker polls reach the journey together, in one task.
 */
describe('decisions and early answers (dev server)', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
  });
  afterAll(async () => h?.close());

  it('request changes sends the claim to a human coder with the reason; two change requests do not use up the corrected-claim budget', async () => {
    await h.withWorker(async () => {
      const handle = await h.start(officeVisit(30_000));
      await bookAndServe(handle, 30_000, '99214');
      for (const round of [1, 2]) {
        await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', `billing release pending (${round})`);
        await handle.executeUpdate(msg.requestChanges, { args: [{ actorId: 'biller-2', role: 'billing_specialist', reason: `modifier 25 missing (${round})` }] });
        const s = await waitForStatus(handle, (x) => x.stage === 'coding' && x.awaiting === 'coding review', `human coding review (${round})`);
        expect(s.openExceptions.find((e) => e.queue === 'coding_review')?.reason).toContain(`modifier 25 missing (${round})`);
        await handle.executeUpdate(msg.completeCodingReview, { args: [{ actorId: 'coder-1', role: 'coder', outcome: 'confirmed', reason: 'checked' }] });
      }
      const claimId = await releaseClaim(handle);
      await h.claimAtPayer(claimId);
      const before = h.payer.control.submissions();
      const file = await h.payer.control.adjudicate(claimId, { kind: 'deny', carc: '16', rarcs: ['MA130'] });
      await h.deliverRemittances(handle, [file!.fileId]);
      // the second payer submission, not a write-off: drafts do not count against the budget
      const s = await waitForStatus(handle, (x) => x.stage === 'payer_adjudication' && x.claimIds.length === 4, 'a new claim after MA130');
      await waitUntil(() => h.payer.control.submissions() === before + 1, 'the new claim at the payer');
      expect(s.pendingApproval).toBeUndefined();
      // voided drafts stay cancelled in Odoo; the live receivable is the last draft's
      const moves = h.odoo.store.search('account.move', [['move_type', '=', 'out_invoice'], ['ref', 'in', s.claimIds]], ['state']) as { state: string }[];
      expect(moves.map((m) => m.state).sort()).toEqual(['cancel', 'cancel', 'posted']);
      await expectLedgerMatchesOdoo(s, h.odoo);
    });
  });

  it('a decision update retried into the run after continue-as-new gets its first receipt, not a refusal', async () => {
    await h.withWorker(async () => {
      const handle = await h.start(officeVisit(), { continueAsNewAfterEvents: 40 });
      await waitForStage(handle, 'scheduling');
      const ops = { actorId: 'ops-1', role: 'billing_supervisor' as const, reason: 'payer contract review' };
      await handle.executeUpdate(msg.hold, { args: [ops], updateId: 'hold-1' });
      const first = await handle.executeUpdate(msg.resume, { args: [ops], updateId: 'resume-1' });
      expect(first).toMatchObject({ accepted: true });
      expect(first.duplicate).toBeUndefined();
      await handle.signal(msg.appointmentScheduled, { messageId: 'appt-can', appointmentId: 'A-1', at: new Date().toISOString() });
      // the next stage starts in a new run (history past the threshold)
      await waitForStatus(handle, (s) => s.historyRuns >= 2 && s.stage === 'service', 'a new run at service');
      // A retry of the same update id after continue-as-new answers with the first receipt — whether the server
      // resolves it from the first run or (temporalio/temporal#6375) hands it to the new run, where the journey
      // finds the id among the receipts it carried over.
      const retried = await handle.executeUpdate(msg.resume, { args: [ops], updateId: 'resume-1' });
      expect(retried).toMatchObject({ accepted: true, detail: 'resumed' });
      const timeline = await handle.query(msg.timeline);
      expect(timeline.filter((t) => t.action === 'journey resumed')).toHaveLength(1);
      // a new resume (another update id) is still validated: the journey is not on hold
      await expect(handle.executeUpdate(msg.resume, { args: [ops], updateId: 'resume-2' })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    });
  });

  it('an eligibility result that arrives before the synchronous check is counted, not waited for again', async () => {
    await h.withWorker(async () => {
      const referral = sampleReferral({ patientRef: 'UNKNOWN-P77', orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 20_000 }] });
      const handle = await h.start(referral);
      // the payer's asynchronous 271 overtakes its own synchronous answer ("unknown")
      await handle.signal(msg.eligibilityResult, {
        messageId: 'elig-271-early',
        status: 'active',
        planType: 'medicare_advantage',
        authRequired: false,
        copayCents: 2_500,
        deductibleRemainingCents: 0,
        coinsuranceBasisPoints: 2_000,
        checkedAt: new Date().toISOString(),
      });
      const s = await waitForStage(handle, 'scheduling');
      expect(s.openExceptions.map((e) => e.queue)).not.toContain('eligibility');
      const timeline = await handle.query(msg.timeline);
      expect(timeline.map((t) => t.action)).toContain('eligibility taken from an earlier payer result');
    });
  });

  it('two decisions on one pending release delivered together: exactly one wins, the other is refused', async () => {
    const referral = officeVisit();
    const handle = await h.withWorker(async () => {
      const hd = await h.start(referral);
      await bookAndServe(hd, 20_000, '99214');
      await waitForStatus(hd, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');
      return hd;
    });
    // No worker polls now: both updates wait at the server and reach the journey in the same workflow task.
    const approve = handle.executeUpdate(msg.approve, { args: [{ actorId: 'biller-2', role: 'billing_specialist', reason: 'release' }] });
    const reject = handle.executeUpdate(msg.reject, { args: [{ actorId: 'biller-3', role: 'billing_specialist', reason: 'duplicate of another referral' }] });
    const settled = await h.withWorker(async () => {
      const results = await Promise.allSettled([approve, reject]);
      await waitForStatus(handle, (s) => s.stage !== 'billing_approval', 'the decision applied');
      return { results, timeline: await handle.query(msg.timeline) };
    }, { sameQueue: true });
    expect(settled.results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = settled.results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(settled.timeline.filter((t) => t.action.startsWith('decision:'))).toHaveLength(1);
  });
});
