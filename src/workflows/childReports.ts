import { defineSignal, getExternalWorkflowHandle, workflowInfo } from '@temporalio/workflow';
import type { SlaLadder } from '../domain';
import type { Rung } from './slaLadder';

/**
 * Child workflows (prior auth, claim lifecycle, patient balance) own their process, but the journey stays the one
 * place an operator looks: children report timeline entries, SLA clocks, exceptions and money to the parent.
 */
export type ChildReport = (
  | { kind: 'timeline'; action: string; actor?: string; role?: string; reason?: string; detail?: string }
  | { kind: 'clock'; step: string; ladder?: SlaLadder; fired: Rung[] }
  | { kind: 'breach'; step: string; rule: string; escalateTo: string }
  | { kind: 'exception'; op: 'open' | 'close'; queue: string; reason?: string; ref?: string }
) & {
  /** sending child and its report counter: signals can overtake each other, so the parent drops stale clocks */
  from?: string;
  seq?: number;
};

export const childReport = defineSignal<[ChildReport]>('childReport');

/** Sends reports to the parent journey; a no-op when the workflow runs without a parent (tests, operators). */
export class ParentReporter {
  private readonly parent = workflowInfo().parent;
  private readonly self = workflowInfo().workflowId;
  private seq = 0;

  async send(report: ChildReport): Promise<void> {
    if (!this.parent) return;
    try {
      // Address the parent by id only: after a parent continue-as-new the report reaches the new run.
      await getExternalWorkflowHandle(this.parent.workflowId).signal(childReport, { ...report, from: this.self, seq: ++this.seq });
    } catch {
      // The parent has closed (cancelled journey): nothing left to inform.
    }
  }

  timeline(action: string, by: Omit<Extract<ChildReport, { kind: 'timeline' }>, 'kind' | 'action'> = {}): Promise<void> {
    return this.send({ kind: 'timeline', action, ...by });
  }
}
