import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { priorAuth, priorAuthWorkflowId } from '../priorAuth';
import type { StageContext } from './context';
import { isSelfPay } from './selfPay';
import { handDownPatchLevel } from '../runtime/patchLevel';
import { takeChildResult } from '../childReports';

/**
 * Stage 3: when the payer or the referral says auth is required, the prior-auth child submits the request and waits
 * for the decision under the regulatory clock. Its result is committed once, so a rerun after a hold does not ask
 * the payer again.
 */
export async function priorAuthorization(ctx: StageContext): Promise<void> {
  const { rt, d, journeyId, links } = ctx;
  const r = rt.referral;
  // Self-pay: there is no payer to authorize anything.
  const required = !isSelfPay(ctx) && (d.facts.eligibility?.authRequired || r.authRequired === true);
  if (!required) {
    d.facts.auth = { outcome: 'not_required' };
    await rt.transition('auth_not_required');
    return;
  }
  let result = d.facts.auth;
  if (!result) {
    const attempt = (d.facts.priorAuthAttempts ?? 0) + 1;
    d.facts.priorAuthAttempts = attempt;
    const authRequestId = `PA-${r.referralId}-${attempt}`.slice(0, 64);
    rt.setAwaiting('prior authorization decision (child workflow)');
    const child = await startChild(priorAuth, {
      workflowId: priorAuthWorkflowId(journeyId, attempt),
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      staticSummary: `Prior auth ${authRequestId} · payer ${r.payerId} · ${r.urgency}`,
      args: [
        {
          journeyId,
          ...handDownPatchLevel(),
          siteId: r.siteId,
          payerId: r.payerId,
          planType: r.planType,
          urgency: r.urgency,
          authRequestId,
          memberRef: r.patientRef,
          services: r.orderedServices.map((s) => ({ code: s.cpt, units: s.units })),
          diagnoses: [...new Set(r.orderedServices.flatMap((s) => s.icd10))],
          sla: rt.slaContext,
          taskId: d.intakeTaskId,
          initialDecisions: links.priorAuth.handOver((x) => x.authRequestId === authRequestId),
        },
      ],
    });
    await links.priorAuth.attach(child);
    result = await takeChildResult(rt, child.result());
    links.priorAuth.detach();
    d.facts.auth = result;
  }
  const decided = 'action' in result ? result : undefined;
  await rt.transition(result.outcome === 'approved' ? 'auth_approved' : 'auth_not_required', {
    actor: `payer:${r.payerId}`,
    detail: decided ? `${decided.action}${decided.authNumber ? ` auth ${decided.authNumber}` : ''}` : 'not required',
  });
}
