import * as msg from '../../src/workflows/messages';
import { sampleReferral, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { waitUntil } from '../support/waitUntil';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cancelBy = { actorId: 'ops-1', role: 'revenue_cycle_manager' as const, reason: 'test cleanup' };

describe('SLA ladders and regulatory clocks (time-skipping server)', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterAll(async () => h?.close());

  it('standard Medicare Advantage PA with no decision warns, escalates and breaches on the CMS-0057-F 7-day clock', async () => {
    const referral = sampleReferral();
    // The payer pends the request and never decides.
    h.payer.control.setPriorAuthRule({ match: { authRequestIdPrefix: `PA-${referral.referralId}` }, decision: { action: 'A4', requestedDocuments: ['11506-3'] } });
    await h.withWorker(async () => {
      const handle = await h.start(referral);
      const s0 = await waitForStatus(handle, (s) => s.deadlines.some((d) => d.rule === 'cms0057_pa_standard'), 'PA clock reported');
      const clock = s0.deadlines.find((d) => d.rule === 'cms0057_pa_standard')!;
      // warn at 50 % and escalate at 80 % of 7 calendar days (DST-free season assumed by the time zone math).
      expect(Date.parse(clock.breachAt) - Date.parse(clock.warnAt)).toBeCloseTo(3.5 * DAY, -6);
      expect(Date.parse(clock.breachAt) - Date.parse(clock.dueAt)).toBeCloseTo(1.4 * DAY, -6);
      expect(clock.kind).toBe('regulatory');

      await h.env.sleep('4 days');
      await waitForStatus(handle, (s) => s.slaState === 'warning', 'warning');
      await h.env.sleep('2 days');
      await waitForStatus(handle, (s) => s.slaState === 'escalated', 'escalated');
      await waitUntil(() => h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', 'Escalation: prior auth decision']]) === 1, 'the escalation ticket');
      await h.env.sleep('2 days');
      const breached = await waitForStatus(handle, (s) => s.slaState === 'breached', 'breached');
      expect(breached.openExceptions.map((e) => e.queue)).toContain(clock.escalateTo);
      const names = () => h.kpi.events.filter((e) => e.stage === 'prior_auth').map((e) => e.name);
      await waitUntil(() => names().includes('sla_breach'), 'the breach KPI');
      expect(names()).toEqual(expect.arrayContaining(['sla_warning', 'sla_escalated', 'sla_breach']));

      // The late decision still moves the journey; the breach stays on record.
      await handle.signal(msg.priorAuthDecision, {
        messageId: 'late-a1',
        authRequestId: `PA-${referral.referralId}-1`,
        action: 'A1',
        authNumber: 'AUTH-LATE',
        reasons: [],
        requestedDocuments: [],
        decidedAt: new Date().toISOString(),
      });
      const s1 = await waitForStage(handle, 'scheduling');
      expect(s1.slaState).toBe('breached');
      const timeline = await handle.query(msg.timeline);
      expect(timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['SLA warning: prior auth decision', 'SLA escalated: prior auth decision', 'SLA breached: prior auth decision']));
      await handle.executeUpdate(msg.cancel, { args: [cancelBy] });
      expect((await handle.result()).state).toBe('cancelled');
    });
  });

  it('an expedited request runs on the 72-hour clock', async () => {
    const referral = sampleReferral({ urgency: 'expedited' });
    h.payer.control.setPriorAuthRule({ match: { authRequestIdPrefix: `PA-${referral.referralId}` }, decision: { action: 'A4' } });
    await h.withWorker(async () => {
      const handle = await h.start(referral);
      const s = await waitForStatus(handle, (x) => x.deadlines.some((d) => d.rule === 'cms0057_pa_expedited'), 'expedited clock');
      const clock = s.deadlines.find((d) => d.rule === 'cms0057_pa_expedited')!;
      expect(Date.parse(clock.breachAt) - Date.parse(clock.warnAt)).toBe(36 * HOUR);
      await handle.executeUpdate(msg.cancel, { args: [cancelBy] });
      await handle.result();
    });
  });

  it('a hold pauses the internal scheduling clock and shifts its deadline by the time on hold', async () => {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99213', icd10: ['M54.50'], units: 1, chargeCents: 15_000 }] });
    await h.withWorker(async () => {
      const handle = await h.start(referral);
      const before = (await waitForStatus(handle, (s) => s.deadlines.some((d) => d.rule === 'internal_scheduling_gate'), 'scheduling clock')).deadlines[0];
      await handle.executeUpdate(msg.hold, { args: [{ actorId: 'ops-1', role: 'scheduler', reason: 'patient travelling' }] });
      await waitForStatus(handle, (s) => s.slaState === 'on_hold', 'on hold');
      await h.env.sleep('5 days');
      await handle.executeUpdate(msg.resume, { args: [{ actorId: 'ops-1', role: 'scheduler', reason: 'patient back' }] });
      const after = await waitForStatus(handle, (s) => !s.onHold && s.deadlines.some((d) => d.rule === 'internal_scheduling_gate' && d.breachAt !== before.breachAt), 'shifted clock');
      const shifted = after.deadlines.find((d) => d.rule === 'internal_scheduling_gate')!;
      expect(Date.parse(shifted.breachAt) - Date.parse(before.breachAt)).toBeGreaterThanOrEqual(5 * DAY);
      expect(after.slaState).toBe('on_track');
      // A second hold while held is refused by the validator.
      await handle.executeUpdate(msg.hold, { args: [{ actorId: 'ops-1', role: 'scheduler', reason: 'again' }] });
      await expect(handle.executeUpdate(msg.hold, { args: [{ actorId: 'ops-1', role: 'scheduler', reason: 'twice' }] })).rejects.toThrow(/update/i);
      await handle.executeUpdate(msg.cancel, { args: [cancelBy] });
      await handle.result();
    });
  });
});
