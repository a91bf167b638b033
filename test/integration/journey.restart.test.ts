import * as msg from '../../src/workflows/messages';
import { sampleReferral, startJourneyHarness, waitForStage, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { expectBurstApplied, expectDocumentsApplied, fillCurrentRun, sendBurst, waitForNewRun } from '../support/messageBurst';
import { waitUntil } from '../support/waitUntil';

/** Durability on the real dev server: a worker that dies mid-journey loses nothing; the next one resumes. */
describe('journey survives a worker restart (dev server)', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
  });
  afterAll(async () => h?.close());

  const cleanup = { actorId: 'ops-1', role: 'revenue_cycle_manager' as const, reason: 'test cleanup' };

  it('resumes where it was after the worker is stopped and another one starts', async () => {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99213', icd10: ['M54.50'], units: 1, chargeCents: 15_000 }] });
    const first = await h.newWorker();
    const firstRun = first.run();
    const handle = await h.start(referral);
    await waitForStage(handle, 'scheduling');
    first.shutdown();
    await firstRun;

    // No worker is running: the server accepts the signal durably. It reaches the history at once, or — when it
    // arrived while a workflow task of the stopped worker was still in flight — once that task times out.
    await handle.signal(msg.appointmentScheduled, { messageId: 'appt-r', appointmentId: 'A-R', at: new Date().toISOString() });
    await waitUntil(
      async () => (await handle.fetchHistory()).events!.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'appointmentScheduled'),
      'the signal in the history',
    );

    const second = await h.newWorker();
    await second.runUntil(async () => {
      const s = await waitForStage(handle, 'service');
      expect(s.historyRuns).toBe(1);
      const timeline = await handle.query(msg.timeline);
      expect(timeline.filter((t) => t.action === 'journey started')).toHaveLength(1);
      expect(timeline.filter((t) => t.action.startsWith('intake_complete'))).toHaveLength(1);
      expect(h.odoo.store.count('res.partner', [['ref', '=', referral.patientRef]])).toBe(1);
      await handle.executeUpdate(msg.cancel, { args: [cleanup] });
      expect((await handle.result()).state).toBe('cancelled');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('loses no signal or update sent while the worker stops, restarts and the journey continues as new', async () => {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99213', icd10: ['M54.50'], units: 1, chargeCents: 15_000 }] });
    const threshold = 40;
    const first = await h.newWorker();
    const firstRun = first.run();
    const handle = await h.start(referral, { continueAsNewAfterEvents: threshold });
    await waitForStage(handle, 'scheduling');
    const early = sendBurst(handle, 'early', 10);
    await Promise.all([early.sent, early.receipts]);
    // Past the threshold, the appointment's stage boundary must continue as new. The second burst and the appointment
    // are sent as the worker stops: some reach its last tasks, the rest wait at the server for the next worker.
    const { runId, fillers } = await fillCurrentRun(handle, threshold);
    const racing = sendBurst(handle, 'restart', 15);
    const appointment = handle.signal(msg.appointmentScheduled, { messageId: 'appt-rb', appointmentId: 'A-RB', at: new Date().toISOString() });
    first.shutdown();
    await Promise.all([firstRun, racing.sent, appointment]);

    const second = await h.newWorker();
    await second.runUntil(async () => {
      await waitForNewRun(handle, runId, (x) => x.stage === 'service', 'stage service');
      await expectBurstApplied(handle, early);
      await expectBurstApplied(handle, racing);
      await expectDocumentsApplied(handle, 'fill', fillers);
      const actions = (await handle.query(msg.timeline)).map((t) => t.action);
      for (const once of ['journey started', 'appointment received']) expect({ once, times: actions.filter((a) => a === once).length }).toEqual({ once, times: 1 });
      expect(h.odoo.store.count('res.partner', [['ref', '=', referral.patientRef]])).toBe(1);
      await handle.executeUpdate(msg.cancel, { args: [cleanup] });
      expect((await h.client.workflow.getHandle(handle.workflowId).result()).state).toBe('cancelled');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });
});
