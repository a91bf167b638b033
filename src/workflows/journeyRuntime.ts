import { condition, setCurrentDetails, upsertSearchAttributes, workflowInfo, log } from '@temporalio/workflow';
import {
  computeLadder,
  DEFAULT_SLA_POLICY,
  next as nextState,
  STAGE_INFO,
  stageSlaLadder,
  toIsoInstant,
  type JourneyEventType,
  type JourneyStage,
  type JourneyState,
  type AppointmentScheduled,
  type ClaimStatus,
  type DocumentReceived,
  type EligibilityResult,
  type PatientDispute,
  type PatientPayment,
  type PriorAuthDecision,
  type Referral,
  type RemittanceMessage,
  type ServiceCompleted,
  type SlaContext,
  type SlaLadder,
  type SlaRuleId,
} from '../domain';
import { notify, odoo } from './proxies';
import type { ChildReport } from './childReports';
import { climbRung } from './escalation';
import { awaitWithLadder, type Rung } from './slaLadder';
import type { DeadlineView, JourneyInput, JourneyLedger, JourneyOptions, JourneyStatus, OpenException, SlaLevel, TimelineEntry } from './journeyState';
import { DEFAULT_JOURNEY_OPTIONS } from './journeyState';
import { BalanceCents, ClaimIds, ExceptionQueue, NextDeadline, PayerId, SiteId, SlaState, Stage } from './searchAttributes';

/**
 * Everything a journey remembers, serialisable so continue-as-new can carry it. Ids and coded facts only:
 * the patient is an opaque ref and no free-text notes are stored (DOMAIN.md "minimum necessary").
 */
export interface JourneyData {
  journeyId: string;
  siteId: string;
  referralId: string;
  options: JourneyOptions;
  runs: number;
  referral?: Referral;
  stage: JourneyState | 'awaiting_referral';
  awaiting: string;
  exceptions: OpenException[];
  timeline: TimelineEntry[];
  timelineTotal: number;
  mirroredUpTo: number;
  seenMessageIds: string[];
  onHold: boolean;
  holdReason?: string;
  /** integration record ids (Odoo) */
  partnerId?: number;
  intakeTaskId?: number;
  invoiceId?: number;
  claimIds: string[];
  claimAttempt: number;
  paidCents: number;
  patientPaidCents: number;
  writtenOffCents: number;
  balanceCents: number;
  /** stage-specific facts, kept small */
  facts: Record<string, unknown>;
  /** external messages received (deduplicated), consumed by the stages and forwarded to children */
  inbox: Inbox;
}

export interface Inbox {
  eligibility: EligibilityResult[];
  priorAuth: PriorAuthDecision[];
  appointments: AppointmentScheduled[];
  services: ServiceCompleted[];
  documents: DocumentReceived[];
  claimStatus: ClaimStatus[];
  remittances: RemittanceMessage[];
  payments: PatientPayment[];
  disputes: PatientDispute[];
}

export function emptyInbox(): Inbox {
  return { eligibility: [], priorAuth: [], appointments: [], services: [], documents: [], claimStatus: [], remittances: [], payments: [], disputes: [] };
}

export function initialData(input: JourneyInput, journeyId: string): JourneyData {
  if (input.carried) {
    const carried = input.carried as JourneyData;
    return { ...carried, runs: carried.runs + 1 };
  }
  return {
    journeyId,
    siteId: input.siteId,
    referralId: input.referralId,
    options: { ...DEFAULT_JOURNEY_OPTIONS, ...input.options },
    runs: 1,
    referral: input.referral,
    stage: 'awaiting_referral',
    awaiting: 'referral',
    exceptions: [],
    timeline: [],
    timelineTotal: 0,
    mirroredUpTo: 0,
    seenMessageIds: [],
    onHold: false,
    claimIds: [],
    claimAttempt: 0,
    paidCents: 0,
    patientPaidCents: 0,
    writtenOffCents: 0,
    balanceCents: 0,
    facts: {},
    inbox: emptyInbox(),
  };
}

