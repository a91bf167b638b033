import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createSmokeActivities } from '../../src/activities/smoke';
import { smokeCheck, smokeNote, smokeSetLimit, smokeState } from '../../src/workflows/smoke';
import { timeSkippingEnv, uniqueTaskQueue, workflowBundle, testWorkerLimits } from '../support/temporal';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

describe('platform smoke workflow on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs an activity, takes a signal and a validated update, and waits a 30-day durable timer in seconds', async () => {
    const taskQueue = uniqueTaskQueue('smoke');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: workflowBundle(),
      activities: createSmokeActivities({ greeting: 'hi' }),
      ...testWorkerLimits,
    });
    const started = Date.now();
    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(smokeCheck, { taskQueue, workflowId: uniqueTaskQueue('smoke-wf'), args: [{ waitDays: 30 }] });
      await handle.signal(smokeNote, 'first');
      expect(await handle.executeUpdate(smokeSetLimit, { args: [5] })).toBe(0);
      await expect(handle.executeUpdate(smokeSetLimit, { args: [-1] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      expect((await handle.query(smokeState)).limit).toBe(5);
      const before = await env.currentTimeMs();
      const r = await handle.result();
      const skippedDays = (Number(await env.currentTimeMs()) - Number(before)) / 86_400_000;
      expect(skippedDays).toBeGreaterThanOrEqual(30);
      return r;
    });
    expect(result).toEqual({ echoed: 'hi: smoke', notes: ['first'], limit: 5, outcome: 'timed_out' });
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
