import type { WorkflowHandle } from '@temporalio/client';
import { addDaysToDate, localDate } from '../../src/domain';
import * as msg from '../../src/workflows/messages';
import type { referralJourney } from '../../src/workflows/referralJourney';
import { driveToPatientBalance, driveToPayer } from '../support/drive';
import { sampleReferral, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { waitUntil } from '../support/waitUntil';

const TZ = 'America/New_York'; // the default site calendar (journeyState.ts)
const DAY = 86_400_000;
type Journey = WorkflowHandle<typeof referralJourney>;

/** Issue 11, patient protections on the time-skipping server: self-pay + GFE, NSA dispute eligibility, §501(r) ECA notice, DOS re-check. */
describe('patient protections wired into the journey (time-skipping server)', () => {
  let h: JourneyHarness;
  beforeEach(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterEach(async () => h?.close());

  const actions = async (handle: Journey) => (await handle.query(msg.timeline)).map((t) => `${t.action}${t.detail ? ` | ${t.detail}` : ''}`);

  /** Book at `appointmentAt`, report the encounter, pass coding, release the bill. */
  async function serveAndRelease(handle: Journey, appointmentAt: string, chargeCents: number): Promise<void> {
    await waitForStage(handle, 'scheduling');
    await handle.signal(msg.appointmentScheduled, { messageId: 'appt-sp', appointmentId: 'A-SP', at: appointmentAt });
    await waitForStage(handle, 'service');
    await handle.signal(msg.serviceCompleted, {
      messageId: 'enc-sp',
      encounterId: 'E-SP',
      serviceDate: new Date().toISOString().slice(0, 10),
      services: [{ code: '99214', modifiers: [], icd10: ['M54.50'], units: 1, chargeCents }],
      notesRef: 'NOTE-SP',
    });
    const s = await waitForStatus(handle, (x) => x.stage === 'billing_approval' || x.awaiting === 'coding review', 'coding done or review');
    if (s.stage === 'coding') await handle.executeUpdate(msg.completeCodingReview, { args: [{ actorId: 'coder-1', role: 'coder', outcome: 'confirmed', reason: 'level supported' }] });
    await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'billing_release', 'billing release pending');
    await handle.executeUpdate(msg.approve, { args: [{ actorId: 'biller-2', role: 'billing_specialist', reason: 'release' }] });
  }

  it('a self-pay journey skips eligibility, prior auth and the 837, gets a good-faith estimate at scheduling, and is paid by the patient', async () => {
    // MRI normally needs prior auth: a self-pay patient has no payer to ask.
    const referral = sampleReferral({ planType: 'self_pay', authRequired: true, orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 45_000 }] });
    await h.withWorker(async () => {
      const handle = await h.start(referral);
      // booked 14 days ahead (≥ 10 business days): the GFE is due within 3 business days of booking (45 CFR 149.610)
      const appointmentAt = new Date(Date.now() + 14 * DAY).toISOString();
      await serveAndRelease(handle, appointmentAt, 45_000);
      const s = await waitForStage(handle, 'patient_balance');
      expect(s.claimIds).toHaveLength(1);
      expect(h.payer.control.claimStatus(s.claimIds[0])).toBeUndefined(); // no 837 went to any payer
      expect(h.payer.control.priorAuthCases()).toEqual([]);
      const timeline = await actions(handle);
      expect(timeline).toEqual(expect.arrayContaining([expect.stringMatching(/^eligibility_confirmed.*self-pay: no coverage to verify/), expect.stringMatching(/^good-faith estimate due \| 45000 cents by \d{4}-\d{2}-\d{2} \(nsa_gfe_long_lead\)/), expect.stringMatching(/^self_pay_billed/)]));
      expect(timeline.some((t) => t.startsWith('eligibility checked'))).toBe(false);
      const gfe = h.odoo.store.search('mail.activity', [['summary', '=', 'Good-faith estimate due (No Surprises Act)']], ['date_deadline', 'note']) as { date_deadline: string }[];
      expect(gfe).toHaveLength(1);
      // due 3 business days after booking, never later than the appointment
      expect(gfe[0].date_deadline > localDate(Date.now() - DAY, TZ)).toBe(true);
      expect(gfe[0].date_deadline < appointmentAt.slice(0, 10)).toBe(true);

      await handle.signal(msg.patientPayment, { messageId: 'pp-sp-1', amountCents: 45_000, method: 'card', at: new Date().toISOString() });
      expect(await handle.result()).toMatchObject({ state: 'paid', patientPaidCents: 45_000 });
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('an NSA dispute over a bill within $400 of the good-faith estimate does not hold collection; a general dispute does', async () => {
    const referral = sampleReferral({ planType: 'self_pay', orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 30_000 }] });
    await h.withWorker(async () => {
      const handle = await h.start(referral);
      await serveAndRelease(handle, new Date(Date.now() + 14 * DAY).toISOString(), 30_000);
      await waitForStage(handle, 'patient_balance');
      await handle.signal(msg.patientDispute, { messageId: 'nsa-1', kind: 'nsa_dispute', openedAt: new Date().toISOString() });
      await waitUntil(async () => (await actions(handle)).find((t) => t.startsWith('nsa_dispute does not hold collection')), 'the ineligible dispute set aside');
      expect((await actions(handle)).find((t) => t.startsWith('nsa_dispute does not hold'))).toMatch(/exceeds the good-faith estimate by 0 cents, under the 40000-cent threshold/);
      expect((await handle.query(msg.status)).openExceptions.map((e) => e.queue)).not.toContain('patient_dispute');
      // a general billing dispute holds the cycle
      await handle.signal(msg.patientDispute, { messageId: 'gen-1', kind: 'general', openedAt: new Date().toISOString() });
      await waitForStatus(handle, (x) => x.openExceptions.some((e) => e.queue === 'patient_dispute'), 'the general dispute holds collection');
      await handle.signal(msg.patientPayment, { messageId: 'pp-nsa-1', amountCents: 30_000, method: 'card', at: new Date().toISOString() });
      expect(await handle.result()).toMatchObject({ state: 'paid', patientPaidCents: 30_000 });
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a §501(r) site sends the written ECA notice 30 days ahead and lets no balance leave the cycle before day 120 and the notice period', async () => {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 30_000 }] });
    await h.withWorker(async () => {
      const handle = await h.start(referral, { nonProfit501r: true });
      await driveToPatientBalance(h, handle, 30_000);
      const firstStatement = localDate(Date.now(), TZ);
      await h.env.sleep('85 days');
      expect((await actions(handle)).some((t) => t.startsWith('§501(r) ECA notice sent'))).toBe(false);
      await h.env.sleep('10 days'); // day 95: the notice is out (120 − 30 = day 90)
      const notice = await waitUntil(async () => (await actions(handle)).find((t) => t.startsWith('§501(r) ECA notice sent')), 'the ECA notice');
      const earliest = /before (\d{4}-\d{2}-\d{2})/.exec(notice)![1];
      expect(earliest >= addDaysToDate(firstStatement, 120)).toBe(true);
      await h.env.sleep('15 days'); // day 110: an early ECA is blocked — the balance is still in the cycle
      const held = await handle.query(msg.status);
      expect(held.stage).toBe('patient_balance');
      expect(held.pendingApproval).toBeUndefined();
      await h.env.sleep('15 days'); // day 125: notification period and notice period are both over
      await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'write_off', 'the balance leaves the cycle after day 120');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('eligibility checked at intake is re-checked for the date of service two days before a distant appointment', async () => {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 20_000 }] });
    await h.withWorker(async () => {
      const handle = await h.start(referral);
      await waitForStage(handle, 'scheduling');
      const appointmentAt = new Date(Date.now() + 20 * DAY).toISOString();
      await handle.signal(msg.appointmentScheduled, { messageId: 'appt-dos', appointmentId: 'A-DOS', at: appointmentAt });
      await waitForStage(handle, 'service');
      expect((await actions(handle)).some((t) => t.startsWith('eligibility re-checked'))).toBe(false);
      await h.env.sleep('19 days');
      const dos = localDate(Date.parse(appointmentAt), TZ);
      const recheck = await waitUntil(async () => (await actions(handle)).find((t) => t.startsWith('eligibility re-checked for the date of service')), 'the re-check');
      expect(recheck).toContain(`${dos}: active`);
      expect((await handle.query(msg.status)).stage).toBe('service');
      await expectLedgerMatchesOdoo(handle, h.odoo);
      await handle.terminate('test done');
    });
  });

  it('a claim driven normally is not affected by the self-pay path', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 20_000);
      expect(h.payer.control.claimStatus(claimId)).toBeDefined();
      expect((await actions(handle)).some((t) => t.startsWith('good-faith estimate'))).toBe(false);
      await handle.terminate('test done');
    });
  });
});
