import * as msg from '../../src/workflows/messages';
import { sampleReferral, startJourneyHarness, waitForStage, type JourneyHarness } from '../support/journeyHarness';

/** Durability on the real dev server: a worker that dies mid-journey loses nothing; the next one resumes. */
describe('journey survives a worker restart (dev server)', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
  });
  afterAll(async () => h?.close());

  it('resumes where it was after the worker is stopped and another one starts', async () => {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99213', icd10: ['M54.50'], units: 1, chargeCents: 15_000 }] });
    const first = await h.newWorker();
    const firstRun = first.run();
    const handle = await h.start(referral);
    await waitForStage(handle, 'scheduling');
    first.shutdown();
    await firstRun;

    // No worker is running: the signal is durably recorded by the server and waits.
    await handle.signal(msg.appointmentScheduled, { messageId: 'appt-r', appointmentId: 'A-R', at: new Date().toISOString() });
    const history = await handle.fetchHistory();
    expect(history.events!.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'appointmentScheduled')).toBe(true);

    const second = await h.newWorker();
    await second.runUntil(async () => {
      const s = await waitForStage(handle, 'service');
      expect(s.historyRuns).toBe(1);
      const timeline = await handle.query(msg.timeline);
      expect(timeline.filter((t) => t.action === 'journey started')).toHaveLength(1);
      expect(timeline.filter((t) => t.action.startsWith('intake_complete'))).toHaveLength(1);
      expect(h.odoo.store.count('res.partner', [['ref', '=', referral.patientRef]])).toBe(1);
      await handle.executeUpdate(msg.cancel, { args: [{ actorId: 'ops-1', role: 'revenue_cycle_manager', reason: 'test cleanup' }] });
      expect((await handle.result()).state).toBe('cancelled');
    });
  });
});
