import { addDaysToDate, appealLadder, localDate } from '../../src/domain';
import * as msg from '../../src/workflows/messages';
import { driveToPatientBalance, driveToPayer, payAllowed } from '../support/drive';
import { settleAfterPosting, sampleReferral, startJourneyHarness, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { waitUntil } from '../support/waitUntil';

const TZ = 'America/New_York'; // the default site calendar (journeyState.ts)

/** Issue 11 on the time-skipping server: ordinary adjustments settle as paid, appeal windows from BPR16, PA clock from receipt. */
describe('remittance rules and regulatory clocks (time-skipping server)', () => {
  let h: JourneyHarness;
  beforeEach(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterEach(async () => h?.close());

  it('a Medicare-paid claim with CO-237 (MIPS penalty) and CO-253 (sequestration) settles as paid, not as a denial', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 120_000, { planType: 'medicare_ffs' });
      const rule = { ...payAllowed(8000), extraAdjustments: [{ group: 'CO' as const, reason: '237', amountCents: 1_920 }, { group: 'CO' as const, reason: '253', amountCents: 1_882 }] };
      const file = await h.payer.control.adjudicate(claimId, rule);
      await h.deliverRemittances(handle, [file!.fileId]);
      await settleAfterPosting(h, handle);
      expect(await handle.result()).toMatchObject({ state: 'paid', paidCents: 96_000 - 1_920 - 1_882 });
      await waitUntil(() => h.kpi.events.some((e) => e.name === 'claim_adjudicated'), 'the adjudication KPI');
      expect(h.kpi.events.filter((e) => e.name === 'claim_adjudicated').map((e) => e.outcome)).toEqual(['paid']);
      expect(h.kpi.events.filter((e) => e.name === 'claim_denied' || e.name === 'unknown_denial_code')).toEqual([]);
      expect(h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', '237']])).toBe(0);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a paid claim with a denied part posts the payment and adjustments, and only the denied part goes to denial work', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 120_000);
      // allowed 96,000; 30,000 of it denied as too many units (CO-151), the rest paid
      const rule = { ...payAllowed(8000), extraAdjustments: [{ group: 'CO' as const, reason: '151', amountCents: 30_000 }] };
      const file = await h.payer.control.adjudicate(claimId, rule);
      await h.deliverRemittances(handle, [file!.fileId]);
      const s = await waitForStatus(handle, (x) => x.openExceptions.some((e) => e.queue === 'coding'), 'the denied part in the coding queue');
      expect(s.stage).toBe('payer_adjudication');
      await waitUntil(() => h.kpi.events.some((e) => e.name === 'claim_adjudicated'), 'the adjudication KPI');
      expect(h.kpi.events.filter((e) => e.name === 'claim_adjudicated').map((e) => e.outcome)).toEqual(['partial']);
      expect(h.kpi.events.filter((e) => e.name === 'claim_denied')).toEqual([]);
      // the paid part is in Odoo already (66,000); the 30,000 stays open with the payer, not on the patient
      await waitUntil(() => h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', 'CO-151']]) === 1, 'the CO-151 ticket');
      const invoice = h.odoo.store.search('account.move', [['ref', '=', claimId]], ['id'])[0] as { id: number };
      const paidInOdoo = () => (h.odoo.store.search('account.payment', [['reconciled_invoice_ids', 'in', [invoice.id]]], ['amount']) as { amount: number }[]).reduce((sum, p) => sum + Math.round(p.amount * 100), 0);
      await waitUntil(() => paidInOdoo() === 66_000, 'the paid part registered');
      // the corrected claim is paid in full on appeal: a reversal and a corrected payment; the claim then settles
      const fix = await h.payer.control.adjudicate(claimId, { kind: 'reverseAndCorrect', corrected: payAllowed(8000) });
      await h.deliverRemittances(handle, [fix!.fileId]);
      await settleAfterPosting(h, handle, 3);
      expect(await handle.result()).toMatchObject({ state: 'paid', paidCents: 96_000 });
      expect(paidInOdoo()).toBe(96_000);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('the appeal window of a denial counts from the remittance date (BPR16), in the site zone: MA reconsideration 65 days', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 40_000);
      const noticeDate = addDaysToDate(localDate(Date.now(), TZ), -10);
      const file = await h.payer.control.adjudicate(claimId, { kind: 'deny', carc: '50' }, { paymentDate: noticeDate });
      await h.deliverRemittances(handle, [file!.fileId]);
      const s = await waitForStatus(handle, (x) => x.deadlines.some((d) => d.rule === 'appeal_ma_reconsideration'), 'the appeal clock');
      const clock = s.deadlines.find((d) => d.rule === 'appeal_ma_reconsideration')!;
      const expected = appealLadder({ planType: 'medicare_advantage', noticeDate }, { calendar: { timeZone: TZ } });
      expect(expected.deadlineDate).toBe(addDaysToDate(noticeDate, 65));
      expect(Date.parse(clock.breachAt)).toBe(expected.breachAt);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a prior auth pended twice still breaches on the clock from receipt (CMS-0057-F 7 days)', async () => {
    const referral = sampleReferral();
    h.payer.control.setPriorAuthRule({ match: { authRequestIdPrefix: `PA-${referral.referralId}` }, decision: { action: 'A4', requestedDocuments: ['11506-3'] } });
    await h.withWorker(async () => {
      const handle = await h.start(referral);
      const s0 = await waitForStatus(handle, (s) => s.deadlines.some((d) => d.rule === 'cms0057_pa_standard'), 'PA clock reported');
      const original = s0.deadlines.find((d) => d.rule === 'cms0057_pa_standard')!.breachAt;
      await h.env.sleep('3 days');
      // second pend: the payer asks for more documents three days later
      await handle.signal(msg.priorAuthDecision, {
        messageId: 'pend-2',
        authRequestId: `PA-${referral.referralId}-1`,
        action: 'A4',
        reasons: [],
        requestedDocuments: ['18748-4'],
        decidedAt: new Date().toISOString(),
      });
      await waitUntil(async () => (await handle.query(msg.timeline)).filter((t) => t.action === 'prior auth decision A4').length >= 2, 'the second pend');
      // the child reports its clock apart from its timeline: wait for the clock of the wait after the second pend
      const s1 = await waitForStatus(handle, (s) => s.deadlines.some((d) => d.rule === 'cms0057_pa_standard'), 'PA clock after the second pend');
      expect(s1.deadlines.find((d) => d.rule === 'cms0057_pa_standard')!.breachAt).toBe(original);
      // our own document turnaround runs apart: an Odoo activity per pend, the payer's clock untouched
      await waitUntil(() => h.odoo.store.count('mail.activity', [['summary', 'ilike', 'Prior auth pended']]) >= 2, 'the document activities');
      await h.env.sleep('5 days'); // day 8: past receipt + 7 days, but only 5 days after the second pend
      const breached = await waitForStatus(handle, (s) => s.slaState === 'breached', 'breached on the original clock');
      expect(breached.stage).toBe('prior_auth');
      // (no cancel here: the time-skipping server can wedge when a cancellation cancels timers, sdk-java#2391)
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a §501(r) site whose policy lengthens the notification period to 180 days holds the balance from collection until then', async () => {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 30_000 }] });
    await h.withWorker(async () => {
      const handle = await h.start(referral, { nonProfit501r: true, slaPolicy: { sites: { [referral.siteId]: { r501_notification_period: { amount: 180 } } } } });
      await driveToPatientBalance(h, handle, 30_000);
      await h.env.sleep('150 days'); // the statement cycle (0/30/60/90 + 30) is over, the 120-day default too
      const held = await handle.query(msg.status);
      expect(held.stage).toBe('patient_balance');
      expect(held.pendingApproval).toBeUndefined();
      await h.env.sleep('35 days'); // past day 180: the balance may leave the cycle (write-off / collection decision)
      await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'write_off', 'write-off decision after the notification period');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a prior-auth denial (A3) without a reason is recorded as payer non-compliance and still opens the appeal path', async () => {
    const referral = sampleReferral();
    h.payer.control.setPriorAuthRule({ match: { authRequestIdPrefix: `PA-${referral.referralId}` }, decision: { action: 'A3', reasons: [] } });
    await h.withWorker(async () => {
      const handle = await h.start(referral);
      await waitForStatus(handle, (s) => s.openExceptions.some((e) => e.queue === 'authorization'), 'the appeal path');
      await waitUntil(() => h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', 'without a reason (non-compliant)']]) === 1, 'the non-compliance ticket');
      const timeline = await handle.query(msg.timeline);
      expect(timeline.map((t) => t.action)).toContain('prior auth denied without a specific reason: payer non-compliant (CMS-0057-F)');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });
});
