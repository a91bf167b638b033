import { condition, defineQuery, setHandler } from '@temporalio/workflow';
import {
  addCalendarDays,
  collectionsTimeline,
  DEFAULT_SLA_POLICY,
  disputeHoldsCollection,
  localDate,
  resolveRule,
  type PatientDispute,
  type PatientPayment,
  type SlaContext,
} from '../domain';
import { notify, odoo } from './proxies';
import { ParentReporter, type WithDeferredReports } from './childReports';
import { patientDispute, patientPayment } from './messages';
import { adoptPatchLevel, isPatched } from './runtime/patchLevel';

/**
 * The patient's share after adjudication (DOMAIN.md "Patient balances"): a statement cycle on durable timers,
 * payments posted to Odoo as they arrive, and collection holds: a No Surprises Act dispute or a §501(r) financial
 * assistance application stops statements and collection until it is resolved. A non-profit (§501(r)) site also
 * waits out the 120-day notification period from the first statement before the balance can leave the cycle.
 */
export interface PatientBalanceInput {
  journeyId: string;
  /** the journey's patch level (runtime/patchLevel.ts); absent when an older journey started this child */
  patchLevel?: number;
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
  /** self-pay / uninsured: the good-faith estimate given at scheduling and the bill (NSA dispute eligibility) */
  gfeCents?: number;
  billedCents?: number;
}

/** Issue 11: NSA disputes hold only when eligible ($400 over the GFE, 120 days); §501(r) applications within 240 days. */
export const PATCH_DISPUTE_ELIGIBILITY = 'dispute-hold-eligibility';
/** Issue 11: a §501(r) site sends the written ECA notice 30 days before any extraordinary collection action. */
export const PATCH_R501_ECA_NOTICE = 'r501-eca-notice';

export interface PatientBalanceResult {
  balanceCents: number;
  paidCents: number;
  statementsSent: number;
  heldDays: number;
  /** every patient payment registered in Odoo, by memo (absent in results of older builds) */
  payments?: { memo: string; amountCents: number; messageId: string }[];
  /** payment message ids this child took (posted, or nothing left to apply them to) */
  appliedMessageIds?: string[];
  /** §501(r): when the written notice of extraordinary collection actions went out, and from when they may start */
  ecaNoticeSentAt?: string;
  ecaAllowedFrom?: string;
}

/**
 * IRS §501(r) (26 CFR 1.501(r)-6): no extraordinary collection action before the notification period from the first
 * post-discharge statement ends — 120 days, a floor a site's policy may only lengthen (src/domain/sla/rules.ts).
 */
function r501NotificationDays(sla: PatientBalanceInput['sla']): number {
  return resolveRule(sla.policy ?? DEFAULT_SLA_POLICY, 'r501_notification_period', { siteId: sla.siteId, payerId: sla.payerId }).amount;
}

export const patientBalanceState = defineQuery<{ balanceCents: number; paidCents: number; statementsSent: number; openDisputes: string[] }>('patientBalanceState');

export async function patientBalance(input: PatientBalanceInput): Promise<PatientBalanceResult & WithDeferredReports> {
  adoptPatchLevel(input.patchLevel);
  const reporter = new ParentReporter();
  return reporter.run(() => runPatientBalance(input, reporter));
}

async function runPatientBalance(input: PatientBalanceInput, reporter: ParentReporter): Promise<PatientBalanceResult> {
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
      // A payment that leaves a balance is news before another long wait; the last one rides on the result.
      await reporter.timeline('patient payment posted', { actor: 'patient', detail: `${amount} cents by ${p.method}` }, { promptly: balanceCents > 0 });
    }
  };
  /** Disputes that do not hold collection (not eligible, too late) are recorded and set aside (patched). */
  const setAsideIneligible = async () => {
    if (openDisputes.size === 0 || !isPatched(PATCH_DISPUTE_ELIGIBILITY)) return;
    const basis = { firstStatementDate: localDate(firstStatementAt, tz), nonProfit501r: input.nonProfit501r, gfeCents: input.gfeCents, billedCents: input.billedCents };
    for (const [key, dispute] of [...openDisputes]) {
      const hold = disputeHoldsCollection(dispute, basis, input.sla);
      if (hold.holds) continue;
      openDisputes.delete(key);
      await reporter.timeline(`${dispute.kind} does not hold collection`, { actor: 'patient', detail: hold.why }, { promptly: true });
    }
  };
  /** A collection hold (NSA dispute / FA application) stops the cycle until resolved; the cycle then resumes. */
  const holdWhileDisputed = async () => {
    await setAsideIneligible();
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
    await reporter.timeline(`patient statement ${statementsSent} sent`, { detail: `${balanceCents} cents` }, { promptly: true });
  }
  // After the last statement: a final 30-day window; a §501(r) site waits out the notification period of its policy.
  const lastDay = days[days.length - 1] ?? 0;
  let eca: { sentAt: number; allowedFrom: number } | undefined;
  if (input.nonProfit501r && isPatched(PATCH_R501_ECA_NOTICE)) {
    eca = await r501FinalNotice(lastDay);
  } else {
    await workUntil(input.nonProfit501r ? Math.max(r501NotificationDays(input.sla), lastDay + 30) : lastDay + 30, firstStatementAt);
  }
  await postPayments();
  return {
    ...(eca ? { ecaNoticeSentAt: new Date(eca.sentAt).toISOString(), ecaAllowedFrom: new Date(eca.allowedFrom).toISOString() } : {}),
    balanceCents: Math.max(0, balanceCents),
    paidCents,
    statementsSent,
    heldDays: Math.round(heldMs / 86_400_000),
    payments: registered,
    appliedMessageIds: registered.map((p) => p.messageId),
  };

  /**
   * §501(r) (26 CFR 1.501(r)-6(b)): no extraordinary collection action before the notification period ends, and
   * only after a written notice at least 30 days before it. The notice goes out so that both end together (or after
   * the last statement); the cycle keeps posting payments and honouring holds until the later of the two.
   */
  async function r501FinalNotice(lastDay: number): Promise<{ sentAt: number; allowedFrom: number } | undefined> {
    const noticeGap = resolveRule(input.sla.policy ?? DEFAULT_SLA_POLICY, 'r501_eca_notice', { siteId: input.sla.siteId, payerId: input.sla.payerId }).amount;
    const noticeDay = Math.max(lastDay, r501NotificationDays(input.sla) - noticeGap);
    await workUntil(noticeDay, firstStatementAt);
    await postPayments();
    if (settled()) return undefined;
    const sentAt = Date.now();
    const firstStatementDate = localDate(firstStatementAt, tz);
    const allowedFrom = collectionsTimeline({ firstStatementDate, ecaNoticeSentAt: sentAt }, input.sla).earliestEcaAt!;
    await notify.notifyOwner({ journeyId: input.journeyId, siteId: input.siteId, stage: 'patient_balance', owner: 'patient_financial_services', level: 'warning', message: `written notice sent: extraordinary collection actions may start on ${localDate(allowedFrom, tz)} (${balanceCents} cents due)` });
    await reporter.timeline('§501(r) ECA notice sent', { detail: `no extraordinary collection action before ${localDate(allowedFrom, tz)}` }, { promptly: true });
    await workUntil(Math.ceil((allowedFrom - firstStatementAt) / 86_400_000), firstStatementAt);
    return { sentAt, allowedFrom: allowedFrom + heldMs };
  }
}
