import * as msg from '../../src/workflows/messages';
import { remittanceMessagesFrom835 } from '../../src/domain';
import { parse835 } from '../../src/domain/x12';
import { driveToPayer, driveToWriteOffPending, payAllowed } from '../support/drive';
import { settleAfterPosting, startJourneyHarness, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { waitUntil } from '../support/waitUntil';

const resume = { actorId: 'ops-1', role: 'billing_supervisor' as const, reason: 'Odoo is back' };

/** Outages past the retry budget, failed payer calls and conflicting remittances: the journey holds or routes, never wedges. */
describe('failure paths (time-skipping server)', () => {
  let h: JourneyHarness;
  beforeEach(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterEach(async () => {
    h?.odoo.faults.clear();
    await h?.close();
  });

  it('an Odoo outage past the retry budget after adjudication holds the journey; resume finishes it without counting money twice', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 120_000);
      const file = await h.payer.control.adjudicate(claimId, payAllowed(8_000));
      await h.deliverRemittances(handle, [file!.fileId]);
      await waitUntil(async () => (await handle.query(msg.timeline)).some((t) => t.action.startsWith('remittance posted')), 'remittance posted');
      // Odoo's chatter goes down: the transition after the claim settles cannot mirror the timeline.
      h.odoo.faults.set({ errorRate5xx: 1, match: { method: 'message_post' } });
      const held = await heldAfterRetries(handle);
      expect(held.openExceptions.map((e) => e.queue)).toContain('integration_failure');
      expect(held.paidCents).toBe(96_000);
      h.odoo.faults.clear();
      await handle.executeUpdate(msg.resume, { args: [resume] });
      const outcome = await handle.result();
      expect(outcome).toMatchObject({ state: 'paid', paidCents: 96_000, writtenOffCents: 24_000, balanceCents: 0 });
      expect(h.payer.control.submissions()).toBe(1); // the rerun did not send the claim again
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a write-off whose credit note fails past the retry budget is applied once after resume', async () => {
    await h.withWorker(async () => {
      const { handle } = await driveToWriteOffPending(h);
      h.odoo.faults.set({ errorRate5xx: 1, match: { model: 'account.move.reversal' } });
      await handle.executeUpdate(msg.decideWriteOff, { args: [{ actorId: 'sup-1', role: 'billing_supervisor', decision: 'approve', reason: 'not medically necessary; no appeal' }] });
      const held = await heldAfterRetries(handle);
      expect(held.ledger.writtenOffCents).toBe(0); // nothing counted that Odoo does not hold
      h.odoo.faults.clear();
      await handle.executeUpdate(msg.resume, { args: [resume] });
      const outcome = await handle.result();
      expect(outcome).toMatchObject({ state: 'written_off', writtenOffCents: 40_000, balanceCents: 0 });
      expect(h.odoo.store.count('account.move', [['move_type', '=', 'out_refund']])).toBe(1);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a claim-status inquiry that fails for good is recorded, and the claim still gets paid', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 50_000);
      h.payer.control.failNext(404, 1_000, { pathPrefix: `/claims/${claimId}/status` });
      await h.env.sleep('20 days'); // past the prompt-payment follow-up point
      await waitUntil(async () => (await handle.query(msg.timeline)).some((t) => t.action === 'claim status inquiry failed'), 'failed inquiry recorded');
      h.payer.control.clearFaults();
      const file = await h.payer.control.adjudicate(claimId, payAllowed(10_000));
      await h.deliverRemittances(handle, [file!.fileId]);
      await settleAfterPosting(h, handle);
      expect(await handle.result()).toMatchObject({ state: 'paid', paidCents: 50_000 });
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a remittance that reuses a posting key with other amounts goes to cash posting instead of failing the claim', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 100_000);
      const first = await h.payer.control.adjudicate(claimId, payAllowed(8_000));
      const [message] = await messagesOf(first!.fileId);
      await h.deliverRemittances(handle, [first!.fileId]);
      await waitUntil(async () => (await handle.query(msg.timeline)).some((t) => t.action.startsWith('remittance posted')), 'remittance posted');
      // Same TRN02/CLP01/CLP07/CLP02, another amount: a payer correction that cannot be netted automatically.
      const conflicting = shiftToAdjustment(message, 1_000);
      await handle.signal(msg.remittance, conflicting);
      const s = await waitForStatus(handle, (x) => x.openExceptions.some((e) => e.queue === 'cash_posting_team' && e.reason.includes('conflict')), 'conflict in cash posting');
      expect(s.onHold).toBe(false);
      await settleAfterPosting(h, handle);
      expect(await handle.result()).toMatchObject({ state: 'paid', paidCents: 80_000 });
      expect(h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', 'Remit conflict']])).toBe(1);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  /** The same claim payment with `cents` moved from paid to the contractual adjustment, still balanced. */
  function shiftToAdjustment(m: Awaited<ReturnType<typeof messagesOf>>[number], cents: number) {
    const bump = <T extends { adjustments: { amountCents: number }[] }>(x: T): T => ({ ...x, adjustments: x.adjustments.map((a, i) => (i === 0 ? { ...a, amountCents: a.amountCents + cents } : a)) });
    const onService = m.services.length > 0 && m.services[0].adjustments.length > 0;
    return {
      ...(onService ? m : bump(m)),
      messageId: `${m.messageId}-x`,
      paidCents: m.paidCents - cents,
      services: m.services.map((svc, i) => (i === 0 && onService ? { ...bump(svc), ...(svc.paidCents !== undefined ? { paidCents: svc.paidCents - cents } : {}) } : svc)),
    };
  }

  /** Skip the test server's clock through the activity retry budget (≈ 8 min of backoff) until the journey holds. */
  async function heldAfterRetries(handle: Parameters<typeof waitForStatus>[0]) {
    return waitUntil(async () => {
      const s = await handle.query(msg.status);
      if (s.onHold) return s;
      await h.env.sleep('2 minutes');
      return undefined;
    }, 'held after the retry budget', 90_000);
  }

  async function messagesOf(fileId: string) {
    const content = await (await fetch(`${h.payer.url}/remittances/${fileId}`)).text();
    return remittanceMessagesFrom835(parse835(content)).messages.map((m) => m.message);
  }
});
