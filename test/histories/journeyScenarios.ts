import type { WorkflowHandle } from '@temporalio/client';
import * as msg from '../../src/workflows/messages';
import { bookAndServe, releaseClaim, sampleReferral, settleAfterPosting, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';

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
};
