import { remittanceMessagesFrom835 } from '../../src/domain';
import { parse835 } from '../../src/domain/x12';
import * as msg from '../../src/workflows/messages';
import { driveToPayer, driveToWriteOffPending, payAllowed } from '../support/drive';
import { bookAndServe, sampleReferral, settleAfterPosting, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { waitUntil } from '../support/waitUntil';

const now = () => new Date().toISOString();
const unapplied = (ref: string) => (s: { openExceptions: { queue: string; ref?: string }[] }) => s.openExceptions.some((e) => e.queue === 'cash_posting_team' && e.ref === ref);

/** Every money message is applied, or opens a cash-posting exception with a ticket — whatever the stage or transport. */
describe('money messages nothing else will apply (time-skipping server)', () => {
  let h: JourneyHarness;
  beforeEach(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterEach(async () => h?.close());

  async function messagesOf(fileId: string) {
    const content = await (await fetch(`${h.payer.url}/remittances/${fileId}`)).text();
    return remittanceMessagesFrom835(parse835(content)).messages.map((m) => m.message);
  }

  it('a remittance that arrives while a write-off approval is pending opens a cash-posting exception with its ticket', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToWriteOffPending(h);
      // the clinical appeal succeeded after all: the payer pays while the write-off waits
      const paid = await h.payer.control.adjudicate(claimId, payAllowed(10_000));
      const [late] = await messagesOf(paid!.fileId);
      await h.deliverRemittances(handle, [paid!.fileId]);
      await waitForStatus(handle, unapplied(late.messageId), 'unapplied remittance in cash posting');
      await waitUntil(() => h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', `Unapplied remittance ${late.messageId}`]]) === 1, 'its ticket');
      await handle.executeUpdate(msg.decideWriteOff, { args: [{ actorId: 'sup-1', role: 'billing_supervisor', decision: 'reject', reason: 'payer paid on appeal: cash posting applies it' }] });
      expect(await handle.result()).toMatchObject({ state: 'closed_with_balance', balanceCents: 40_000 });
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a patient payment after the balance cycle ended opens a cash-posting exception with its ticket', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 30_000);
      const file = await h.payer.control.adjudicate(claimId, { kind: 'deny', group: 'PR', carc: '1' });
      await h.deliverRemittances(handle, [file!.fileId]);
      await settleAfterPosting(h, handle);
      await waitForStage(handle, 'patient_balance');
      await h.env.sleep('150 days'); // the statement cycle ends unpaid
      await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'write_off', 'write-off of the patient balance pending');
      await handle.signal(msg.patientPayment, { messageId: 'pay-late', amountCents: 10_000, method: 'card', at: now() });
      await waitForStatus(handle, unapplied('pay-late'), 'unapplied patient payment in cash posting');
      await waitUntil(() => h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', 'Unapplied patient payment pay-late']]) === 1, 'its ticket');
      await handle.executeUpdate(msg.decideWriteOff, { args: [{ actorId: 'sup-1', role: 'billing_supervisor', decision: 'approve', reason: 'uncollectible after four statements' }] });
      expect(await handle.result()).toMatchObject({ state: 'written_off', patientPaidCents: 0, balanceCents: 0 });
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a late remittance delivered by update (as rcm ingest-835 does) after the claim settled opens a cash-posting exception', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 30_000);
      const file = await h.payer.control.adjudicate(claimId, { ...payAllowed(10_000), coinsuranceBasisPoints: 2_000 }); // 80 % payer, 20 % patient
      await h.deliverRemittances(handle, [file!.fileId]);
      await settleAfterPosting(h, handle);
      await waitForStage(handle, 'patient_balance');
      const reversal = await h.payer.control.adjudicate(claimId, { kind: 'reverseAndCorrect', corrected: payAllowed(10_000) });
      const late = await messagesOf(reversal!.fileId);
      for (const m of late) {
        const receipt = await handle.executeUpdate(msg.deliverPayerMessage, { args: [{ kind: 'remittance', payload: m }] });
        expect(receipt.accepted).toBe(true);
      }
      for (const m of late) await waitForStatus(handle, unapplied(m.messageId), `remittance ${m.messageId} in cash posting`);
      await waitUntil(() => h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', 'Unapplied remittance']]) === late.length, 'one ticket each');
      await handle.signal(msg.patientPayment, { messageId: 'pay-1', amountCents: 6_000, method: 'card', at: now() });
      expect(await handle.result()).toMatchObject({ state: 'paid', patientPaidCents: 6_000, paidCents: 24_000 });
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a contractual adjustment above the auto limit is credited only after its approval, and counted only then', async () => {
    await h.withWorker(async () => {
      const chargeCents = 1_600_000;
      const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents }] });
      const handle = await h.start(referral);
      await bookAndServe(handle, chargeCents, '99214');
      await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');
      await handle.executeUpdate(msg.approve, { args: [{ actorId: 'sup-2', role: 'billing_supervisor', reason: 'release' }] });
      const { claimIds } = await waitForStage(handle, 'payer_adjudication');
      await h.claimAtPayer(claimIds[0]);
      const file = await h.payer.control.adjudicate(claimIds[0], payAllowed(5_000)); // $8,000 contractual
      await h.deliverRemittances(handle, [file!.fileId]);
      await settleAfterPosting(h, handle);
      const pending = await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'write_off', 'contractual adjustment approval pending');
      expect(pending.pendingApproval!.amountCents).toBe(800_000);
      expect(pending.ledger).toMatchObject({ paidCents: 800_000, adjustedCents: 0, balanceCents: 800_000 });
      expect(h.odoo.store.count('account.move', [['move_type', '=', 'out_refund']])).toBe(0);
      await expectLedgerMatchesOdoo(pending, h.odoo);
      await expect(handle.executeUpdate(msg.decideWriteOff, { args: [{ actorId: 'sup-1', role: 'billing_supervisor', decision: 'approve', reason: 'contract rate' }] })).rejects.toThrow();
      await handle.executeUpdate(msg.decideWriteOff, { args: [{ actorId: 'mgr-1', role: 'revenue_cycle_manager', decision: 'approve', reason: 'contract rate per fee schedule' }] });
      const outcome = await handle.result();
      expect(outcome).toMatchObject({ state: 'paid', paidCents: 800_000, writtenOffCents: 800_000, balanceCents: 0 });
      const after = await handle.query(msg.status);
      expect(after.ledger.adjustedCents).toBe(800_000);
      expect(after.openExceptions.map((e) => e.queue)).not.toContain('write_off_approval');
      await expectLedgerMatchesOdoo(after, h.odoo);
    });
  });
});
