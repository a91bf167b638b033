import { CancellationScope, defineSignal, getExternalWorkflowHandle, workflowInfo } from '@temporalio/workflow';
import { toIsoInstant, type SlaLadder } from '../domain';
import { actionBudget, endOfBurst } from './runtime/actionBudget';
import { isPatched } from './runtime/patchLevel';
import type { Rung } from './slaLadder';

/**
 * Child workflows (prior auth, claim lifecycle, patient balance) own their process, but the journey stays the one
 * place an operator looks: children report timeline entries, SLA clocks, exceptions and money to the parent.
 */
export type SingleChildReport = (
  | { kind: 'timeline'; action: string; actor?: string; role?: string; reason?: string; detail?: string; at?: string }
  | { kind: 'clock'; step: string; ladder?: SlaLadder; fired: Rung[] }
  | { kind: 'breach'; step: string; rule: string; escalateTo: string }
  | { kind: 'exception'; op: 'open' | 'close'; queue: string; reason?: string; ref?: string }
) & {
  /** sending child and its report counter: signals can overtake each other, so the parent drops stale clocks */
  from?: string;
  seq?: number;
};

/** What one signal carries: one report, or (new executions) what a child reported in one workflow task, in order. */
export type ChildReport = SingleChildReport | { kind: 'batch'; reports: SingleChildReport[] };

export const childReport = defineSignal<[ChildReport]>('childReport');

/**
 * New executions signal only what the parent needs while the child still runs: exceptions, breaches, a clock
 * that runs (the journey's NextDeadline shows it). Timeline entries and stopped clocks wait for the next such
 * signal or ride on the child's result (completion is free), or on a last signal if the child fails or is cancelled.
 */
export const PATCH_DEFERRED_CHILD_REPORTS = 'child-reports-deferred';

/** What a child's result carries besides its own fields: the reports it held back, in order. */
export interface WithDeferredReports {
  deferredReports?: SingleChildReport[];
}

/**
 * The parent's side: a child's result with its held-back reports applied first (timeline, stopped clocks), so the
 * journey records them in the child's stage and keeps only the child's own fields in its state.
 */
export async function takeChildResult<R extends WithDeferredReports>(
  journey: { applyChildReport(report: ChildReport): Promise<void> },
  result: Promise<R>,
): Promise<Omit<R, 'deferredReports'>> {
  const { deferredReports, ...own } = await result;
  if (deferredReports && deferredReports.length > 0) await journey.applyChildReport({ kind: 'batch', reports: deferredReports });
  return own;
}

/** The reports of one workflow task, sent (or held back) together once the task's work has settled. */
interface ReportBatch {
  reports: SingleChildReport[];
  /** a report asked to reach the journey now (`send(…, { promptly: true })`) */
  promptly: boolean;
  sent: Promise<void>;
}

/**
 * Sends reports to the parent journey; a no-op when the workflow runs without a parent (tests, operators).
 * New executions send one signal per workflow task (each signal is billed twice: sent and received), and of a
 * clock's reports in that task only the last, which is the clock's state the parent shows.
 */
export class ParentReporter {
  private readonly parent = workflowInfo().parent;
  private readonly self = workflowInfo().workflowId;
  private seq = 0;
  private batch?: ReportBatch;
  /** reports held back until the parent needs to hear from this child (PATCH_DEFERRED_CHILD_REPORTS) */
  private deferred: SingleChildReport[] = [];

  /** `promptly`: the journey's timeline should show this now (a money event, or news before a long quiet wait). */
  async send(report: SingleChildReport, { promptly = false }: { promptly?: boolean } = {}): Promise<void> {
    if (!this.parent) return;
    const numbered = { ...report, from: this.self, seq: ++this.seq };
    if (!actionBudget()) return this.signal(numbered);
    if (numbered.kind === 'timeline') numbered.at = toIsoInstant(Date.now());
    if (!this.batch) {
      const batch: ReportBatch = { reports: [], promptly: false, sent: Promise.resolve() };
      batch.sent = endOfBurst().then(() => {
        this.batch = undefined;
        const reports = lastClockPerStep(batch.reports);
        if (!batch.promptly && !reports.some(needsParentNow) && isPatched(PATCH_DEFERRED_CHILD_REPORTS)) {
          this.deferred.push(...reports);
          return;
        }
        return this.signalAll(reports);
      });
      this.batch = batch;
    }
    this.batch.reports.push(numbered);
    if (promptly) this.batch.promptly = true;
    // The child goes on once the parent has the batch, as before batching: the parent sees a child's reports before
    // its completion. (Not waiting would merge more reports but left the time-skipping test server's timers unfired.)
    return this.batch.sent;
  }

  timeline(action: string, by: Omit<Extract<SingleChildReport, { kind: 'timeline' }>, 'kind' | 'action'> = {}, how: { promptly?: boolean } = {}): Promise<void> {
    return this.send({ kind: 'timeline', action, ...by }, how);
  }

  /**
   * Runs a child's body: its result carries the held-back reports; if it throws (a failure, a cancellation) they go
   * by signal first, so the journey's timeline misses nothing.
   */
  async run<R extends object>(body: () => Promise<R>): Promise<R & WithDeferredReports> {
    let result: R;
    try {
      result = await body();
    } catch (err) {
      if (this.deferred.length > 0) await CancellationScope.nonCancellable(() => this.signalAll([]));
      throw err;
    }
    const deferredReports = this.deferred;
    this.deferred = [];
    return deferredReports.length > 0 ? { ...result, deferredReports } : result;
  }

  private signalAll(reports: SingleChildReport[]): Promise<void> {
    const all = [...this.deferred, ...reports];
    this.deferred = [];
    return this.signal(all.length === 1 ? all[0] : { kind: 'batch', reports: all });
  }

  private async signal(report: ChildReport): Promise<void> {
    try {
      // Address the parent by id only: after a parent continue-as-new the report reaches the new run.
      await getExternalWorkflowHandle(this.parent!.workflowId).signal(childReport, report);
    } catch {
      // The parent has closed (cancelled journey): nothing left to inform.
    }
  }
}

/**
 * What the journey must hear while the child runs: an exception (its work queues), a breach (SlaState), a running
 * clock (NextDeadline). A stopped clock can wait: the journey shows a deadline a little longer than it holds.
 */
function needsParentNow(report: SingleChildReport): boolean {
  return report.kind === 'exception' || report.kind === 'breach' || (report.kind === 'clock' && report.ladder !== undefined);
}

/** A clock started and stopped within one task leaves only the stop: the parent needs the state, not the steps. */
function lastClockPerStep(reports: SingleChildReport[]): SingleChildReport[] {
  const lastIndex = new Map<string, number>();
  reports.forEach((r, i) => {
    if (r.kind === 'clock') lastIndex.set(r.step, i);
  });
  return reports.filter((r, i) => r.kind !== 'clock' || lastIndex.get(r.step) === i);
}
