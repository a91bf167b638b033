import { remittanceMessagesFrom835 } from '../../src/domain';
import { parse835 } from '../../src/domain/x12';
import * as msg from '../../src/workflows/messages';
import { driveToPayer, driveToWriteOffPending, payAllowed } from '../support/drive';
import { settleAfterPosting, startJourneyHarness, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';

/** SLA rungs fire once per deadline; the exception KPIs add up; the Odoo chatter holds the whole timeline. */
describe('clocks, exception counts and the audit mirror (time-skipping server)', () => {
  let h: JourneyHarness;
  beforeEach(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterEach(async () => h?.close());

  it('a claim that loops over an already-past prompt-payment ladder does not warn, escalate or breach again', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 50_000);
      await h.env.sleep('60 days'); // past warn, due and breach of the claim-status follow-up
      await waitForStatus(handle, (s) => s.slaState === 'breached', 'claim status breached');
      const count = (name: string) => h.kpi.events.filter((e) => e.name === name && e.stage === 'payer_adjudication').length;
      const fired = { warn: count('sla_warning'), due: count('sla_escalated'), breach: count('sla_breach') };
      expect(fired).toEqual({ warn: 1, due: 1, breach: 1 });
      // An unbalanced remit is routed to cash posting and the claim waits again on the same (past) ladder.
      const file = await h.payer.control.adjudicate(claimId, payAllowed(10_000));
      const content = await (await fetch(`${h.payer.url}/remittances/${file!.fileId}`)).text();
      const [good] = remittanceMessagesFrom835(parse835(content)).messages.map((m) => m.message);
      await handle.signal(msg.remittance, { ...good, messageId: `${good.messageId}-unbalanced`, paidCents: good.paidCents - 500 });
      await waitForStatus(handle, (s) => s.openExceptions.some((e) => e.queue === 'cash_posting_team'), 'unbalanced remit in cash posting');
      await handle.signal(msg.remittance, good);
      await settleAfterPosting(h, handle);
      expect(await handle.result()).toMatchObject({ state: 'paid', paidCents: 50_000 });
      expect({ warn: count('sla_warning'), due: count('sla_escalated'), breach: count('sla_breach') }).toEqual(fired);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('opened − closed exception counts equal what the journey still shows open, also after close', async () => {
    await h.withWorker(async () => {
      const { handle } = await driveToWriteOffPending(h);
      await handle.executeUpdate(msg.decideWriteOff, { args: [{ actorId: 'sup-1', role: 'billing_supervisor', decision: 'approve', reason: 'not medically necessary; no appeal' }] });
      await handle.result();
      const open = (await handle.query(msg.status)).openExceptions;
      const net = new Map<string, number>();
      for (const e of h.kpi.events) {
        if (e.name === 'exception_opened') net.set(e.queue!, (net.get(e.queue!) ?? 0) + 1);
        if (e.name === 'exception_closed') net.set(e.queue!, (net.get(e.queue!) ?? 0) - 1);
      }
      const stillOpen = new Map<string, number>();
      for (const e of open) stillOpen.set(e.queue, (stillOpen.get(e.queue) ?? 0) + 1);
      // write_off_approval was opened and closed; medical_necessity stays open with its ticket
      expect(net.get('write_off_approval')).toBe(0);
      for (const [queue, n] of net) if (n !== 0) expect(stillOpen.get(queue)).toBe(n);
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('mirrors every timeline entry to the Odoo chatter, including those recorded while a mirror was in flight', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 30_000);
      const file = await h.payer.control.adjudicate(claimId, payAllowed(10_000));
      await h.deliverRemittances(handle, [file!.fileId]);
      await settleAfterPosting(h, handle);
      await handle.result();
      const timeline = await handle.query(msg.timeline);
      const bodies = (h.odoo.store.search('mail.message', [['model', '=', 'project.task']], ['body']) as { body: string }[]).map((m) => m.body).join('\n');
      const missing = timeline.filter((e) => !bodies.includes(`${e.at} [${e.stage}] ${e.action}`));
      expect(missing).toEqual([]);
    });
  });
});