interface ActiveClock {
  step: string;
  ladder: SlaLadder;
  fired: readonly Rung[];
}

const MAX_SEEN_IDS = 5000;

/**
 * The journey's runtime: state, audit timeline, visibility (search attributes, current details), exceptions and
 * SLA-guarded waits. Workflow files use it so they read like the process they model.
 */
export class JourneyRuntime {
  readonly clocks = new Map<string, ActiveClock>();
  private publishedFingerprint?: string;
  private readonly clockSeq = new Map<string, number>();

  constructor(public readonly data: JourneyData) {}

  get referral(): Referral {
    if (!this.data.referral) throw new Error('referral not yet received');
    return this.data.referral;
  }

  get slaContext(): SlaContext {
    const { calendar, slaPolicy } = this.data.options;
    return {
      calendar,
      policy: { ...DEFAULT_SLA_POLICY, ...slaPolicy },
      siteId: this.data.siteId,
      payerId: this.data.referral?.payerId,
    };
  }

  // ---- audit -------------------------------------------------------------------------------------------------

  record(action: string, by: { actor?: string; role?: string; reason?: string; detail?: string } = {}): void {
    const entry: TimelineEntry = {
      at: toIsoInstant(Date.now()),
      stage: this.data.stage,
      action,
      actor: by.actor ?? 'system',
      ...(by.role ? { role: by.role } : {}),
      ...(by.reason ? { reason: by.reason } : {}),
      ...(by.detail ? { detail: by.detail } : {}),
    };
    this.data.timeline.push(entry);
    this.data.timelineTotal++;
    const overflow = this.data.timeline.length - this.data.options.timelineLimit;
    if (overflow > 0) {
      this.data.timeline.splice(0, overflow);
      this.data.mirroredUpTo = Math.max(0, this.data.mirroredUpTo - overflow);
    }
  }

  /** Mirror new timeline entries to the Odoo chatter of the intake task (the durable audit copy). */
  async mirrorTimeline(): Promise<void> {
    if (this.data.intakeTaskId === undefined) return;
    const pending = this.data.timeline.slice(this.data.mirroredUpTo);
    if (pending.length === 0) return;
    const body = pending.map((e) => `${e.at} [${e.stage}] ${e.action} by ${e.actor}${e.role ? ` (${e.role})` : ''}${e.reason ? `: ${e.reason}` : ''}`).join('\n');
    const key = `${this.data.journeyId}|timeline|${this.data.timelineTotal}`;
    await odoo.postChatter({ resModel: 'project.task', resId: this.data.intakeTaskId, body, key });
    this.data.mirroredUpTo = this.data.timeline.length;
  }

  // ---- idempotent message intake ---------------------------------------------------------------------------------

  /** True the first time a message id is seen; duplicates are ignored (payers redeliver). */
  firstDelivery(messageId: string): boolean {
    if (this.data.seenMessageIds.includes(messageId)) return false;
    this.data.seenMessageIds.push(messageId);
    if (this.data.seenMessageIds.length > MAX_SEEN_IDS) this.data.seenMessageIds.shift();
    return true;
  }

  // ---- stage transitions and visibility -------------------------------------------------------------------------

  async enterFirstStage(): Promise<void> {
    this.data.stage = 'intake';
    this.record('journey started', { detail: `payer ${this.referral.payerId}, ${this.referral.urgency}` });
    this.publish();
    await notify.recordKpi({ name: 'journey_started', siteId: this.data.siteId, payerId: this.referral.payerId, stage: 'intake' });
  }

  /** Move the journey with the pure state machine; an illegal move is a bug and fails the workflow task. */
  async transition(event: JourneyEventType, by: { actor?: string; role?: string; reason?: string; detail?: string } = {}): Promise<void> {
    const from = this.data.stage;
    if (from === 'awaiting_referral') throw new Error(`transition ${event} before the referral arrived`);
    const to = nextState(from, event);
    this.data.stage = to;
    this.record(`${event}: ${from} → ${to}`, by);
    this.publish();
    await Promise.all([
      notify.recordKpi({ name: 'stage_entered', siteId: this.data.siteId, payerId: this.data.referral?.payerId, stage: to }),
      this.mirrorTimeline(),
    ]);
  }

