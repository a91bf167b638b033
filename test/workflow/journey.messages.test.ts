import { WorkflowUpdateFailedError } from '@temporalio/client';
import { journeyWorkflowId } from '../../src/domain';
import * as msg from '../../src/workflows/messages';
import { referralJourney } from '../../src/workflows/referralJourney';
import { sampleReferral, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { expectBurstApplied, expectDocumentsApplied, fillCurrentRun, sendBurst, waitForNewRun } from '../support/messageBurst';

const now = () => new Date().toISOString();
const ops = { actorId: 'ops-1', role: 'revenue_cycle_manager' as const, reason: 'test cleanup' };

/**
 * On the real dev server: these journeys need no durable timer skipped, and continue-as-new is where the time-skipping
 * test server misbehaves — a status query or an update around the journey's continue-as-new sometimes got no answer
 * for 90 s to several minutes (until the client's gRPC connection was reset), which is how this file hit jest's 120 s
 * timeout on fresh clones.
 */
describe('journey messages: early, duplicate and invalid deliveries; continue-as-new (dev server)', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
  });
  afterAll(async () => h?.close());

  it('applies a payer decision that arrived before the journey existed (signal-with-start)', async () => {
    const referral = sampleReferral();
    // This payer never answers the submission itself: only the early decision can approve.
    h.payer.control.setPriorAuthRule({ match: { authRequestIdPrefix: `PA-${referral.referralId}` }, decision: { action: 'A4' } });
    await h.withWorker(async () => {
      const workflowId = journeyWorkflowId(referral.siteId, referral.referralId);
      const handle = await h.client.workflow.signalWithStart(referralJourney, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [{ siteId: referral.siteId, referralId: referral.referralId }],
        signal: msg.priorAuthDecision,
        signalArgs: [{ messageId: 'early-1', authRequestId: `PA-${referral.referralId}-1`, action: 'A1', authNumber: 'AUTH-EARLY', reasons: [], requestedDocuments: [], decidedAt: now() }],
      });
      const waiting = await waitForStatus(handle, (s) => s.awaiting === 'referral', 'waiting for the referral');
      expect(waiting.stage).toBe('awaiting_referral');
      const receipt = await handle.executeUpdate(msg.submitReferral, { args: [referral] });
      expect(receipt.duplicate).toBeUndefined();
      // A repeated submission is a duplicate, a different one is refused.
      expect((await handle.executeUpdate(msg.submitReferral, { args: [referral] })).duplicate).toBe(true);
      await expect(handle.executeUpdate(msg.submitReferral, { args: [{ ...referral, urgency: 'expedited' }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await waitForStage(handle, 'scheduling');
      const timeline = await handle.query(msg.timeline);
      expect(timeline.some((t) => t.action === 'prior auth decision A1')).toBe(true);
      await handle.executeUpdate(msg.cancel, { args: [ops] });
      expect((await handle.result()).state).toBe('cancelled');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('ignores duplicate deliveries of the same message and refuses invalid ones without changing anything', async () => {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99213', icd10: ['M54.50'], units: 1, chargeCents: 15_000 }] });
    await h.withWorker(async () => {
      const handle = await h.start(referral);
      await waitForStage(handle, 'scheduling');
      const appt = { messageId: 'appt-dup', appointmentId: 'A-9', at: now() };
      await handle.signal(msg.appointmentScheduled, appt);
      await handle.signal(msg.appointmentScheduled, appt);
      await waitForStage(handle, 'service');
      const eligibility = { messageId: 'elig-dup', status: 'active' as const, planType: 'medicare_advantage' as const, authRequired: false, copayCents: 0, deductibleRemainingCents: 0, coinsuranceBasisPoints: 0, checkedAt: now() };
      const first = await handle.executeUpdate(msg.deliverPayerMessage, { args: [{ kind: 'eligibility', payload: eligibility }] });
      const again = await handle.executeUpdate(msg.deliverPayerMessage, { args: [{ kind: 'eligibility', payload: eligibility }] });
      expect(first.duplicate).toBeUndefined();
      expect(again.duplicate).toBe(true);
      // Schema violations are refused by the validator: nothing is recorded.
      const before = (await handle.query(msg.timeline)).length;
      await expect(handle.executeUpdate(msg.deliverPayerMessage, { args: [{ kind: 'eligibility', payload: { ...eligibility, messageId: 'bad', status: 'maybe' } as never }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(handle.executeUpdate(msg.approve, { args: [{ actorId: 'x', role: 'billing_specialist' }] })).rejects.toThrow(); // nothing pending
      const timeline = await handle.query(msg.timeline);
      // The service stage may still be writing its own entries: what matters is that the refused ones wrote none.
      expect(timeline.slice(before).filter((t) => t.detail === 'bad' || t.action.startsWith('decision') || t.action.includes('eligibility'))).toEqual([]);
      // Refused by a validator means never in the history: only the two accepted deliveries are there.
      const accepted = (await handle.fetchHistory()).events!.flatMap((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? []);
      expect(accepted.filter((name) => name === 'deliverPayerMessage')).toHaveLength(2);
      expect(accepted).not.toContain('approve');
      expect(timeline.filter((t) => t.action === 'appointment received')).toHaveLength(1);
      expect(timeline.filter((t) => t.action === 'eligibility result received')).toHaveLength(1);
      await handle.executeUpdate(msg.cancel, { args: [ops] });
      await handle.result();
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('continues as new when history grows and carries its state across runs', async () => {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99213', icd10: ['M54.50'], units: 1, chargeCents: 15_000 }] });
    await h.withWorker(async () => {
      // low enough that the journey continues as new before service (batched upserts and mirrors keep histories short)
      const handle = await h.start(referral, { continueAsNewAfterEvents: 20 });
      await waitForStage(handle, 'scheduling');
      await handle.signal(msg.appointmentScheduled, { messageId: 'appt-can', appointmentId: 'A-2', at: now() });
      // The journey may continue as new before or after it applies the appointment: a new run's first status can
      // still say scheduling. Wait for both facts instead of reading the first status of the new run.
      const s = await waitForStatus(handle, (x) => x.historyRuns > 1 && x.stage === 'service', 'a later run at service');
      expect(s.journeyId).toBe(journeyWorkflowId(referral.siteId, referral.referralId));
      const timeline = await handle.query(msg.timeline);
      expect(timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['journey started', 'scheduled: scheduling → service']));
      await handle.executeUpdate(msg.cancel, { args: [ops] });
      expect((await h.client.workflow.getHandle(handle.workflowId).result()).state).toBe('cancelled');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('loses no signal or update sent in bursts before and while the journey continues as new', async () => {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99213', icd10: ['M54.50'], units: 1, chargeCents: 15_000 }] });
    const threshold = 40;
    await h.withWorker(async () => {
      const handle = await h.start(referral, { continueAsNewAfterEvents: threshold });
      await waitForStage(handle, 'scheduling');
      // A first burst while the journey waits for the appointment, then hold → resume: their effects must be carried.
      // (Decisions are not sent into the continue-as-new race itself: an update handled in the task that continues
      // as new can be retried on the new run by the server — temporalio/temporal#6375 — and a hold would then be
      // refused as "already on hold" although it took effect. Idempotent payer messages are.)
      const early = sendBurst(handle, 'early', 10);
      await Promise.all([early.sent, early.receipts]);
      await handle.executeUpdate(msg.hold, { args: [{ ...ops, reason: 'burst hold' }] });
      await handle.executeUpdate(msg.resume, { args: [{ ...ops, reason: 'burst resume' }] });
      // Past the threshold, the appointment's stage boundary must continue as new: a second burst races that.
      const { runId, fillers } = await fillCurrentRun(handle, threshold);
      const racing = sendBurst(handle, 'racing', 15);
      await handle.signal(msg.appointmentScheduled, { messageId: 'appt-burst', appointmentId: 'A-3', at: now() });
      await waitForNewRun(handle, runId, (x) => x.stage === 'service' && !x.onHold, 'stage service');

      await expectBurstApplied(handle, early);
      await expectBurstApplied(handle, racing);
      await expectDocumentsApplied(handle, 'fill', fillers);
      const actions = (await handle.query(msg.timeline)).map((t) => t.action);
      for (const once of ['journey started', 'appointment received', 'journey put on hold', 'journey resumed']) {
        expect({ once, times: actions.filter((a) => a === once).length }).toEqual({ once, times: 1 });
      }
      await handle.executeUpdate(msg.cancel, { args: [ops] });
      expect((await h.client.workflow.getHandle(handle.workflowId).result()).state).toBe('cancelled');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });
});
