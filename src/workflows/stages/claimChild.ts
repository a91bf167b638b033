import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { RemittanceMessage } from '../../domain';
import { claimLifecycle, type ClaimLifecycleInput, type ClaimLifecycleResult } from '../claimLifecycle';
import { takeChildResult } from '../childReports';
import { handDownPatchLevel } from '../runtime/patchLevel';
import type { StageContext } from './context';

/** What differs between a primary and a secondary claim; the journey fills in the rest. */
export type ClaimChildInput = Omit<ClaimLifecycleInput, 'journeyId' | 'patchLevel' | 'siteId' | 'sla' | 'taskId' | 'initialStatuses' | 'initialRemittances'>;

/**
 * One claim's lifecycle as a child workflow: payer messages that came before it started are handed over in its
 * input, later ones are forwarded while it runs, and its held-back reports are applied before its result is used.
 */
export async function runClaimChild(
  { rt, d, journeyId, links }: StageContext,
  spec: { workflowId: string; staticSummary: string; input: ClaimChildInput; takesRemittance: (m: RemittanceMessage) => boolean },
): Promise<ClaimLifecycleResult> {
  const { claimId } = spec.input;
  const child = await startChild(claimLifecycle, {
    workflowId: spec.workflowId,
    parentClosePolicy: ParentClosePolicy.TERMINATE,
    staticSummary: spec.staticSummary,
    args: [
      {
        journeyId,
        ...handDownPatchLevel(),
        siteId: rt.referral.siteId,
        ...spec.input,
        sla: rt.slaContext,
        taskId: d.intakeTaskId,
        initialStatuses: links.claimStatus.handOver((s) => s.claimId === claimId),
        initialRemittances: links.remittances.handOver(spec.takesRemittance),
      },
    ],
  });
  await Promise.all([links.claimStatus.attach(child), links.remittances.attach(child)]);
  const result = await takeChildResult(rt, child.result());
  links.claimStatus.detach();
  links.remittances.detach();
  return result;
}