  setAwaiting(what: string): void {
    this.data.awaiting = what;
    this.publish();
  }

  /** Current SLA level for the UI: on hold, else breached once any step breached (a fact), else the worst clock. */
  slaLevel(): SlaLevel {
    if (this.data.onHold) return 'on_hold';
    if ((this.data.facts.breaches as string[] | undefined)?.length) return 'breached';
    let level: SlaLevel = 'on_track';
    const rank: Record<SlaLevel, number> = { on_track: 0, warning: 1, escalated: 2, breached: 3, on_hold: 0 };
    for (const c of this.clocks.values()) {
      const l = levelOf(c.fired);
      if (rank[l] > rank[level]) level = l;
    }
    return level;
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const c of this.clocks.values()) {
      const at = [c.ladder.warnAt, c.ladder.dueAt, c.ladder.breachAt][c.fired.length];
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** Upsert PHI-free search attributes and the UI's current details. */
  publish(): void {
    const d = this.data;
    const deadline = this.nextDeadline();
    const attributes: Parameters<typeof upsertSearchAttributes>[0] = [
      { key: Stage, value: d.stage },
      { key: SiteId, value: d.siteId },
      ...(d.referral ? [{ key: PayerId, value: d.referral.payerId }] : []),
      { key: SlaState, value: this.slaLevel() },
      { key: NextDeadline, value: deadline === undefined ? null : new Date(deadline) },
      { key: ExceptionQueue, value: d.exceptions.length ? [...new Set(d.exceptions.map((e) => e.queue))] : null },
      { key: BalanceCents, value: d.balanceCents },
      { key: ClaimIds, value: d.claimIds.length ? d.claimIds : null },
    ];
    // Each upsert is a history event: only write when something an operator filters on changed.
    const fingerprint = JSON.stringify(attributes.map((a) => a.value));
    if (fingerprint !== this.publishedFingerprint) {
      this.publishedFingerprint = fingerprint;
      upsertSearchAttributes(attributes);
    }
    const stageLabel = d.stage === 'awaiting_referral' ? 'Awaiting referral' : STAGE_INFO[d.stage].label;
    setCurrentDetails(
      [
        `**Stage:** ${stageLabel}`,
        `**Waiting for:** ${d.awaiting}`,
        `**SLA:** ${this.slaLevel()}${deadline ? ` (next rung ${toIsoInstant(deadline)})` : ''}`,
        d.exceptions.length ? `**Exceptions:** ${d.exceptions.map((e) => e.queue).join(', ')}` : '',
        d.onHold ? `**On hold:** ${d.holdReason ?? ''}` : '',
        `**Balance:** ${(d.balanceCents / 100).toFixed(2)} · **Paid:** ${(d.paidCents / 100).toFixed(2)}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }

  status(): JourneyStatus {
    const d = this.data;
    const deadlines: DeadlineView[] = [...this.clocks.values()].map((c) => ({
      step: c.step,
      rule: c.ladder.rule,
      kind: c.ladder.kind,
      owner: c.ladder.owner,
      escalateTo: c.ladder.escalateTo,
      warnAt: toIsoInstant(c.ladder.warnAt),
      dueAt: toIsoInstant(c.ladder.dueAt),
      breachAt: toIsoInstant(c.ladder.breachAt),
      level: levelOf(c.fired),
    }));
    const pending = d.facts.pendingApproval as JourneyStatus['pendingApproval'];
    return {
      journeyId: d.journeyId,
      siteId: d.siteId,
      referralId: d.referralId,
      payerId: d.referral?.payerId,
      stage: d.stage,
      stageLabel: d.stage === 'awaiting_referral' ? 'Awaiting referral' : STAGE_INFO[d.stage].label,
      awaiting: d.awaiting,
      slaState: this.slaLevel(),
      deadlines,
      openExceptions: [...d.exceptions],
      balanceCents: d.balanceCents,
      paidCents: d.paidCents,
      claimIds: [...d.claimIds],
      onHold: d.onHold,
      ledger: this.ledger(),
      ...(pending ? { pendingApproval: pending } : {}),
      ...(d.facts.outcome ? { outcome: d.facts.outcome as JourneyStatus['outcome'] } : {}),
      historyRuns: d.runs,
    };
  }

  /** The journey's money ledger (interim: derived from the totals until the stages keep it at commit points). */
  ledger(): JourneyLedger {
    const d = this.data;
    return {
      ...(d.invoiceId !== undefined ? { invoiceId: d.invoiceId } : {}),
      chargeCents: 0,
      paidCents: d.paidCents,
      patientPaidCents: d.patientPaidCents,
      adjustedCents: 0,
      writtenOffCents: d.writtenOffCents,
      balanceCents: d.balanceCents,
      claimIds: [...d.claimIds],
      payments: [],
      credits: [],
    };
  }

  // ---- exceptions (work queues) -----------------------------------------------------------------------------------

  /** Add an open exception unless one with the same queue and ref is open; true when it was added. */
  addException(queue: string, reason: string, ref?: string): boolean {
    if (this.data.exceptions.some((e) => e.queue === queue && e.ref === ref)) return false;
    this.data.exceptions.push({ queue, reason, openedAt: toIsoInstant(Date.now()), ...(ref ? { ref } : {}) });
    return true;
  }

  /** Remove the open exceptions of a queue (one ref, or all); returns what was removed. */
  removeExceptions(queue: string, ref?: string): OpenException[] {
    const removed = this.data.exceptions.filter((e) => e.queue === queue && (ref === undefined || e.ref === ref));
    this.data.exceptions = this.data.exceptions.filter((e) => !removed.includes(e));
    return removed;
  }

  /** Open a work-queue exception: helpdesk ticket on the queue (idempotent by journey + queue + title). */
  async openException(queue: string, reason: string, opts: { ref?: string; priority?: 'low' | 'normal' | 'high' | 'urgent' } = {}): Promise<void> {
    if (this.addException(queue, reason, opts.ref)) {
      this.record(`exception opened in ${queue}`, { detail: reason });
      this.publish();
    }
    await odoo.openTicket({
      journeyId: this.data.journeyId,
      queue,
      title: opts.ref ? `${reason} (${opts.ref})` : reason,
      description: `Journey ${this.data.journeyId} at stage ${this.data.stage}: ${reason}`,
      priority: opts.priority ?? 'normal',
    });
    await notify.recordKpi({ name: 'exception_opened', siteId: this.data.siteId, stage: String(this.data.stage), queue });
  }

  async closeException(queue: string, ref?: string): Promise<void> {
    const closed = this.removeExceptions(queue, ref);
    if (closed.length > 0) {
      this.record(`exception closed in ${queue}`);
      this.publish();
      for (const e of closed) {
        await notify.recordKpi({ name: 'exception_closed', siteId: this.data.siteId, queue, valueMs: Date.now() - Date.parse(e.openedAt) });
      }
    }
  }

  // ---- waiting under an SLA ladder ---------------------------------------------------------------------------------

  /** The internal ladder of the current stage. */
  stageLadder(stage: JourneyStage, start: number = Date.now(), amount?: number): SlaLadder {
    return stageSlaLadder(stage, start, this.slaContext, amount === undefined ? {} : { amount });
  }

  ladder(rule: SlaRuleId, start: number | string = Date.now(), amount?: number): SlaLadder {
    return computeLadder(rule, start, this.slaContext, amount === undefined ? {} : { amount });
  }

  /** Wait for `done` while the ladder runs: warn → owner, due → supervisor activity + ticket, breach → re-route. */
  async waitFor(step: string, done: () => boolean, ladder: SlaLadder): Promise<Rung[]> {
    this.setAwaiting(step);
    return awaitWithLadder(done, { step, ladder, pauseOnHold: this.data.options.pauseSlaOnHold }, {
      isHeld: () => this.data.onHold,
      onProgress: (s, l, fired) => {
        if (l) this.clocks.set(s, { step: s, ladder: l, fired });
        else this.clocks.delete(s);
        this.publish();
      },
      onRung: (rung, l, s) => this.climb(rung, l, s),
    });
  }

  private async climb(rung: Rung, ladder: SlaLadder, step: string): Promise<void> {
    const d = this.data;
    const stage = String(d.stage);
    if (rung === 'warn') this.record(`SLA warning: ${step}`, { detail: `${ladder.rule} due ${toIsoInstant(ladder.dueAt)}` });
    if (rung === 'due') this.record(`SLA escalated: ${step}`, { detail: `${ladder.rule} → ${ladder.escalateTo}` });
    if (rung === 'breach') this.markBreach(step, ladder.rule, ladder.escalateTo);
    await climbRung({ journeyId: d.journeyId, siteId: d.siteId, stage, payerId: d.referral?.payerId, taskId: d.intakeTaskId }, rung, ladder, step);
    log.info('sla rung', { journeyId: d.journeyId, rung, rule: ladder.rule, stage });
  }

  /** A breach is a fact: SlaState=breached from now on, and the step is re-routed to the escalation queue. */
  markBreach(step: string, rule: string, escalateTo: string): void {
    const d = this.data;
    this.record(`SLA breached: ${step}`, { detail: rule });
    d.facts.breaches = [...((d.facts.breaches as string[] | undefined) ?? []), `${d.stage}:${rule}`];
    this.addException(escalateTo, `SLA breached: ${step}`, `sla:${rule}`);
    this.publish();
  }

  /** Apply a child workflow's report (timeline, clock, breach, exception) to the journey's view. */
  applyChildReport(report: ChildReport): void {
    switch (report.kind) {
      case 'timeline':
        this.record(report.action, report);
        break;
      case 'clock': {
        // Reports are separate signals and may arrive out of order: keep only the newest per child and step.
        const key = `${report.from ?? ''}|${report.step}`;
        if (report.seq !== undefined) {
          if (report.seq < (this.clockSeq.get(key) ?? 0)) break;
          this.clockSeq.set(key, report.seq);
        }
        if (report.ladder) this.clocks.set(report.step, { step: report.step, ladder: report.ladder, fired: report.fired });
        else this.clocks.delete(report.step);
        break;
      }
      case 'breach':
        this.markBreach(report.step, report.rule, report.escalateTo);
        break;
      case 'exception':
        if (report.op === 'open' && this.addException(report.queue, report.reason ?? '', report.ref)) {
          this.record(`exception opened in ${report.queue}`, { detail: report.reason });
        }
        if (report.op === 'close') this.removeExceptions(report.queue, report.ref);
        break;
    }
    this.publish();
  }

  /**
   * A stage failed permanently (e.g. Odoo refused a record as invalid): keep the journey, hold it with the failure
   * in the integration-failure queue, and let an operator fix the data and `resume`, which reruns the stage
   * (activities are idempotent by business key, so a rerun never duplicates what already happened).
   */
  holdOnFailure(stage: string, error: string): void {
    const d = this.data;
    d.onHold = true;
    d.holdReason = `stage ${stage} failed: ${error}`.slice(0, 300);
    this.addException('integration_failure', d.holdReason, stage);
    this.record('stage failed; held for an operator', { detail: d.holdReason });
    this.publish();
  }

  /** Wait while on hold (stages do not start new work on hold). */
  async gate(): Promise<void> {
    if (this.data.onHold) {
      const before = this.data.awaiting;
      this.setAwaiting('resume (on hold)');
      await condition(() => !this.data.onHold);
      this.removeExceptions('integration_failure');
      this.setAwaiting(before);
    }
  }

  /** Continue-as-new is due: history is long (threshold or server suggestion). */
  historyIsLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= this.data.options.continueAsNewAfterEvents;
  }
}

function levelOf(fired: readonly Rung[]): SlaLevel {
  if (fired.includes('breach')) return 'breached';
  if (fired.includes('due')) return 'escalated';
  if (fired.includes('warn')) return 'warning';
  return 'on_track';
}
