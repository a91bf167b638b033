import { condition, defineQuery, setHandler } from '@temporalio/workflow';
import { addCalendarDays, DEFAULT_SLA_POLICY, resolveRule, type PatientDispute, type PatientPayment, type SlaContext } from '../domain';
import { notify, odoo } from './proxies';
import { ParentReporter } from './childReports';
import { patientDispute, patientPayment } from './messages';

/**
 * The patient's share after adjudication (DOMAIN.md "Patient balances"): a statement cycle on durable timers,
 * payments posted to Odoo as they arrive, and collection holds: a No Surprises Act dispute or a §501(r) financial
 * assistance application stops statements and collection until it is resolved. A non-profit (§501(r)) site also
 * waits out the 120-day notification period from the first statement before the balance can leave the cycle.
 */
export interface PatientBalanceInput {
  journeyId: string;
  siteId: string;
  invoiceId: number;
  balanceCents: number;
  /** days after the first statement on which statements go out, e.g. [0, 30, 60, 90] */
  statementDays: number[];
  nonProfit501r: boolean;
  sla: SlaContext;
  /** prefix of Odoo payment memos (the claim id) */
  paymentKeyPrefix: string;
  initialPayments: PatientPayment[];
  initialDisputes: PatientDispute[];
}

export interface PatientBalanceResult {
  balanceCents: number;
  paidCents: number;
  statementsSent: number;
  heldDays: number;
  /** every patient payment registered in Odoo, by memo (absent in results of older builds) */
  payments?: { memo: string; amountCents: number; messageId: string }[];
  /** payment message ids this child took (posted, or nothing left to apply them to) */
  appliedMessageIds?: string[];
}

/**
 * IRS §501(r) (26 CFR 1.501(r)-6): no extraordinary collection action before the notification period from the first
 * post-discharge statement ends — 120 days, a floor a site's policy may only lengthen (src/domain/sla/rules.ts).
 */
function r501NotificationDays(sla: PatientBalanceInput['sla']): number {
  return resolveRule(sla.policy ?? DEFAULT_SLA_POLICY, 'r501_notification_period', { siteId: sla.siteId, payerId: sla.payerId }).amount;
}

export const patientBalanceState = defineQuery<{ balanceCents: number; paidCents: number; statementsSent: number; openDisputes: string[] }>('patientBalanceState');

export async function patientBalance(input: PatientBalanceInput): Promise<PatientBalanceResult> {
  const reporter = new ParentReporter();
  const tz = input.sla.calendar.timeZone;
  const payments: PatientPayment[] = [];
  const openDisputes = new Map<string, PatientDispute>();
  const seen = new Set<string>();
  let balanceCents = input.balanceCents;
  let paidCents = 0;
  let statementsSent = 0;
  let heldMs = 0;
  const onPayment = (p: PatientPayment) => {
    if (seen.has(p.messageId)) return;
    seen.add(p.messageId);
    payments.push(p);
  };
  const onDispute = (dispute: PatientDispute) => {
    if (seen.has(dispute.messageId)) return;
    seen.add(dispute.messageId);
    const key = dispute.disputeId ?? dispute.kind;
    if (dispute.resolvedAt) openDisputes.delete(key);
    else openDisputes.set(key, dispute);
  };
  input.initialPayments.forEach(onPayment);
  input.initialDisputes.forEach(onDispute);
  setHandler(patientPayment, onPayment);
  setHandler(patientDispute, onDispute);
  setHandler(patientBalanceState, () => ({ balanceCents, paidCents, statementsSent, openDisputes: [...openDisputes.keys()] }));

  let posted = 0;
  const registered: NonNullable<PatientBalanceResult['payments']> = [];
  const postPayments = async () => {
    while (posted < payments.length) {
      const p = payments[posted++];
      const amount = Math.min(p.amountCents, balanceCents);
      // Nothing left to apply it to: the journey puts it in front of cash posting (an overpayment to refund).
      if (amount <= 0) continue;
      const memo = `${input.paymentKeyPrefix}/patient/${p.messageId}`;
      await odoo.registerPayment({ invoiceId: input.invoiceId, amountCents: amount, memo, date: p.at.slice(0, 10) });
      registered.push({ memo, amountCents: amount, messageId: p.messageId });
      balanceCents -= amount;
      paidCents += amount;
      await reporter.timeline('patient payment posted', { actor: 'patient', detail: `${amount} cents by ${p.method}` });
    }
  };
  /** A collection hold (NSA dispute / FA application) stops the cycle until resolved; the cycle then resumes. */
  const holdWhileDisputed = async () => {
    if (openDisputes.size === 0) return;
    const since = Date.now();
    await reporter.send({ kind: 'exception', op: 'open', queue: 'patient_dispute', reason: `collection hold: ${[...openDisputes.values()].map((x) => x.kind).join(', ')}` });
    await condition(() => openDisputes.size === 0 || balanceCents - pendingPayments() <= 0);
    heldMs += Date.now() - since;
    await reporter.send({ kind: 'exception', op: 'close', queue: 'patient_dispute' });
  };
  const pendingPayments = () => payments.slice(posted).reduce((s, p) => s + p.amountCents, 0);
  const settled = () => balanceCents <= 0;

  /** Until `at` (shifted by holds): post payments as they come and honour collection holds. */
  const workUntil = async (offsetDays: number, from: number) => {
    for (;;) {
      const at = addCalendarDays(from, offsetDays, tz) + heldMs;
      if (settled() || Date.now() >= at) return;
      await condition(() => posted < payments.length || openDisputes.size > 0, at - Date.now());
      await postPayments();
      await holdWhileDisputed();
    }
  };

  const firstStatementAt = Date.now();
  const days = [...input.statementDays].sort((a, b) => a - b);
  for (const day of days) {
    await workUntil(day, firstStatementAt);
    await postPayments();
    await holdWhileDisputed();
    if (settled()) break;
    statementsSent++;
    await notify.notifyOwner({ journeyId: input.journeyId, siteId: input.siteId, stage: 'patient_balance', owner: 'patient_financial_services', level: 'info', message: `statement ${statementsSent} of ${days.length}: ${balanceCents} cents due` });
    await reporter.timeline(`patient statement ${statementsSent} sent`, { detail: `${balanceCents} cents` });
  }
  // After the last statement: a final 30-day window; a §501(r) site waits out the notification period of its policy.
  const lastDay = days[days.length - 1] ?? 0;
  await workUntil(input.nonProfit501r ? Math.max(r501NotificationDays(input.sla), lastDay + 30) : lastDay + 30, firstStatementAt);
  await postPayments();
  return {
    balanceCents: Math.max(0, balanceCents),
    paidCents,
    statementsSent,
    heldDays: Math.round(heldMs / 86_400_000),
    payments: registered,
    appliedMessageIds: registered.map((p) => p.messageId),
  };
}
