import { defineQuery, setHandler } from '@temporalio/workflow';
import {
  computeLadder,
  localDate,
  priorAuthClock,
  priorAuthLadder,
  priorAuthOutcome,
  toIsoInstant,
  type PaClockEvent,
  type PlanType,
  type PriorAuthDecision,
  type SlaContext,
  type Urgency,
} from '../domain';
import { notify, odoo, payer } from './proxies';
import { childWaitFor } from './childClock';
import { ParentReporter, type WithDeferredReports } from './childReports';
import { priorAuthDecision } from './messages';
import { adoptPatchLevel, isPatched } from './runtime/patchLevel';

/**
 * Prior authorization for one referral (DOMAIN.md "Prior authorization clocks"): submit (FHIR PAS / X12 278), then
 * wait for the payer's decision under the regulatory clock (CMS-0057-F 72 h expedited / 7 days standard for impacted
 * payers, ERISA or payer-specific otherwise). A4 pended restarts the wait with the requested documents; CT opens a
 * contact-payer task; A3 denial opens the appeal / peer-to-peer path and waits for the appeal decision.
 */
export interface PriorAuthInput {
  journeyId: string;
  /** the journey's patch level (runtime/patchLevel.ts); absent when an older journey started this child */
  patchLevel?: number;
  siteId: string;
  payerId: string;
  planType: PlanType;
  urgency: Urgency;
  authRequestId: string;
  memberRef: string;
  services: { code: string; units: number }[];
  diagnoses: string[];
  sla: SlaContext;
  /** Odoo record for escalation activities */
  taskId?: number;
  /** decisions that reached the journey before this child started */
  initialDecisions: PriorAuthDecision[];
}

export interface PriorAuthResult {
  outcome: 'approved' | 'not_required';
  action: PriorAuthDecision['action'];
  authNumber?: string;
  approvedUnits?: number;
  submittedAt: string;
  decidedAt: string;
  appealed: boolean;
}

export const PATCH_AUTH_TURNAROUND_KPI = 'kpi-auth-turnaround';
/**
 * Issue 11: the payer's decision clock runs from receipt and a pend (A4) or contact request (CT) no longer restarts
 * it (DOMAIN.md second pass; CMS-0057-F); one extension of up to 14 days with notice; our document turnaround is its
 * own internal SLA; an A3 without a reason is recorded as non-compliant; the appeal date is local to the site.
 */
export const PATCH_PA_CLOCK_FROM_RECEIPT = 'pa-clock-from-receipt';

export const priorAuthState = defineQuery<{ phase: string; decisions: PriorAuthDecision[] }>('priorAuthState');

export async function priorAuth(input: PriorAuthInput): Promise<PriorAuthResult & WithDeferredReports> {
  adoptPatchLevel(input.patchLevel);
  const reporter = new ParentReporter();
  return reporter.run(() => runPriorAuth(input, reporter));
}

