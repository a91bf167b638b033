/**
 * Worker Deployment Versioning on the real dev server: version 1 of a deployment parks journeys on 30-day timers,
 * version 2 (an incompatible change to the journey, a patched change to a short workflow) becomes current, and
 * - the parked journeys stay pinned to version 1 and finish there,
 * - new journeys start and finish on version 2,
 * - a short auto-upgrade workflow started on version 1 moves to version 2 (its change is behind `patched()`),
 * - version 1 is seen DRAINING while its journeys are open, then DRAINED once they close, so its workers can go.
 * The workers take exactly the options production uses (deploymentOptions from RCM_WORKER_* via envconfig-style env).
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createSmokeActivities } from '../../src/activities/smoke';
import { loadConfig } from '../../src/config';
import { workerDeploymentFromEnv } from '../../src/config/temporal';
import { bundleJourneyWorkflows, deploymentOptions, startJourneyWorkers, type JourneyWorkers } from '../../src/workers/createWorker';
import { startMetricsServer } from '../../src/workers/kpiMetrics';
import { createLogger } from '../../src/workers/logger';
import { WORKFLOW_VERSIONING } from '../../src/workers/versioning';
import * as productWorkflows from '../../src/workflows';
import { smokeCheck, smokeNote } from '../../src/workflows/smoke';
import { Registry } from 'prom-client';
import { quietRuntime, uniqueTaskQueue } from '../support/temporal';

const NS = 'default';
const { VersionDrainageStatus, VersioningBehavior } = temporal.api.enums.v1;
const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, log: noop, warn: noop, error: console.error };

/** Poll `probe` until it returns a value (not undefined), or fail naming what was awaited and the last error. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

describe('the versioning policy of the product', () => {
  it('gives every workflow type of the bundle a conscious behaviour: journeys pinned, short workflows auto-upgrade', () => {
    const exported = Object.entries(productWorkflows)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .sort();
    expect(Object.keys(WORKFLOW_VERSIONING).sort()).toEqual(exported);
    expect(WORKFLOW_VERSIONING.referralJourney).toBe('PINNED');
    expect(WORKFLOW_VERSIONING.reconciliation).toBe('AUTO_UPGRADE');
  });

  it('reads the deployment version from the environment the chart sets, and refuses half a version', () => {
    expect(workerDeploymentFromEnv({})).toBeUndefined();
    expect(workerDeploymentFromEnv({ RCM_WORKER_DEPLOYMENT_NAME: 'rcm-journeys', RCM_WORKER_BUILD_ID: '1.4.2' })).toEqual({
      deploymentName: 'rcm-journeys',
      buildId: '1.4.2',
      defaultVersioningBehavior: 'PINNED',
    });
    expect(() => workerDeploymentFromEnv({ RCM_WORKER_BUILD_ID: '1.4.2' })).toThrow(/RCM_WORKER_DEPLOYMENT_NAME: required/);
    expect(() => workerDeploymentFromEnv({ RCM_WORKER_DEPLOYMENT_NAME: 'rcm.journeys', RCM_WORKER_BUILD_ID: '1' })).toThrow(/no '\.' or ':'/);
    expect(() => workerDeploymentFromEnv({ RCM_WORKER_DEPLOYMENT_NAME: 'a', RCM_WORKER_BUILD_ID: '1', RCM_WORKER_DEFAULT_VERSIONING: 'sometimes' })).toThrow(
      /RCM_WORKER_DEFAULT_VERSIONING/,
    );
  });
});

describe('Worker Deployment Versioning on the dev server', () => {
  const deploymentName = `rcm-vt-${randomUUID().slice(0, 8)}`;
  const taskQueue = uniqueTaskQueue('versioning');
  let connection: Connection;
  let client: Client;
  let nativeConnection: NativeConnection;
  const workers: Worker[] = [];
  const runs: Promise<void>[] = [];
  let bundles: { v1: { code: string }; v2: { code: string } };

  beforeAll(async () => {
    quietRuntime();
    const address = process.env.TEMPORAL_TEST_ADDRESS;
    if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is not set: run through jest (globalSetup starts the dev server)');
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace: NS });
    nativeConnection = await NativeConnection.connect({ address });
    const bundle = (v: string) => bundleWorkflowCode({ workflowsPath: require.resolve(`./versioning-workflows/${v}`), logger: quietLogger });
    const [v1, v2] = await Promise.all([bundle('v1'), bundle('v2')]);
    bundles = { v1, v2 };
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await Promise.allSettled(runs);
    await nativeConnection?.close();
    await connection?.close();
  });

  async function startWorker(buildId: 'v1' | 'v2'): Promise<Worker> {
    // The same parsing and options as `npm run worker` in the chart (RCM_WORKER_BUILD_ID = image tag).
    const deployment = workerDeploymentFromEnv({ RCM_WORKER_DEPLOYMENT_NAME: deploymentName, RCM_WORKER_BUILD_ID: buildId })!;
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: NS,
      taskQueue,
      workflowBundle: bundles[buildId],
      workerDeploymentOptions: deploymentOptions(deployment),
      maxCachedWorkflows: 20,
    });
    workers.push(worker);
    runs.push(worker.run());
    return worker;
  }

  /** Retried until the server knows the version (its worker has polled), like `temporal worker deployment set-current-version`. */
  async function setCurrent(buildId: string): Promise<void> {
    await waitFor(`${deploymentName}:${buildId} to become current`, async () => {
      await connection.workflowService.setWorkerDeploymentCurrentVersion({ namespace: NS, deploymentName, buildId, identity: 'versioning-test' });
      const d = await connection.workflowService.describeWorkerDeployment({ namespace: NS, deploymentName });
      return d.workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId === buildId ? true : undefined;
    });
  }

  async function pinnedTo(handle: WorkflowHandle): Promise<{ behavior: string; buildId: string } | undefined> {
    const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
    const buildId = info?.deploymentVersion?.buildId;
    if (!info || !buildId) return undefined;
    return { behavior: VersioningBehavior[info.behavior ?? 0], buildId };
  }

  async function onVersion(handle: WorkflowHandle, buildId: string, behavior: string): Promise<void> {
    await waitFor(`${handle.workflowId} on ${buildId}`, async () => {
      const p = await pinnedTo(handle);
      return p && p.buildId === buildId && p.behavior === behavior ? true : undefined;
    });
  }

  async function drainageOf(buildId: string): Promise<string> {
    const r = await connection.workflowService.describeWorkerDeploymentVersion({ namespace: NS, deploymentVersion: { deploymentName, buildId } });
    return VersionDrainageStatus[r.workerDeploymentVersionInfo?.drainageInfo?.status ?? 0];
  }

  const start = (type: 'parkedJourney' | 'shortTask', tag: string) =>
    client.workflow.start(type, { taskQueue, workflowId: `${deploymentName}-${tag}`, workflowExecutionTimeout: '10 minutes' });

  it('keeps parked journeys on version 1, runs new ones on version 2, upgrades the short workflow, then drains version 1', async () => {
    // Version 1 is deployed and made current; three journeys park on their 30-day timers, one short task waits.
    const v1 = await startWorker('v1');
    await setCurrent('v1');
    const parked = await Promise.all([1, 2, 3].map((i) => start('parkedJourney', `old-${i}`)));
    const short = await start('shortTask', 'short');
    for (const h of parked) await onVersion(h, 'v1', 'VERSIONING_BEHAVIOR_PINNED');
    await onVersion(short, 'v1', 'VERSIONING_BEHAVIOR_AUTO_UPGRADE');
    expect(await parked[0].query<string>('codeVersion')).toBe('v1');

    // Version 2 rolls out; version 1's workers stay up for their pinned journeys.
    await startWorker('v2');
    await setCurrent('v2');
    const fresh = await Promise.all([1, 2].map((i) => start('parkedJourney', `new-${i}`)));
    for (const h of fresh) await onVersion(h, 'v2', 'VERSIONING_BEHAVIOR_PINNED');
    expect(await fresh[0].query<string>('codeVersion')).toBe('v2');
    expect(await parked[1].query<string>('codeVersion')).toBe('v1');
    // What drains a version: its open pinned workflows (the auto-upgrade short task carries the version too).
    const openOnV1 = `TemporalWorkerDeploymentVersion = '${deploymentName}:v1' AND TemporalWorkflowVersioningBehavior = 'Pinned' AND ExecutionStatus = 'Running'`;
    await waitFor('visibility to list the three journeys pinned to version 1', async () => ((await client.workflow.count(openOnV1)).count === 3 ? true : undefined));
    await waitFor('version 1 to report DRAINING while its journeys are open', async () =>
      (await drainageOf('v1')) === 'VERSION_DRAINAGE_STATUS_DRAINING' ? true : undefined,
    );

    // Everything is released: old journeys finish on the code they started with, new ones on version 2, and the
    // short workflow moved to version 2 at its next task (replay-safe thanks to patched()).
    for (const h of [...parked, ...fresh, short]) await h.signal('release');
    expect(await Promise.all(parked.map((h) => h.result()))).toEqual(['finished on v1', 'finished on v1', 'finished on v1']);
    expect(await Promise.all(fresh.map((h) => h.result()))).toEqual(['finished on v2', 'finished on v2']);
    expect(await short.result()).toBe('finished on v2');
    expect(await pinnedTo(parked[0])).toEqual({ behavior: 'VERSIONING_BEHAVIOR_PINNED', buildId: 'v1' });
    expect(await pinnedTo(short)).toEqual({ behavior: 'VERSIONING_BEHAVIOR_AUTO_UPGRADE', buildId: 'v2' });

    // The drain of version 1 is visible: no open pinned journey is left, so its workers can be retired.
    await waitFor('version 1 to report DRAINED', async () => ((await drainageOf('v1')) === 'VERSION_DRAINAGE_STATUS_DRAINED' ? true : undefined), 45_000);
    expect((await client.workflow.count(openOnV1)).count).toBe(0);
    v1.shutdown();
    expect(await drainageOf('v2')).toBe('VERSION_DRAINAGE_STATUS_UNSPECIFIED');
  }, 110_000);
});

