import type { WorkflowClient } from '@temporalio/client';

/**
 * Journeys of earlier demo runs whose world is gone. Their Odoo records and payer claims lived in that run's
 * in-memory emulators; on this run's task queue this run's worker would pick them up again and post their
 * payments with the old run's Odoo record ids into this run's fresh Odoo emulator (another journey's invoice).
 * They are terminated, with the reason on the history, before the workers start. Only demo ids are touched
 * (`referral/<site>/DM<stamp>-<KIND>` and their child workflows), only on the task queues this run polls, never this
 * run's own.
 */
const DEMO_WORKFLOW_ID = /^referral\/[A-Za-z0-9._-]{1,64}\/(DM[0-9A-Z]+)-[A-Z]+(\/.*)?$/;

export interface RetiredRuns {
  /** journeys terminated (children not counted) */
  journeys: number;
  /** every terminated workflow, journeys and children */
  workflows: number;
}

export async function retireEarlierDemoJourneys(wf: WorkflowClient, opts: { taskQueues: string[]; stamp: string }): Promise<RetiredRuns> {
  if (opts.taskQueues.length === 0) return { journeys: 0, workflows: 0 };
  const queues = opts.taskQueues.map((q) => `TaskQueue = '${q.replace(/'/g, '')}'`).join(' OR ');
  const targets: { workflowId: string; runId: string; child: boolean }[] = [];
  for await (const info of wf.list({ query: `ExecutionStatus = 'Running' AND (${queues})`, pageSize: 200 })) {
    const m = DEMO_WORKFLOW_ID.exec(info.workflowId);
    if (m && m[1] !== opts.stamp) targets.push({ workflowId: info.workflowId, runId: info.runId, child: m[2] !== undefined });
  }
  let journeys = 0;
  let workflows = 0;
  // Journeys first: their children may close with them (parent close policy); the rest are terminated after.
  for (const t of [...targets.filter((x) => !x.child), ...targets.filter((x) => x.child)]) {
    try {
      await wf.getHandle(t.workflowId, t.runId).terminate(`demo restarted (run ${opts.stamp}): the emulators this journey used are gone`);
      workflows += 1;
      if (!t.child) journeys += 1;
    } catch {
      // already closed (e.g. by its parent): nothing to do
    }
  }
  return { journeys, workflows };
}
