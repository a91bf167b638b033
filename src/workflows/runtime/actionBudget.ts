import { CancellationScope, condition, patched, workflowInfo } from '@temporalio/workflow';

/**
 * Issue 15 (cost): every history event that is a Temporal Cloud action costs money. One patch id covers the whole
 * change (KPIs through a sink, coalesced upserts, batched audit mirror, batched child reports) because each patch id
 * records one marker per execution, and a marker is an action too.
 */
export const PATCH_ACTION_BUDGET = 'action-budget';

export function actionBudget(): boolean {
  return patched(PATCH_ACTION_BUDGET);
}

/**
 * Microtask hops before a coalesced flush. Work that the current activation already unblocked (a resolved activity,
 * a signal handler, the code after an `await` of something already settled) runs within a few hops; waiting this
 * many lets it all add to the batch. Deterministic: microtask order is part of the workflow's code.
 */
const HOPS = 64;

export async function endOfBurst(): Promise<void> {
  for (let i = 0; i < HOPS; i++) await Promise.resolve();
}

/**
 * Runs `flush` at most once per workflow task, after the task's burst of work: the first request in a task
 * schedules it, later requests in the same burst ride along. A request that comes after this task's flush
 * already ran waits for the next workflow task (`historyLength` changes per task, the same in replay).
 */
export class PerTaskFlush {
  private scheduled = false;
  private flushedInTask?: number;

  constructor(private readonly flush: () => void) {}

  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    void this.run();
  }

  private async run(): Promise<void> {
    await endOfBurst();
    const task = workflowInfo().historyLength;
    if (this.flushedInTask === task) {
      // Shielded: a cancelled journey still shows its last state.
      await CancellationScope.nonCancellable(() => condition(() => workflowInfo().historyLength !== task));
    }
    this.scheduled = false;
    this.flushedInTask = workflowInfo().historyLength;
    this.flush();
  }
}
