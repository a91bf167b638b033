import { WorkflowUpdateFailedError } from '@temporalio/client';
import * as msg from '../../src/workflows/messages';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { sampleReferral, settleAfterPosting, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';


const now = () => new Date().toISOString();

describe('referral journey, happy path (time-skipping server, emulators over HTTP)', () => {
  let h: JourneyHarness;
  beforeAll(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterAll(async () => h?.close());

  it('walks referral → eligibility → prior auth → scheduling → service → coding → approval → claim → remittance → patient payment → paid', async () => {
    const referral = sampleReferral();
    const { outcome, claimId } = await h.withWorker(async () => {
      const handle = await h.start(referral);
      // Eligibility (sync FHIR) and PA (PAS A1 immediately for 72148) run by themselves; the journey then waits for booking.
      // the stage changes before its wait starts the clock: wait for both
      await waitForStatus(handle, (s) => s.stage === 'scheduling' && s.deadlines.some((x) => x.rule === 'internal_scheduling_gate'), 'scheduling gate clock');

      await handle.signal(msg.appointmentScheduled, { messageId: 'appt-1', appointmentId: 'A-1', at: now() });
      await waitForStage(handle, 'service');
      await handle.signal(msg.serviceCompleted, {
        messageId: 'enc-1',
        encounterId: 'E-1',
        serviceDate: now().slice(0, 10),
        services: [{ code: '72148', modifiers: [], icd10: ['M54.50'], units: 1, chargeCents: 120_000 }],
        notesRef: 'NOTE-1',
      });
      await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');

      // Segregation of duties: the preparer cannot release their own claim; a billing specialist can.
      await expect(handle.executeUpdate(msg.approve, { args: [{ actorId: 'intake-1', role: 'billing_supervisor' }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const receipt = await handle.executeUpdate(msg.approve, { args: [{ actorId: 'biller-2', role: 'billing_specialist', reason: 'documentation complete' }] });
      expect(receipt.accepted).toBe(true);
      await waitForStage(handle, 'payer_adjudication');

      const adjudicating = await handle.query(msg.status);
      // the finished prior-auth child's clock is gone (its reports carry sequence numbers against reordering)
      expect(adjudicating.deadlines.map((x) => x.step)).not.toContain('prior auth decision');
      const claimId = adjudicating.claimIds[0];
      await h.claimAtPayer(claimId);
      const file = await h.payer.control.adjudicate(claimId);
      expect(file).not.toBeNull();
      expect(await h.deliverRemittances(handle, [file!.fileId])).toBe(1);
      await settleAfterPosting(h, handle); // the claim settles after its quiet period
      await waitForStage(handle, 'patient_balance');
      const owed = (await handle.query(msg.status)).balanceCents;
      expect(owed).toBeGreaterThan(0);
      await handle.signal(msg.patientPayment, { messageId: 'pay-1', amountCents: owed, method: 'card', at: now() });
      const result = await handle.result();
      await expectLedgerMatchesOdoo(handle, h.odoo);
      return { outcome: result, claimId };
    });

    expect(outcome.state).toBe('paid');
    expect(outcome.balanceCents).toBe(0);
    expect(outcome.paidCents + outcome.patientPaidCents + outcome.writtenOffCents).toBe(120_000);
    // Odoo: one partner for the patient ref, one posted invoice fully paid by a payer and a patient payment,
    // the contractual adjustment as a credit note.
    const store = h.odoo.store;
    expect(store.count('res.partner', [['ref', '=', referral.patientRef]])).toBe(1);
    const [invoice] = store.search('account.move', [['move_type', '=', 'out_invoice'], ['ref', '=', claimId]], ['state', 'payment_state', 'amount_residual']);
    expect(invoice).toMatchObject({ state: 'posted', payment_state: 'paid', amount_residual: 0 });
    expect(store.count('account.payment')).toBe(2);
    expect(store.count('account.move', [['move_type', '=', 'out_refund']])).toBe(1);
    const kpis = h.kpi.events.map((e) => e.name);
    expect(kpis).toEqual(expect.arrayContaining(['journey_started', 'auth_decided', 'claim_submitted', 'claim_adjudicated', 'journey_closed']));
    const turnaround = h.kpi.events.find((e) => e.name === 'auth_decided')!;
    expect(turnaround.valueMs).toBeGreaterThanOrEqual(0);
  });
});