describe('the product worker as a deployment version', () => {
  it('is ready only once it polls, registers its version, and runs the product bundle with per-type behaviour', async () => {
    quietRuntime();
    const deploymentName = `rcm-prod-${randomUUID().slice(0, 8)}`;
    const config = loadConfig({ TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS, RCM_TASK_QUEUE: uniqueTaskQueue('versioned'), RCM_SHUTDOWN_GRACE_MS: '2000' });
    const deployment = workerDeploymentFromEnv({ RCM_WORKER_DEPLOYMENT_NAME: deploymentName, RCM_WORKER_BUILD_ID: '2.0.1' });
    const attached: { workers?: JourneyWorkers } = {};
    const metrics = await startMetricsServer(new Registry(), { port: 0, ready: () => attached.workers?.readiness() ?? { ready: false } });
    const connection = await Connection.connect(config.temporal.connectionOptions);
    try {
      expect((await fetch(`${metrics.url}/readyz`)).status).toBe(503);
      // The product bundle (src/workflows through the versioning entry), as the image's buildBundle makes it.
      const logger = createLogger({ level: 'warn' });
      const bundle = await bundleJourneyWorkflows({ encodeFailures: false, versioned: true, logger });
      attached.workers = await startJourneyWorkers({ config, activities: createSmokeActivities({ greeting: 'v' }), bundle, deployment, logger });
      await waitFor('the worker to report ready', async () => ((await fetch(`${metrics.url}/readyz`)).status === 200 ? true : undefined));
      const body = (await (await fetch(`${metrics.url}/readyz`)).json()) as { ready: boolean; queues: Array<{ polled: boolean }> };
      expect(body.ready).toBe(true);
      expect(body.queues.every((q) => q.polled)).toBe(true);

      await waitFor('the version to be registered and made current', async () => {
        await connection.workflowService.setWorkerDeploymentCurrentVersion({ namespace: NS, deploymentName, buildId: '2.0.1', identity: 'versioning-test' });
        return true;
      });
      const client = new Client({ connection, namespace: NS });
      const h = await client.workflow.start(smokeCheck, { taskQueue: config.taskQueue.shared, workflowId: `${deploymentName}-smoke`, args: [{ waitDays: 1 }] });
      await h.signal(smokeNote, 'finish');
      await h.result();
      const info = (await h.describe()).raw.workflowExecutionInfo?.versioningInfo;
      expect({ behavior: VersioningBehavior[info?.behavior ?? 0], buildId: info?.deploymentVersion?.buildId }).toEqual({
        behavior: 'VERSIONING_BEHAVIOR_AUTO_UPGRADE',
        buildId: '2.0.1',
      });

      await attached.workers.shutdown();
      expect(attached.workers.readiness().ready).toBe(false);
      expect((await fetch(`${metrics.url}/readyz`)).status).toBe(503);
    } finally {
      await attached.workers?.shutdown();
      await metrics.close();
      await connection.close();
    }
  }, 110_000);
});