async function runPriorAuth(input: PriorAuthInput, reporter: ParentReporter): Promise<PriorAuthResult> {
  const waitFor = childWaitFor(reporter, { journeyId: input.journeyId, siteId: input.siteId, stage: 'prior_auth', payerId: input.payerId, taskId: input.taskId });
  const decisions: PriorAuthDecision[] = [];
  const seen = new Set<string>();
  const accept = (d: PriorAuthDecision) => {
    if (d.authRequestId !== input.authRequestId || seen.has(d.messageId)) return;
    seen.add(d.messageId);
    decisions.push(d);
  };
  input.initialDecisions.forEach(accept);
  let phase = 'submitting';
  setHandler(priorAuthDecision, accept);
  setHandler(priorAuthState, () => ({ phase, decisions }));

  const submitted = await payer.submitPriorAuth({
    journeyId: input.journeyId,
    authRequestId: input.authRequestId,
    payerId: input.payerId,
    memberRef: input.memberRef,
    urgency: input.urgency,
    services: input.services,
    diagnoses: input.diagnoses,
  });
  await reporter.timeline('prior auth submitted', { detail: `tracking ${submitted.trackingId}` });
  if (submitted.decision) {
    accept({
      ...submitted.decision,
      messageId: `sync:${submitted.trackingId}:${submitted.decision.action}`,
      authRequestId: input.authRequestId,
      decidedAt: submitted.submittedAt,
    });
  }

  let consumed = 0;
  let appealed = false;
  let clockStart = Date.parse(submitted.submittedAt) || Date.now();
  /** set once a pend took the receipt-clock path (patched): the clock then counts from receipt with the payer's events */
  let fromReceipt = false;
  const clockEvents: PaClockEvent[] = [];
  for (;;) {
    phase = appealed ? 'awaiting appeal decision' : 'awaiting payer decision';
    const ladder = appealed
      ? computeLadder('appeal_payer', fromReceipt ? localDate(clockStart, input.sla.calendar.timeZone) : toIsoInstant(clockStart).slice(0, 10), input.sla)
      : fromReceipt
        ? priorAuthClock({ planType: input.planType, urgency: input.urgency, receivedAt: clockStart, events: clockEvents }, input.sla).ladder
        : priorAuthLadder({ planType: input.planType, urgency: input.urgency, submittedAt: clockStart }, input.sla);
    await waitFor(appealed ? 'prior auth appeal decision' : 'prior auth decision', () => decisions.length > consumed, ladder);
    const decision = decisions[consumed++];
    const outcome = priorAuthOutcome(decision.action);
    // A pend or a call-the-payer is news before another wait; a final decision rides on the result.
    const waitsAgain = outcome === 'pended' || outcome === 'contact_payer';
    await reporter.timeline(
      `prior auth decision ${decision.action}`,
      { actor: `payer:${input.payerId}`, detail: decision.reasons.map((r) => r.code).join(',') || undefined },
      { promptly: waitsAgain },
    );
    switch (outcome) {
      case 'approved':
      case 'not_required':
        if (appealed) await reporter.send({ kind: 'exception', op: 'close', queue: 'authorization' });
        // Auth turnaround KPI (decision − submission); added after histories were recorded, hence the patch.
        if (isPatched(PATCH_AUTH_TURNAROUND_KPI)) {
          await notify.recordKpi({ name: 'auth_decided', siteId: input.siteId, payerId: input.payerId, outcome: decision.action, valueMs: Math.max(0, Date.parse(decision.decidedAt) - Date.parse(submitted.submittedAt)) });
        }
        return {
          outcome: outcome === 'approved' ? 'approved' : 'not_required',
          action: decision.action,
          authNumber: decision.authNumber,
          approvedUnits: decision.approvedUnits,
          submittedAt: submitted.submittedAt,
          decidedAt: decision.decidedAt,
          appealed,
        };
      case 'pended':
        if (isPatched(PATCH_PA_CLOCK_FROM_RECEIPT)) {
          // A4: the payer needs documents. Its decision clock keeps running from receipt (a pend does not restart it);
          // sending the documents is our own internal SLA, tracked apart.
          fromReceipt = true;
          clockEvents.push({ action: decision.action, at: decision.decidedAt, ...(decision.extensionDays ? { extensionDays: decision.extensionDays } : {}) });
          const docs = computeLadder('internal_pa_documents', Date.now(), input.sla);
          if (input.taskId !== undefined) {
            await odoo.scheduleActivity({
              journeyId: input.journeyId,
              resModel: 'project.task',
              resId: input.taskId,
              summary: `Prior auth pended: send ${decision.requestedDocuments.join(', ') || 'documents'}`,
              note: `Payer ${input.payerId} requested documents for ${input.authRequestId}; the payer's decision clock keeps running`,
              deadline: localDate(docs.breachAt - 1, input.sla.calendar.timeZone),
            });
          }
          if (decision.extensionDays) await reporter.timeline('payer extended the decision time', { actor: `payer:${input.payerId}`, detail: `${decision.extensionDays} days` });
          break;
        }
        // A4 (before the patch): the clock restarted when the documents were asked for.
        if (input.taskId !== undefined) {
          await odoo.scheduleActivity({
            journeyId: input.journeyId,
            resModel: 'project.task',
            resId: input.taskId,
            summary: `Prior auth pended: send ${decision.requestedDocuments.join(', ') || 'documents'}`,
            note: `Payer ${input.payerId} requested documents for ${input.authRequestId}`,
            deadline: toIsoInstant(Date.now() + 2 * 86_400_000).slice(0, 10),
          });
        }
        clockStart = Date.now();
        break;
      case 'contact_payer':
        await odoo.openTicket({ journeyId: input.journeyId, queue: 'prior_auth_team', title: 'Contact payer about prior auth', description: `Payer ${input.payerId} asked to be contacted (CT)`, priority: 'high' });
        if (isPatched(PATCH_PA_CLOCK_FROM_RECEIPT)) {
          fromReceipt = true;
          clockEvents.push({ action: decision.action, at: decision.decidedAt });
          break;
        }
        clockStart = Date.now();
        break;
      case 'denied':
        // A denial opens the appeal / peer-to-peer path (DOMAIN.md); the appeal's decision arrives as a new decision.
        if (decision.reasons.length === 0 && isPatched(PATCH_PA_CLOCK_FROM_RECEIPT)) {
          // CMS-0057-F: an impacted payer must give a specific reason for a denial — record the non-compliance.
          fromReceipt = true;
          await reporter.timeline('prior auth denied without a specific reason: payer non-compliant (CMS-0057-F)', { actor: `payer:${input.payerId}` });
          await odoo.openTicket({ journeyId: input.journeyId, queue: 'prior_auth_team', title: 'Payer denied prior auth without a reason (non-compliant)', description: `Request ${input.authRequestId}: A3 without a reason from ${input.payerId}; ask for the specific reason (CMS-0057-F)`, priority: 'high' });
        }
        appealed = true;
        clockStart = Date.parse(decision.decidedAt) || Date.now();
        await reporter.send({ kind: 'exception', op: 'open', queue: 'authorization', reason: `prior auth denied (${decision.reasons.map((r) => r.code).join(',') || 'no reason'})`, ref: input.authRequestId });
        await odoo.openTicket({ journeyId: input.journeyId, queue: 'authorization', title: `Prior auth denied: appeal or peer-to-peer`, description: `Request ${input.authRequestId} denied by ${input.payerId}: ${decision.reasons.map((r) => `${r.code}`).join(', ')}`, priority: 'urgent' });
        break;
    }
  }
}

/** Child workflow id of a journey's prior-auth attempt. */
export function priorAuthWorkflowId(journeyId: string, attempt: number): string {
  return `${journeyId}/prior-auth/${attempt}`;
}

