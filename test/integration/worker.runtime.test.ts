import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createSmokeActivities } from '../../src/activities/smoke';
import { dataConverter } from '../../src/client/codec';
import { loadConfig } from '../../src/config';
import { startJourneyWorkers, workerTuning } from '../../src/workers/createWorker';
import { createLogger } from '../../src/workers/logger';
import { installRuntime } from '../../src/workers/runtime';
import { smokeCheck, smokeNote } from '../../src/workflows/smoke';
import { freePort } from '../../scripts/temporal/ports';
import { uniqueTaskQueue, workflowBundle } from '../support/temporal';
import { waitUntil } from '../support/waitUntil';

/**
 * The worker runtime on the dev server: per-site task queues → one worker each, the codec on both sides, JSON logs
 * with correlation ids through the Runtime logger, the SDK's Prometheus exporter, and a graceful shutdown.
 */
const MARKER = 'PHI-MARKER-John-Roe';

describe('startJourneyWorkers', () => {
  it('polls one queue per site, exports SDK metrics, logs JSON lines and shuts down gracefully', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', base: { service: 'worker-test' }, write: (l) => lines.push(l) });
    const sdkPort = await freePort();
    expect(installRuntime({ logger, sdkMetricsBindAddress: `127.0.0.1:${sdkPort}` })).toBe(true);
    // A Runtime exists now: a second install is refused without throwing.
    expect(installRuntime({ logger })).toBe(false);

    const prefix = uniqueTaskQueue('rt');
    const config = loadConfig({
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
      RCM_TASK_QUEUE: prefix,
      RCM_TASK_QUEUE_STRATEGY: 'per-site',
      RCM_SITES: 'north:America/Chicago,south:America/Los_Angeles',
      RCM_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      RCM_MAX_CACHED_WORKFLOWS: '40',
      RCM_MAX_CONCURRENT_WORKFLOW_TASKS: '30',
      RCM_MAX_CONCURRENT_ACTIVITIES: '5',
      RCM_SHUTDOWN_GRACE_MS: '2000',
    });
    expect(workerTuning(config, 2)).toEqual({ maxCachedWorkflows: 20, maxConcurrentWorkflowTaskExecutions: 20, maxConcurrentActivityTaskExecutions: 5, shutdownGraceTime: 2000 });

    const running = await startJourneyWorkers({ config, activities: createSmokeActivities({ greeting: 'site' }), bundle: workflowBundle(), logger });
    expect(running.taskQueues).toEqual([`${prefix}-north`, `${prefix}-south`]);
    expect(running.workers.map((w) => w.getState())).toEqual(['RUNNING', 'RUNNING']);

    const connection = await Connection.connect(config.temporal.connectionOptions);
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverter(config) });
    try {
      const results = await Promise.all(
        running.taskQueues.map(async (taskQueue) => {
          const workflowId = `smoke/${taskQueue}`;
          const h = await client.workflow.start(smokeCheck, { taskQueue, workflowId, args: [{ waitDays: 1 }] });
          await h.signal(smokeNote, MARKER);
          await h.signal(smokeNote, 'finish');
          return { workflowId, result: await h.result() };
        }),
      );
      for (const r of results) expect(r.result).toEqual(expect.objectContaining({ echoed: 'site: smoke', outcome: 'finished' }));

      // SDK (Core) metrics for both queues on the Prometheus exporter.
      // The exporter publishes on its own schedule: wait for both queues' series instead of giving up after 10 s.
      let sdk = '';
      await waitUntil(async () => {
        sdk = await (await fetch(`http://127.0.0.1:${sdkPort}/metrics`)).text();
        return sdk.includes(`${prefix}-north`) && sdk.includes(`${prefix}-south`) && sdk.includes('temporal_workflow_completed');
      }, 'SDK metrics of both queues', 30_000, 250).catch(() => undefined); // the expectations below say what is missing
      expect(sdk).toMatch(new RegExp(`temporal_workflow_completed_total\\{[^}]*task_queue="${prefix}-north"`));
      expect(sdk).toMatch(new RegExp(`temporal_activity_execution_latency_count\\{[^}]*task_queue="${prefix}-south"`));

      await running.shutdown();
      await running.shutdown(); // idempotent
      await running.done;
      expect(running.workers.map((w) => w.getState())).toEqual(['STOPPED', 'STOPPED']);

      // Structured logs: every line is JSON with ts/level/msg; SDK lines carry the workflow id as correlation id.
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const e of entries) expect(e).toEqual(expect.objectContaining({ ts: expect.any(String), level: expect.any(String), msg: expect.any(String) }));
      const msgs = entries.map((e) => e.msg);
      expect(msgs).toEqual(expect.arrayContaining(['workers started', 'workers shutting down', 'workers stopped']));
      expect(entries.some((e) => e.correlationId === results[0].workflowId)).toBe(true);
      // Even at debug level (activations carry decoded payloads) neither the marker nor raw payload bytes are logged.
      expect(lines.join('\n')).not.toContain(MARKER);
      expect(lines.join('\n')).not.toMatch(/"0":\d+,"1":\d+/);
      expect(entries.some((e) => e.msg === 'Got workflow activation')).toBe(true);
    } finally {
      await running.shutdown();
      await connection.close();
    }
  });
});
