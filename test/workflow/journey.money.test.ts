import { WorkflowUpdateFailedError } from '@temporalio/client';
import { remittanceMessagesFrom835 } from '../../src/domain';
import { parse835 } from '../../src/domain/x12';
import * as msg from '../../src/workflows/messages';
import { bookAndServe, releaseClaim, sampleReferral, settleAfterPosting, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { waitUntil } from '../support/waitUntil';

/** Denials, write-offs, reversals: money paths of the journey against the payer emulator's balanced 835s. */
describe('claims, denials and write-offs (time-skipping server)', () => {
  // A fresh time-skipping server per test: time skips are global to a server, so journeys of one test must not
  // hold the clock of the next.
  let h: JourneyHarness;
  beforeEach(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterEach(async () => h?.close());

  /** A referral that needs no prior auth (office visit), driven to the payer. */
  async function toPayer(chargeCents = 120_000) {
    const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents }] });
    const handle = await h.start(referral);
    await bookAndServe(handle, chargeCents, '99214');
    const claimId = await releaseClaim(handle);
    await h.claimAtPayer(claimId);
    return { referral, handle, claimId };
  }

  it('routes CO-197 (authorization absent) to the authorization queue', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await toPayer();
      const file = await h.payer.control.adjudicate(claimId, { kind: 'deny', carc: '197' });
      await h.deliverRemittances(handle, [file!.fileId]);
      const s = await waitForStatus(handle, (x) => x.openExceptions.some((e) => e.queue === 'authorization'), 'authorization queue');
      expect(s.stage).toBe('payer_adjudication');
      // the child reports the exception before it opens the ticket and counts the KPIs: wait for them
      await waitUntil(() => h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', 'CO-197']]) === 1, 'the CO-197 ticket');
      // denial rate = denied ÷ adjudicated: the denial counts as an adjudication
      await waitUntil(() => h.kpi.events.some((e) => e.name === 'claim_adjudicated' && e.outcome === 'denied'), 'the adjudication KPI');
      expect(h.kpi.events.filter((e) => e.name === 'claim_adjudicated' && e.outcome === 'denied')).toHaveLength(1);
      expect(h.kpi.events.filter((e) => e.name === 'claim_denied')).toHaveLength(1);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('answers CO-16 + MA130 (unprocessable) with a new claim, not an appeal', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await toPayer();
      const before = h.payer.control.submissions();
      const file = await h.payer.control.adjudicate(claimId, { kind: 'deny', carc: '16', rarcs: ['MA130'] });
      await h.deliverRemittances(handle, [file!.fileId]);
      const s = await waitForStatus(handle, (x) => x.claimIds.length === 2 && x.stage === 'payer_adjudication', 'second claim');
      expect(s.claimIds[1]).not.toBe(claimId);
      await waitForStatus(handle, () => h.payer.control.submissions() === before + 1, 'new claim at the payer');
      expect(s.openExceptions.map((e) => e.queue)).toContain('documentation');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('sends a PR-1 (deductible) denial to patient responsibility', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await toPayer(30_000);
      const file = await h.payer.control.adjudicate(claimId, { kind: 'deny', group: 'PR', carc: '1' });
      await h.deliverRemittances(handle, [file!.fileId]);
      await settleAfterPosting(h, handle);
      const s = await waitForStage(handle, 'patient_balance');
      expect(s.balanceCents).toBe(30_000);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('posts a reversal (CLP02=22) and its corrected payment once, even when the 835s are delivered twice', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await toPayer();
      const first = await h.payer.control.adjudicate(claimId, { kind: 'pay', allowedBasisPoints: 8000, deductibleCents: 0, copayCents: 0, coinsuranceBasisPoints: 0 });
      const second = await h.payer.control.adjudicate(claimId, { kind: 'reverseAndCorrect', corrected: { kind: 'pay', allowedBasisPoints: 9000, deductibleCents: 0, copayCents: 0, coinsuranceBasisPoints: 0 } });
      const files = [first!.fileId, second!.fileId];
      expect(await h.deliverRemittances(handle, files)).toBe(3);
      expect(await h.deliverRemittances(handle, files)).toBe(3); // redelivery: duplicates
      await settleAfterPosting(h, handle, 3);
      const outcome = await handle.result();
      expect(outcome).toMatchObject({ state: 'paid', paidCents: 108_000, writtenOffCents: 12_000 }); // 90 % after the correction
      const timeline = await handle.query(msg.timeline);
      expect(timeline.filter((t) => t.action.startsWith('remittance posted'))).toHaveLength(3);
      expect(timeline.filter((t) => t.action === 'duplicate remittance ignored' || t.action === 'remittance received').length).toBeGreaterThanOrEqual(3);
      const invoice = h.odoo.store.search('account.move', [['ref', '=', claimId]], ['id'])[0] as { id: number };
      const payments = h.odoo.store.search('account.payment', [['reconciled_invoice_ids', 'in', [invoice.id]]], ['amount']) as { amount: number }[];
      expect(payments.reduce((sum, p) => sum + Math.round(p.amount * 100), 0)).toBe(108_000);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a payment and its reversal + correction in a later 835 post the net of each trace under its own memo', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await toPayer();
      const pay = { kind: 'pay' as const, allowedBasisPoints: 8000, deductibleCents: 0, copayCents: 0, coinsuranceBasisPoints: 0 };
      const first = await h.payer.control.adjudicate(claimId, pay);
      const second = await h.payer.control.adjudicate(claimId, { kind: 'reverseAndCorrect', corrected: { ...pay, allowedBasisPoints: 9000 } });
      await h.deliverRemittances(handle, [first!.fileId]);
      await h.deliverRemittances(handle, [second!.fileId]); // within the quiet period: one settlement for both files
      await settleAfterPosting(h, handle, 3);
      expect(await handle.result()).toMatchObject({ state: 'paid', paidCents: 108_000 });
      // each Odoo payment ties to one deposit: Σ CLP04 per TRN02 of the 835s
      const perTrace = new Map<string, number>();
      for (const fileId of [first!.fileId, second!.fileId]) {
        const content = await (await fetch(`${h.payer.url}/remittances/${fileId}`)).text();
        for (const { message } of remittanceMessagesFrom835(parse835(content)).messages) perTrace.set(message.traceNumber, (perTrace.get(message.traceNumber) ?? 0) + message.paidCents);
      }
      const { ledger } = await handle.query(msg.status);
      expect(new Map(ledger.payments.map((p) => [p.memo.split('/')[0], p.amountCents]))).toEqual(perTrace);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('needs a role whose limit covers the write-off, with a reason, decided by someone other than the requester', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await toPayer();
      const file = await h.payer.control.adjudicate(claimId, { kind: 'deny', carc: '29' }); // timely filing expired
      await h.deliverRemittances(handle, [file!.fileId]);
      // CO-29 is appealable (proof of timely filing); with no appeal outcome inside the window the fallback is a write-off.
      await waitForStatus(handle, (x) => x.openExceptions.some((e) => e.queue === 'timely_filing'), 'timely filing queue');
      await h.env.sleep('100 days');
      const pending = await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'write_off', 'write-off pending');
      expect(pending.pendingApproval!.amountCents).toBe(120_000);
      const decide = (actorId: string, role: any, reason = 'timely filing limit passed; no proof of timely filing') =>
        handle.executeUpdate(msg.decideWriteOff, { args: [{ actorId, role, reason, decision: 'approve' }] });
      await expect(decide('biller-2', 'billing_specialist')).rejects.toBeInstanceOf(WorkflowUpdateFailedError); // $100 limit
      await expect(decide('sup-1', 'billing_supervisor')).rejects.toThrow(); // $1,000 limit
      await expect(decide('mgr-1', 'revenue_cycle_manager', '')).rejects.toThrow(); // reason required
      const refusals = await decide('system', 'revenue_cycle_manager').catch((e: WorkflowUpdateFailedError) => e);
      expect(refusals).toBeInstanceOf(WorkflowUpdateFailedError); // the requester may not approve
      const receipt = await decide('mgr-1', 'revenue_cycle_manager');
      expect(receipt.accepted).toBe(true);
      const outcome = await handle.result();
      expect(outcome.state).toBe('written_off');
      expect(outcome.writtenOffCents).toBe(120_000);
      // a closed journey keeps its open exceptions: each has a ticket in Odoo that only a person resolves
      const open = (await handle.query(msg.status)).openExceptions;
      expect(open.map((e) => e.queue)).toContain('timely_filing');
      for (const e of open) expect(h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', `${e.queue}:`]])).toBeGreaterThan(0);
      expect(h.odoo.store.count('account.move', [['move_type', '=', 'out_refund'], ['ref', 'ilike', claimId]])).toBe(1);
      const approvals = h.odoo.store.search('approval.request', [['name', 'ilike', 'write_off']], ['request_status']) as { request_status: string }[];
      expect(approvals.map((a) => a.request_status)).toContain('approved');
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('closes with the balance open when the write-off is refused', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await toPayer(40_000);
      const file = await h.payer.control.adjudicate(claimId, { kind: 'deny', carc: '50' }); // not medically necessary
      await h.deliverRemittances(handle, [file!.fileId]);
      await waitForStatus(handle, (x) => x.openExceptions.some((e) => e.queue === 'medical_necessity'), 'medical necessity queue');
      await h.env.sleep('100 days'); // appeal window closes without an outcome
      await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'write_off', 'write-off pending');
      await handle.executeUpdate(msg.decideWriteOff, { args: [{ actorId: 'sup-1', role: 'billing_supervisor', decision: 'reject', reason: 'pursue a clinical appeal outside the window' }] });
      const outcome = await handle.result();
      expect(outcome).toMatchObject({ state: 'closed_with_balance', balanceCents: 40_000, writtenOffCents: 0 });
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });
});
