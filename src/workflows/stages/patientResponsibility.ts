import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { markConsumed, paymentKey, sweepUnappliedMoney } from '../moneyInbox';
import { patientBalance, type PatientBalanceResult } from '../patientBalance';
import type { StageContext } from './context';
import { writeOff } from './writeOff';
import { handDownPatchLevel } from '../runtime/patchLevel';
import { takeChildResult } from '../childReports';

/**
 * Stage 10: the patient-balance child runs the statement cycle and posts patient payments; its result is the money
 * commit point (payments by memo, once). What the patient does not pay goes to write-off approval.
 */
export async function patientResponsibility(ctx: StageContext): Promise<void> {
  const { rt, d } = ctx;
  const result = d.facts.balanceResult ?? (await runBalanceCycle(ctx));
  await sweepUnappliedMoney(rt, ctx.links);
  if (rt.balanceCents === 0) await rt.transition('patient_paid', { detail: `patient paid ${result.paidCents}` });
  else await writeOff(ctx, rt.balanceCents, 'patient balance uncollectible after the statement cycle');
}

async function runBalanceCycle({ rt, d, journeyId, links }: StageContext): Promise<PatientBalanceResult> {
  const r = rt.referral;
  rt.setAwaiting('patient balance (child workflow)');
  const attempt = (d.facts.balanceAttempts ?? 0) + 1;
  d.facts.balanceAttempts = attempt;
  const child = await startChild(patientBalance, {
    workflowId: `${journeyId}/balance/${attempt}`,
    parentClosePolicy: ParentClosePolicy.TERMINATE,
    staticSummary: `Patient balance · site ${r.siteId}`,
    args: [
      {
        journeyId,
        ...handDownPatchLevel(),
        siteId: r.siteId,
        invoiceId: d.ledger.invoiceId!,
        balanceCents: rt.balanceCents,
        statementDays: d.options.statementDays,
        nonProfit501r: d.options.nonProfit501r,
        sla: rt.slaContext,
        paymentKeyPrefix: d.claimIds[d.claimIds.length - 1],
        initialPayments: links.payments.handOver(),
        initialDisputes: links.disputes.handOver(),
        ...(d.facts.gfe?.required ? { gfeCents: d.facts.gfe.gfeCents, billedCents: d.ledger.chargeCents } : {}),
      },
    ],
  });
  await Promise.all([links.payments.attach(child), links.disputes.attach(child)]);
  const result = await takeChildResult(rt, child.result());
  links.payments.detach();
  links.disputes.detach();
  // Commit point: the payments the child registered in Odoo, by memo (older builds report a total only).
  d.facts.balanceResult = result;
  const payments = result.payments ?? (result.paidCents > 0 ? [{ memo: `${d.claimIds[d.claimIds.length - 1]}/patient`, amountCents: result.paidCents, messageId: '' }] : []);
  for (const p of payments) rt.commitPayment({ memo: p.memo, amountCents: p.amountCents, source: 'patient' });
  const applied = result.appliedMessageIds ? new Set(result.appliedMessageIds) : new Set(d.inbox.payments.map((p) => p.messageId));
  markConsumed(rt, d.inbox.payments.filter((p) => applied.has(p.messageId)).map(paymentKey));
  rt.publish();
  return result;
}
