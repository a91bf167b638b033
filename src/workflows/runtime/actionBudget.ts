import { CancellationScope, condition, workflowInfo } from '@temporalio/workflow';
import { isPatched } from './patchLevel';

/**
 * Issue 15 (cost): every history event that is a Temporal Cloud action costs money. One patch id covers the whole
 * change (KPIs through a sink, coalesced upserts, batched audit mirror, batched child reports) because each patch id
 * records one marker per execution, and a marker is an action too (plus the SDK's TemporalChangeVersion upsert).
 */
export const PATCH_ACTION_BUDGET = 'action-budget';

export function actionBudget(): boolean {
  return isPatched(PATCH_ACTION_BUDGET);
}

/**
 * Resolves once the current activation's work has settled: the SDK evaluates blocked conditions only after the
 * microtasks of the jobs it applied have run, so everything this task unblocked has had its say by then.
 * Shielded so a cancelled scope still flushes (the last state matters most then).
 */
export function endOfBurst(until: () => boolean = () => true): Promise<void> {
  return CancellationScope.nonCancellable(() => condition(until));
}

/** Activities scheduled and not yet settled (bookkeeping only, no commands): while any runs the workflow is busy. */
let inFlight = 0;

export function activitiesInFlight(): number {
  return inFlight;
}

/** Wraps a proxyActivities object so each call is counted while it runs. */
export function tracked<T extends object>(activities: T): T {
  return new Proxy(activities, {
    get(target, prop, receiver) {
      const fn: unknown = Reflect.get(target, prop, receiver);
      if (typeof fn !== 'function') return fn;
      return (...args: unknown[]) => {
        inFlight++;
        return (fn as (...a: unknown[]) => Promise<unknown>)(...args).finally(() => {
          inFlight--;
        });
      };
    },
  });
}

/**
 * Runs `flush` at most once per workflow task, at the end of a task in which the workflow waits for the outside
 * world (no activity in flight): a stage that runs one activity after another publishes once, where it waits.
 * A request after this task's flush waits for the next task (`historyLength` changes per task, the same in replay).
 * A flush that lands in the task that completes the workflow still counts: the SDK orders the completion last.
 */
export class PerTaskFlush {
  private scheduled = false;
  private requests = 0;
  private flushedInTask?: number;

  constructor(private readonly flush: () => void) {}

  request(): void {
    this.requests++;
    if (this.scheduled) return;
    this.scheduled = true;
    void this.run();
  }

  private async run(): Promise<void> {
    const ready = () => inFlight === 0 && workflowInfo().historyLength !== this.flushedInTask;
    let seen: number;
    do {
      seen = this.requests;
      await endOfBurst(ready);
      // Conditions unblocked in the same pass (the stage's own waits) run now and may start an activity or publish
      // again (a clock that starts): one more pass, and again until a pass adds nothing, so the upsert carries the
      // state the workflow settles in and a stage that moves straight on to its next activity does not publish.
      await endOfBurst();
    } while (!ready() || seen !== this.requests);
    this.scheduled = false;
    this.flushedInTask = workflowInfo().historyLength;
    this.flush();
  }
}
