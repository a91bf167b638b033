import type { Client } from '@temporalio/client';
import { createSmokeActivities } from '../../src/activities/smoke';
import { smokeCheck, smokeNote, smokeSetLimit } from '../../src/workflows/smoke';

/** Scenarios whose histories are recorded by scripts/record-histories.ts and replayed by the suite. */
export interface HistoryScenario<D = any> {
  setUp?: () => Promise<D>;
  tearDown?: (deps: D) => Promise<void>;
  activities: (deps: D) => object;
  /** Runs the scenario to completion; returns the workflow id (also the history file's replay id). */
  run: (client: Client, taskQueue: string, deps: D) => Promise<string>;
}

export const historyScenarios: Record<string, HistoryScenario> = {
  smoke: {
    activities: () => createSmokeActivities({ greeting: 'hi' }),
    run: async (client, taskQueue) => {
      const workflowId = 'smoke';
      const handle = await client.workflow.start(smokeCheck, { taskQueue, workflowId, args: [{ waitDays: 30 }], workflowIdConflictPolicy: 'TERMINATE_EXISTING' });
      await handle.signal(smokeNote, 'hello');
      await handle.executeUpdate(smokeSetLimit, { args: [3] });
      await handle.signal(smokeNote, 'finish');
      await handle.result();
      return workflowId;
    },
  },
};
