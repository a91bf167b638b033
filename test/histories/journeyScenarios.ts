import type { WorkflowHandle } from '@temporalio/client';
import * as msg from '../../src/workflows/messages';
import { driveToPayer, payAllowed } from '../support/drive';
import { bookAndServe, releaseClaim, sampleReferral, settleAfterPosting, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { waitUntil } from '../support/waitUntil';

/**
 * Journey scenarios whose histories are recorded (scripts/record-histories.ts) into test/histories and replayed by
 * the suite, so a workflow change that breaks running journeys fails CI. Each returns the journey's workflow id.
 */
export type JourneyScenario = (h: JourneyHarness) => Promise<string>;

const now = () => new Date().toISOString();
const ops = { actorId: 'ops-1', role: 'revenue_cycle_manager' as const, reason: 'recorded scenario' };

async function payAndClose(h: JourneyHarness, handle: WorkflowHandle, claimId: string): Promise<void> {
  const file = await h.payer.control.adjudicate(claimId, { kind: 'pay' });
  await h.deliverRemittances(handle, [file!.fileId]);
  await settleAfterPosting(h, handle);
  const s = await waitForStatus(handle, (x) => x.stage === 'patient_balance' || x.stage === 'paid', 'claim settled');
  if (s.stage === 'patient_balance') {
    await handle.signal(msg.patientPayment, { messageId: `pay-${claimId}`, amountCents: s.balanceCents, method: 'card', at: now() });
  }
  await handle.result();
}

export const journeyScenarios: Record<string, JourneyScenario> = {
  /** referral → PA approved → service → AI coding → approval → claim → paid with patient share → paid */
  'journey-happy': (h) =>
    h.withWorker(async () => {
      const handle = await h.start(sampleReferral());
      await bookAndServe(handle);
      const claimId = await releaseClaim(handle);
      await h.claimAtPayer(claimId);
      await payAndClose(h, handle, claimId);
      return handle.workflowId;
    }),

  /** CO-197 denial → authorization queue → appeal overturned → paid */
  'journey-denial': (h) =>
    h.withWorker(async () => {
      const handle = await h.start(sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 30_000 }] }));
      await bookAndServe(handle, 30_000, '99214');
      const claimId = await releaseClaim(handle);
      await h.claimAtPayer(claimId);
      const denial = await h.payer.control.adjudicate(claimId, { kind: 'deny', carc: '197' });
      await h.deliverRemittances(handle, [denial!.fileId]);
      await waitForStatus(handle, (x) => x.openExceptions.some((e) => e.queue === 'authorization'), 'authorization queue');
      await payAndClose(h, handle, claimId);
      return handle.workflowId;
    }),

  /** PA pended with no decision: warn → escalate → breach on the CMS-0057-F clock, late approval, then cancelled */
  'journey-escalation': async (h) => {
    const referral = sampleReferral();
    h.payer.control.setPriorAuthRule({ match: { authRequestIdPrefix: `PA-${referral.referralId}` }, decision: { action: 'A4' } });
    return h.withWorker(async () => {
      const handle = await h.start(referral);
      await waitForStatus(handle, (s) => s.deadlines.some((d) => d.rule === 'cms0057_pa_standard'), 'PA clock');
      await h.env.sleep('8 days');
      await waitForStatus(handle, (s) => s.slaState === 'breached', 'breached');
      await handle.signal(msg.priorAuthDecision, { messageId: 'late', authRequestId: `PA-${referral.referralId}-1`, action: 'A1', authNumber: 'AUTH-1', reasons: [], requestedDocuments: [], decidedAt: now() });
      await waitForStage(handle, 'scheduling');
      await handle.executeUpdate(msg.cancel, { args: [ops] });
      await handle.result();
      return handle.workflowId;
    });
  },

  /** Temporal's own cancellation after the billing release: a hold with an exception, resumed, paid */
  'journey-cancel-after-release': (h) =>
    h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 50_000);
      await handle.cancel();
      await waitForStatus(handle, (s) => s.onHold, 'held after the cancel');
      await handle.executeUpdate(msg.resume, { args: [ops] });
      await payAndClose(h, handle, claimId);
      return handle.workflowId;
    }),

  /** Temporal's own cancellation before the billing release: the draft invoice is voided, the journey cancelled */
  'journey-cancel-before-release': (h) =>
    h.withWorker(async () => {
      const handle = await h.start(sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 20_000 }] }));
      await bookAndServe(handle, 20_000, '99214');
      await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');
      await handle.cancel();
      await handle.result();
      return handle.workflowId;
    }),

  /** Odoo's chatter down past the retry budget after adjudication: held, resumed by an operator, paid once */
  'journey-hold-resume': (h) =>
    h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 60_000);
      const file = await h.payer.control.adjudicate(claimId, payAllowed(10_000));
      await h.deliverRemittances(handle, [file!.fileId]);
      await waitUntil(async () => (await handle.query(msg.timeline)).some((t) => t.action.startsWith('remittance posted')), 'remittance posted');
      h.odoo.faults.set({ errorRate5xx: 1, match: { method: 'message_post' } });
      await waitUntil(async () => {
        if ((await handle.query(msg.status)).onHold) return true;
        await h.env.sleep('2 minutes');
        return false;
      }, 'held after the retry budget', 90_000);
      h.odoo.faults.clear();
      await handle.executeUpdate(msg.resume, { args: [ops] });
      await handle.result();
      return handle.workflowId;
    }),
};
