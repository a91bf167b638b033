import { condition, workflowInfo } from '@temporalio/workflow';
import {
  computeLadder,
  DEFAULT_SLA_POLICY,
  isTerminal,
  next as nextState,
  stageSlaLadder,
  type JourneyEventType,
  type JourneyStage,
  type Referral,
  type SlaContext,
  type SlaLadder,
  type SlaRuleId,
} from '../domain';
import { notify } from './proxies';
import type { ChildReport } from './childReports';
import { allClaimIds, type JourneyData } from './journeyData';
import type { JourneyStatus } from './journeyState';
import { addCredit, addPayment, ledgerView, type LedgerCredit, type LedgerPayment } from './ledger';
import { actionBudget } from './runtime/actionBudget';
import { JourneyClocks } from './runtime/clocks';
import { JourneyExceptions, PATCH_EXCEPTION_KPIS_ON_REPORTS, type OpenOptions } from './runtime/exceptions';
import { JourneyTimeline, type By } from './runtime/timeline';
import { JourneyVisibility } from './runtime/visibility';
import type { Rung } from './slaLadder';
import { isPatched } from './runtime/patchLevel';

export { initialData } from './journeyData';
export type { JourneyData, Inbox } from './journeyData';

const MAX_SEEN_IDS = 5000;

/**
 * The journey's runtime: one facade over its state and the concerns every stage shares — the audit timeline
 * (runtime/timeline.ts), work-queue exceptions (runtime/exceptions.ts), SLA clocks (runtime/clocks.ts), what
 * operators see (runtime/visibility.ts) and the ledger (ledger.ts) — so stages read like the process they model.
 */
export class JourneyRuntime {
  readonly timeline: JourneyTimeline;
  readonly exceptions: JourneyExceptions;
  readonly clocks: JourneyClocks;
  readonly visibility: JourneyVisibility;

  constructor(public readonly data: JourneyData) {
    this.timeline = new JourneyTimeline(data);
    const record = (action: string, by?: By) => this.timeline.record(action, by);
    const publish = () => this.publish();
    this.clocks = new JourneyClocks(data, { record, publish, breach: (step, rule, escalateTo) => this.markBreach(step, rule, escalateTo) });
    this.visibility = new JourneyVisibility(data, this.clocks);
    this.exceptions = new JourneyExceptions(data, record, publish);
  }

  get referral(): Referral {
    if (!this.data.referral) throw new Error('referral not yet received');
    return this.data.referral;
  }

  get slaContext(): SlaContext {
    const { calendar, slaPolicy } = this.data.options;
    return { calendar, policy: { ...DEFAULT_SLA_POLICY, ...slaPolicy }, siteId: this.data.siteId, payerId: this.data.referral?.payerId };
  }

  // ---- audit and visibility ----------------------------------------------------------------------------------

  record(action: string, by: By = {}): void {
    this.timeline.record(action, by);
  }

  mirrorTimeline(): Promise<void> {
    return this.timeline.mirror();
  }

  publish(): void {
    this.visibility.publish();
  }

  status(): JourneyStatus {
    return this.visibility.status();
  }

  setAwaiting(what: string): void {
    this.data.awaiting = what;
    this.publish();
  }

  /** True the first time a message id is seen; duplicates are ignored (payers redeliver). */
  firstDelivery(messageId: string): boolean {
    const seen = this.data.seenMessageIds;
    if (seen.includes(messageId)) return false;
    seen.push(messageId);
    if (seen.length > MAX_SEEN_IDS) seen.shift();
    return true;
  }

  // ---- stage transitions -----------------------------------------------------------------------------------------

  async enterFirstStage(): Promise<void> {
    this.data.stage = 'intake';
    this.record('journey started', { detail: `payer ${this.referral.payerId}, ${this.referral.urgency}` });
    this.publish();
    await notify.recordKpi({ name: 'journey_started', siteId: this.data.siteId, payerId: this.referral.payerId, stage: 'intake' });
  }

  /** Move the journey with the pure state machine; an illegal move throws IllegalTransitionError (the loop holds). */
  async transition(event: JourneyEventType, by: By = {}): Promise<void> {
    const from = this.data.stage;
    if (from === 'awaiting_referral') throw new Error(`transition ${event} before the referral arrived`);
    const to = nextState(from, event);
    this.data.stage = to;
    this.record(`${event}: ${from} → ${to}`, by);
    this.publish();
    await Promise.all([
      notify.recordKpi({ name: 'stage_entered', siteId: this.data.siteId, payerId: this.data.referral?.payerId, stage: to }),
      this.timeline.mirrorAtStageChange(isTerminal(to)),
    ]);
  }

  // ---- money: counted only here, at commit points, by business key (the next publish shows it) ------------------

  /** The draft invoice exists in Odoo (or was voided: undefined). */
  commitInvoice(invoice: { invoiceId: number; amountTotalCents: number } | undefined): void {
    this.data.ledger.invoiceId = invoice?.invoiceId;
    this.data.ledger.chargeCents = invoice?.amountTotalCents ?? 0;
  }

