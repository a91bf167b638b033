import { defineSignal, getExternalWorkflowHandle, workflowInfo } from '@temporalio/workflow';
import type { SlaLadder } from '../domain';
import { actionBudget, endOfBurst } from './runtime/actionBudget';
import type { Rung } from './slaLadder';

/**
 * Child workflows (prior auth, claim lifecycle, patient balance) own their process, but the journey stays the one
 * place an operator looks: children report timeline entries, SLA clocks, exceptions and money to the parent.
 */
export type SingleChildReport = (
  | { kind: 'timeline'; action: string; actor?: string; role?: string; reason?: string; detail?: string }
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
 * Sends reports to the parent journey; a no-op when the workflow runs without a parent (tests, operators).
 * New executions send one signal per workflow task (each signal is billed twice: sent and received), and of a
 * clock's reports in that task only the last, which is the clock's state the parent shows.
 */
export class ParentReporter {
  private readonly parent = workflowInfo().parent;
  private readonly self = workflowInfo().workflowId;
  private seq = 0;
  private batch?: { reports: SingleChildReport[]; sent: Promise<void> };

  async send(report: SingleChildReport): Promise<void> {
    if (!this.parent) return;
    const numbered = { ...report, from: this.self, seq: ++this.seq };
    if (!actionBudget()) return this.signal(numbered);
    if (!this.batch) {
      const batch: { reports: SingleChildReport[]; sent: Promise<void> } = { reports: [], sent: Promise.resolve() };
      batch.sent = endOfBurst().then(() => {
        this.batch = undefined;
        const reports = lastClockPerStep(batch.reports);
        return this.signal(reports.length === 1 ? reports[0] : { kind: 'batch', reports });
      });
      this.batch = batch;
    }
    this.batch.reports.push(numbered);
    // The child goes on once the parent has the batch, as before batching: the parent sees a child's reports before
    // its completion. (Not waiting would merge more reports but left the time-skipping test server's timers unfired.)
    return this.batch.sent;
  }

  timeline(action: string, by: Omit<Extract<SingleChildReport, { kind: 'timeline' }>, 'kind' | 'action'> = {}): Promise<void> {
    return this.send({ kind: 'timeline', action, ...by });
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

/** A clock started and stopped within one task leaves only the stop: the parent needs the state, not the steps. */
function lastClockPerStep(reports: SingleChildReport[]): SingleChildReport[] {
  const lastIndex = new Map<string, number>();
  reports.forEach((r, i) => {
    if (r.kind === 'clock') lastIndex.set(r.step, i);
  });
  return reports.filter((r, i) => r.kind !== 'clock' || lastIndex.get(r.step) === i);
}
