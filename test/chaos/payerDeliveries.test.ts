import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { remittanceMessagesFrom835, type RemittanceMessage } from '../../src/domain';
import { parse835 } from '../../src/domain/x12';
import { approve, remittance, status, timeline } from '../../src/workflows/messages';
import { write835 } from '../../sim/payer';
import { driveToPayer, payAllowed } from '../support/drive';
import { bookAndServe, sampleReferral, settleAfterPosting, startJourneyHarness, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { workflowBundle } from '../support/temporal';
import { addToSummary } from './support/summary';

/**
 * Late, duplicate and out-of-order payer deliveries (time-skipping server, so the claim's settlement quiet period
 * passes): an 835 delivered — twice — after the billing release but before the claim child exists, and a reversal
 * (CLP02 = 22) delivered before the payment it reverses, each duplicated. Nothing is lost, nothing counted twice: the
 * journey settles at the right amount and its ledger matches Odoo.
 */
jest.setTimeout(300_000);

let h: JourneyHarness;
beforeAll(async () => {
  h = await startJourneyHarness('time-skipping');
});
afterAll(() => h?.close());

const step = (what: string) => void (process.env.RCM_CHAOS_DEBUG && process.stderr.write(`${new Date().toISOString()} ${what}\n`));

async function messagesOf(text: string): Promise<RemittanceMessage[]> {
  return remittanceMessagesFrom835(parse835(text)).messages.map((m) => m.message);
}
async function messagesOfFile(fileId: string): Promise<RemittanceMessage[]> {
  return messagesOf(await (await fetch(`${h.payer.url}/remittances/${fileId}`)).text());
}

/** An 835 paying `paidCents` of one claim (CO-45 for the rest), written by the payer emulator's own writer. */
function paymentFile(claimId: string, chargeCents: number, paidCents: number): string {
  return write835(
    {
      payer: { id: 'PAYER1', name: 'Payer One', taxId: '111111111', address: { line1: '1 Main St', city: 'Town', state: 'MI', zip: '49000' } },
      payee: { name: 'Clinic', npi: '1234567893' },
      paymentMethod: 'ACH',
      traceNumber: `EARLY${Date.now()}`,
      paymentDate: new Date().toISOString().slice(0, 10),
      claims: [
        {
          patientControlNumber: claimId,
          status: '1',
          chargeCents,
          paidCents,
          patientResponsibilityCents: 0,
          filingIndicator: 'MB',
          payerClaimControlNumber: `CCN${claimId}`,
          memberId: 'M-OPAQUE-1',
          claimAdjustments: [],
          services: [{ code: '99214', modifiers: [], chargeCents, paidCents, units: 1, serviceDate: new Date().toISOString().slice(0, 10), adjustments: [{ group: 'CO', reason: '45', amountCents: chargeCents - paidCents }] }],
        },
      ],
      providerAdjustments: [],
    },
    { senderId: 'PAYER1', receiverId: 'CLINIC', interchangeControlNumber: 7, groupControlNumber: 7, transactionControlNumber: '0007', createdAt: new Date() },
  );
}

describe('chaos: late, duplicate and out-of-order payer deliveries', () => {
  it('an 835 delivered twice before the claim child exists is posted once when the claim settles', async () => {
    const chargeCents = 30_000;
    const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents }] });
    let claimId = '';
    // Phase 1 on a worker without a sticky cache: a stopped worker's sticky queue would hold the next workflow task
    // (the time-skipping server never times it out while queries poll), wedging phase 2.
    const nonSticky = await Worker.create({ connection: h.env.nativeConnection, taskQueue: h.taskQueue, workflowBundle: workflowBundle(), activities: h.activities, maxCachedWorkflows: 0 });
    const handle = await nonSticky.runUntil(async () => {
      const started = await h.start(referral);
      await bookAndServe(started, chargeCents, '99214');
      const s = await waitForStatus(started, (x) => x.pendingApproval?.kind === 'billing_release', 'billing release pending');
      claimId = s.claimIds[s.claimIds.length - 1];
      await started.executeUpdate(approve, { args: [{ actorId: 'biller-2', role: 'billing_specialist', reason: 'release' }] });
      step('released');
      return started;
    });
    step('worker stopped');
    // No worker now: whatever the release set in motion, no workflow task can start the claim child before these land.
    const early = await messagesOf(paymentFile(claimId, chargeCents, 24_000));
    for (let i = 0; i < 2; i++) for (const m of early) await handle.signal(remittance, m);

    step('early 835 delivered twice');
    await h.withWorker(
      async () => {
        await waitForStatus(handle, (x) => x.stage === 'payer_adjudication', 'claim submitted after the early 835', 120_000).catch(async (err: Error) => {
          const t = await handle.query(timeline);
          throw new Error(`${err.message}\ntimeline: ${t.map((e) => `${e.action}${e.detail ? ` (${e.detail})` : ''}`).join(' | ')}`);
        });
        step('claim submitted');
        await h.claimAtPayer(claimId);
        await settleAfterPosting(h, handle, 1);
        step('settled');
        const outcome = await handle.result();
        step('result');
        // The deliveries really came first: both signals precede the child's start in the history.
        const T = temporal.api.enums.v1.EventType;
        const events = (await handle.fetchHistory()).events ?? [];
        const firstChild = events.findIndex((e) => e.eventType === T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED);
        const signals = events.map((e, i) => (e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED && e.workflowExecutionSignaledEventAttributes?.signalName === remittance.name ? i : -1)).filter((i) => i >= 0);
        expect(signals).toHaveLength(2);
        expect(firstChild).toBeGreaterThan(signals[1]);

        expect(outcome).toMatchObject({ state: 'paid', paidCents: 24_000 });
        const posted = (await handle.query(timeline)).filter((t) => t.action.startsWith('remittance posted'));
        expect(posted).toHaveLength(1);
        await expectLedgerMatchesOdoo(handle, h.odoo);
      },
      { sameQueue: true },
    );
    addToSummary({ 'out-of-order deliveries': 2, 'journeys run': 1 });
  });

  it('a reversal (CLP02 = 22) delivered before the payment it reverses, each twice, nets to the corrected payment once', async () => {
    await h.withWorker(async () => {
      const chargeCents = 50_000;
      const { handle, claimId } = await driveToPayer(h, chargeCents);
      const first = await h.payer.control.adjudicate(claimId, payAllowed(8000));
      const second = await h.payer.control.adjudicate(claimId, { kind: 'reverseAndCorrect', corrected: payAllowed(9000) });
      const [original] = await messagesOfFile(first!.fileId);
      const later = await messagesOfFile(second!.fileId);
      const reversal = later.find((m) => m.status === '22');
      const correction = later.find((m) => m.status !== '22');
      expect(reversal && correction && original).toBeTruthy();

      // reversal first (and again), then the payment it reverses, then the correction, then duplicates of both
      const order = [reversal!, reversal!, original, correction!, original, correction!];
      for (const m of order) await handle.signal(remittance, m);
      await settleAfterPosting(h, handle, 3);
      const outcome = await handle.result();
      expect(outcome).toMatchObject({ state: 'paid', paidCents: 45_000 });
      const { ledger } = await handle.query(status);
      expect(ledger.paidCents).toBe(45_000);
      await expectLedgerMatchesOdoo(handle, h.odoo);
      addToSummary({ 'out-of-order deliveries': order.length - 3 + 1, 'journeys run': 1 });
    });
  });
});