  commitPayment(p: LedgerPayment): boolean {
    return addPayment(this.data.ledger, p);
  }

  commitCredit(c: LedgerCredit): boolean {
    return addCredit(this.data.ledger, c);
  }

  get balanceCents(): number {
    return ledgerView(this.data.ledger, allClaimIds(this.data)).balanceCents;
  }

  // ---- exceptions ------------------------------------------------------------------------------------------------

  openException(queue: string, reason: string, opts: OpenOptions = {}): Promise<void> {
    return this.exceptions.openException(queue, reason, opts);
  }

  async closeException(queue: string, ref?: string): Promise<void> {
    await this.exceptions.closeException(queue, ref);
  }

  // ---- waiting under an SLA ladder -------------------------------------------------------------------------------

  stageLadder(stage: JourneyStage, start: number = Date.now(), amount?: number): SlaLadder {
    return stageSlaLadder(stage, start, this.slaContext, amount === undefined ? {} : { amount });
  }

  ladder(rule: SlaRuleId, start: number | string = Date.now(), amount?: number): SlaLadder {
    return computeLadder(rule, start, this.slaContext, amount === undefined ? {} : { amount });
  }

  waitFor(step: string, done: () => boolean, ladder: SlaLadder): Promise<Rung[]> {
    this.setAwaiting(step);
    return this.clocks.wait(step, done, ladder);
  }

  /** A breach is a fact: SlaState=breached from now on, and the step is re-routed to the escalation queue. */
  markBreach(step: string, rule: string, escalateTo: string): void {
    const d = this.data;
    this.record(`SLA breached: ${step}`, { detail: rule });
    d.facts.breaches = [...(d.facts.breaches ?? []), `${d.stage}:${rule}`];
    this.exceptions.note(escalateTo, `SLA breached: ${step}`, `sla:${rule}`);
    this.publish();
  }

  /** Apply a child workflow's report (timeline, clock, breach, exception, or a batch of them) to the journey's view. */
  async applyChildReport(report: ChildReport): Promise<void> {
    switch (report.kind) {
      case 'batch':
        // One signal for what a child reported in one workflow task, applied in the order it was reported.
        for (const r of report.reports) await this.applyChildReport(r);
        return;
      case 'timeline':
        this.record(report.action, report);
        break;
      case 'clock':
        this.clocks.applyReport(report);
        break;
      case 'breach':
        this.markBreach(report.step, report.rule, report.escalateTo);
        break;
      case 'exception':
        // The child opened the ticket itself; the journey keeps the books (one way: runtime/exceptions.ts).
        if (report.op === 'open') await this.exceptions.openException(report.queue, report.reason ?? '', { ref: report.ref, ticket: 'opened_by_child' });
        else if (isPatched(PATCH_EXCEPTION_KPIS_ON_REPORTS)) await this.exceptions.closeException(report.queue, report.ref);
        else this.data.exceptions = this.data.exceptions.filter((e) => !(e.queue === report.queue && (report.ref === undefined || e.ref === report.ref)));
        break;
    }
    this.publish();
  }

  // ---- hold / resume ---------------------------------------------------------------------------------------------

  /**
   * A stage failed permanently (an integration refused or stayed down past the retry budget, or a process rule was
   * broken): keep the journey, hold it with the failure in a work queue, and let an operator fix the cause and
   * `resume`, which reruns the stage. Stages are idempotent: activities by business key, money at commit points.
   * No ticket: the failing integration is usually Odoo itself.
   */
  hold(reason: string, queue: string, ref?: string): void {
    const d = this.data;
    d.onHold = true;
    d.holdReason = reason.slice(0, 300);
    this.exceptions.note(queue, d.holdReason, ref);
    this.record('journey held for an operator', { detail: d.holdReason });
    this.publish();
    // A held journey may sit for days: its audit copy shows everything up to the hold.
    if (actionBudget()) this.timeline.mirrorInBackground();
  }

  /** Wait while on hold (stages do not start new work on hold); `wake` ends the wait early (a cancel request). */
  async gate(wake: () => boolean = () => false): Promise<void> {
    if (!this.data.onHold) return;
    const before = this.data.awaiting;
    this.setAwaiting('resume (on hold)');
    await condition(() => !this.data.onHold || wake());
    if (this.data.onHold) return;
    for (const queue of HOLD_QUEUES) this.data.exceptions = this.data.exceptions.filter((e) => e.queue !== queue);
    this.setAwaiting(before);
  }

  /** Continue-as-new is due: history is long (threshold or server suggestion). */
  historyIsLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= this.data.options.continueAsNewAfterEvents;
  }
}

/** Queues of a hold that the operator's resume resolves. */
export const HOLD_QUEUES = ['integration_failure', 'process_error', 'cancel_after_release'];
