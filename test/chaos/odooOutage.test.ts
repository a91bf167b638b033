import { createJourneyClient } from '../../src/client/journeyClient';
import { approve, status, timeline } from '../../src/workflows/messages';
import type { JourneyStatus } from '../../src/workflows/journeyState';
import { payAllowed } from '../support/drive';
import { bookAndServe, sampleReferral, settleAfterPosting, startJourneyHarness, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { ledgerDifferences } from '../support/ledgerInvariant';
import { addToSummary } from './support/summary';

/**
 * Odoo fully down for longer than the activity retry budget, then back. Journeys released while Odoo answers every
 * request 503 exhaust their Odoo activity retries and go on hold (integration_failure); Odoo comes back; an operator
 * resumes each one (the `rcm resume` call: JourneyClient.decide 'resume'); each is then paid, its 835 delivered twice,
 * and settles with one invoice, one payment, no duplicate ticket and a ledger that matches Odoo.
 * The retry budget is the workflow's Odoo proxy policy (20 attempts, up to 30 s apart: minutes of real time) with no
 * configuration override, so this runs on the time-skipping server, which skips the retry backoff.
 * Size: RCM_CHAOS_OUTAGE_JOURNEYS (default 3).
 */
const JOURNEYS = Number(process.env.RCM_CHAOS_OUTAGE_JOURNEYS ?? 3);
jest.setTimeout(Math.max(400_000, JOURNEYS * 120_000));

let h: JourneyHarness;
beforeAll(async () => {
  h = await startJourneyHarness('time-skipping');
});
afterAll(() => h?.close());

const heldForIntegration = (s: JourneyStatus) => s.onHold && s.openExceptions.some((e) => e.queue === 'integration_failure');

describe('chaos: Odoo down past the retry budget, then back', () => {
  it(`${JOURNEYS} journeys held during the outage are resumed by an operator and finish once, ledger matching Odoo`, async () => {
    const chargeCents = 30_000;
    const journeys = createJourneyClient({ client: h.client, taskQueueFor: () => h.taskQueue });
    await h.withWorker(async () => {
      const started = await Promise.all(
        Array.from({ length: JOURNEYS }, async () => {
          const handle = await h.start(sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents }] }));
          await bookAndServe(handle, chargeCents, '99214');
          const s = await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'billing_release', 'billing release pending', 60_000);
          return { handle, claimId: s.claimIds[s.claimIds.length - 1] };
        }),
      );

      // Odoo goes fully down; the releases go ahead and every Odoo call after them fails.
      h.odoo.faults.set({ seed: 21, errorRate5xx: 1 });
      const failedBefore = h.odoo.faults.injected.error5xx;
      for (const { handle } of started) await handle.executeUpdate(approve, { args: [{ actorId: 'biller-2', role: 'billing_specialist', reason: 'release' }] });
      // Skip test time past the retry budget until every journey is on hold for the integration failure.
      const deadline = Date.now() + 240_000;
      for (;;) {
        const states = await Promise.all(started.map(({ handle }) => handle.query(status)));
        if (states.every(heldForIntegration)) break;
        if (Date.now() > deadline) throw new Error(`not all held for integration_failure: ${states.map((s) => `${s.stage} onHold=${s.onHold} ${s.openExceptions.map((e) => e.queue).join('|')}`).join('; ')}`);
        await h.env.sleep('2 minutes');
      }
      const failed = h.odoo.faults.injected.error5xx - failedBefore;
      expect(failed).toBeGreaterThanOrEqual(20 * JOURNEYS); // each journey spent its whole retry budget

      // Odoo is back; an operator resumes every held journey.
      h.odoo.faults.clear();
      for (const { handle } of started) {
        const receipt = await journeys.decide(handle.workflowId, { type: 'resume', input: { actorId: 'sup-1', role: 'billing_supervisor', reason: 'Odoo is back after the outage' } });
        expect(receipt.accepted).toBe(true);
      }

      // Every claim paid and its 835 delivered (twice) before any settles: settling skips test time, and a journey
      // still waiting for its remittance must not see its clocks run out meanwhile.
      for (const { handle, claimId } of started) {
        await waitForStatus(handle, (s) => s.stage === 'payer_adjudication' && !s.onHold, 'at the payer after the resume', 60_000);
        await h.claimAtPayer(claimId);
        const file = await h.payer.control.adjudicate(claimId, payAllowed(8000));
        await h.deliverRemittances(handle, [file!.fileId]);
        await h.deliverRemittances(handle, [file!.fileId]); // the payer's duplicate delivery
      }
      const problems: string[] = [];
      for (const { handle, claimId } of started) {
        await settleAfterPosting(h, handle, 1);
        const outcome = await handle.result();
        if (outcome.state !== 'paid' || outcome.paidCents !== 24_000) problems.push(`${handle.workflowId}: ${JSON.stringify(outcome)}`);
        const posted = (await handle.query(timeline)).filter((t) => t.action.startsWith('remittance posted')).length;
        if (posted !== 1) problems.push(`${handle.workflowId}: ${posted} remittances posted`);
        const { ledger } = await handle.query(status);
        problems.push(...ledgerDifferences(ledger, h.odoo).map((d) => `${handle.workflowId}: ${d}`));
        // Tickets are keyed by journey, queue and title: one of each, however often the outage made us retry.
        const tickets = (h.odoo.store.search('helpdesk.ticket', [['name', 'like', `[${handle.workflowId}]`]], ['name']) as { name: string }[]).map((t) => t.name);
        const dupTickets = tickets.filter((t, i) => tickets.indexOf(t) !== i);
        if (dupTickets.length) problems.push(`${handle.workflowId}: duplicate tickets ${dupTickets.join(', ')}`);
        const invoices = h.odoo.store.search('account.move', [['move_type', '=', 'out_invoice'], ['ref', '=', claimId]], ['id']);
        if (invoices.length !== 1) problems.push(`${handle.workflowId}: ${invoices.length} invoices for ${claimId}`);
      }
      addToSummary({ outages: 1, 'faults injected': failed, 'journeys run': JOURNEYS, 'ledger mismatches': problems.length });
      expect(problems).toEqual([]);
    });
  });
});
