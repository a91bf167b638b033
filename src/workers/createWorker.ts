import fs from 'node:fs';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { dataConverter, failureConverterPath } from '../client/codec';
import { distinctTaskQueues, type AppConfig } from '../config';
import { connectWorkerConnection, type WorkerDeploymentSettings } from '../config/temporal';
import type { KpiSink } from '../activities/notify';
import { kpiSinkFromActivities, kpiWorkflowSinks } from './kpiMetrics';
import { WORKFLOW_TRACING_MODULE, bundleHasTracing } from '../observability/temporal';
import { ensureTracing, tracingConfigFromEnv, type Tracing } from '../observability/tracing';
import { withTracing } from '../observability/worker';
import { createLogger, temporalLogger, type Logger } from './logger';

/**
 * Journey workers: one Temporal Worker per distinct task queue (the shared `rcm-journeys`, or one per site with
 * the per-site strategy), all on one connection, all with the same data converter as the client (PHI codec when
 * keys are configured). The demo, `npm run worker` and tests call `startJourneyWorkers`.
 */
export type WorkflowBundleOption = { codePath: string } | { code: string };

export interface StartJourneyWorkersOptions {
  config: AppConfig;
  /** the composed activity object (see buildActivities) */
  activities: object;
  /** reuse a connection (not closed by shutdown); otherwise one is opened from config.temporal and closed */
  connection?: NativeConnection;
  /** a prebuilt workflow bundle (production image, tests); otherwise src/workflows is bundled once */
  bundle?: WorkflowBundleOption;
  /** poll only these queues (default: every distinct queue of the configured sites) */
  taskQueues?: string[];
  logger?: Logger;
  /** extra interceptors (tracing's are added by `tracing`) */
  interceptors?: WorkerOptions['interceptors'];
  /**
   * OpenTelemetry tracing (activity spans, workflow spans through a sink, workflow interceptors in the bundle this
   * function builds). Default: started from the OTEL_* env, off when it names none (src/observability/tracing.ts).
   */
  tracing?: Tracing;
  /** where the workflows' `kpi` sink goes; default: the `recordKpi` activity's sink in `activities` */
  kpi?: KpiSink;
  /**
   * Worker Deployment Versioning: this process is version `deploymentName:buildId` of its deployment (main.ts reads
   * it from RCM_WORKER_DEPLOYMENT_NAME / RCM_WORKER_BUILD_ID). Unversioned when omitted.
   */
  deployment?: WorkerDeploymentSettings;
}

export interface WorkerReadiness {
  /** every worker is running and has been seen long-polling its task queue, and no poller has failed */
  ready: boolean;
  queues: Array<{ taskQueue: string; state: string; workflowPoller: string; activityPoller: string; polled: boolean }>;
}

export interface JourneyWorkers {
  workers: Worker[];
  taskQueues: string[];
  connection: NativeConnection;
  /** settles when every worker has stopped (rejects if one failed) */
  done: Promise<void>;
  /** stop polling, let in-flight tasks finish (up to the grace time), then close the owned connection; idempotent */
  shutdown(): Promise<void>;
  /** for the readiness probe: started is not enough, the pollers must be polling */
  readiness(): WorkerReadiness;
}

/**
 * Bundle src/workflows once. `encodeFailures` (set when the codec is on) bundles the failure converter that moves
 * failure messages and stack traces into encoded attributes, so the codec encrypts them in workflow code too.
 * `versioned` adds each type's versioning behaviour (versioning.ts); only a worker running with deployment options
 * may load that bundle — the server refuses a versioning behaviour from an unversioned worker.
 */
export async function bundleJourneyWorkflows(opts: { encodeFailures: boolean; versioned?: boolean; tracing?: boolean; logger?: Logger }): Promise<{ code: string }> {
  const quiet = temporalLogger(opts.logger ? quietChild(opts.logger) : createLogger({ level: 'warn' }));
  const bundle = await bundleWorkflowCode({
    workflowsPath: opts.versioned ? require.resolve('./versionedWorkflows') : require.resolve('../workflows'),
    ...(opts.encodeFailures ? { failureConverterPath: failureConverterPath() } : {}),
    // Workflow spans cost CPU in every workflow task: only in bundles built while tracing is on.
    ...((opts.tracing ?? Boolean(tracingConfigFromEnv())) ? { workflowInterceptorModules: [WORKFLOW_TRACING_MODULE] } : {}),
    logger: quiet,
  });
  return { code: bundle.code };
}

function quietChild(logger: Logger): Logger {
  // The bundler is chatty at info level (webpack stats); keep warnings and errors.
  const child = logger.child({ component: 'bundler' });
  return { ...child, debug: () => undefined, info: () => undefined };
}

/** Worker tuning for `queueCount` workers in one process: the sticky cache is a process-wide memory budget. */
export function workerTuning(config: AppConfig, queueCount: number) {
  const maxCachedWorkflows = Math.max(2, Math.floor(config.worker.maxCachedWorkflows / Math.max(1, queueCount)));
  return {
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: Math.max(2, Math.min(config.worker.maxConcurrentWorkflowTaskExecutions, maxCachedWorkflows)),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivityTaskExecutions,
    shutdownGraceTime: config.worker.shutdownGraceTimeMs,
  };
}

export async function startJourneyWorkers(opts: StartJourneyWorkersOptions): Promise<JourneyWorkers> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logLevel, base: { service: 'worker' } });
  const taskQueues = [...new Set(opts.taskQueues ?? distinctTaskQueues(config))];
  if (taskQueues.length === 0) throw new Error('no task queues to poll (no sites configured)');
  const tracing = opts.tracing ?? ensureTracing('rcm-worker');
  const ownsConnection = !opts.connection;
  const connection = opts.connection ?? (await connectWorkerConnection(config.temporal));
  const workers: Worker[] = [];
  try {
    const bundle = opts.bundle ?? (await bundleJourneyWorkflows({ encodeFailures: Boolean(config.codec), versioned: Boolean(opts.deployment), tracing: Boolean(tracing), logger }));
    if (tracing && opts.bundle && !bundleHasTracing(await bundleCode(opts.bundle))) {
      logger.warn('tracing is on but the prebuilt workflow bundle has no tracing interceptors: no workflow spans (unset RCM_WORKFLOW_BUNDLE to bundle at start)');
    }
    const tuning = workerTuning(config, taskQueues.length);
    const dc = dataConverter(config);
    const kpi = opts.kpi ?? kpiSinkFromActivities(opts.activities);
    for (const taskQueue of taskQueues) {
      workers.push(
        await Worker.create(withTracing({
          connection,
          namespace: config.temporal.namespace,
          taskQueue,
          workflowBundle: bundle,
          activities: opts.activities,
          ...(dc ? { dataConverter: dc } : {}),
          ...(opts.interceptors ? { interceptors: opts.interceptors } : {}),
          ...(kpi ? { sinks: kpiWorkflowSinks(kpi, (issue) => logger.warn('kpi event dropped', { issue })) } : {}),
          ...(opts.deployment ? { workerDeploymentOptions: deploymentOptions(opts.deployment) } : {}),
          ...tuning,
        }, tracing)),
      );
    }
  } catch (err) {
    if (ownsConnection) await connection.close().catch(() => undefined);
    throw err;
  }

  logger.info('workers started', {
    namespace: config.temporal.namespace,
    taskQueues,
    codec: Boolean(config.codec),
    deployment: opts.deployment ? `${opts.deployment.deploymentName}:${opts.deployment.buildId}` : 'unversioned',
    ...workerTuning(config, taskQueues.length),
  });

  let stopping: Promise<void> | undefined;
  const runs = workers.map((w, i) =>
    w.run().catch((err) => {
      logger.error('worker failed', { taskQueue: taskQueues[i], error: err });
      void shutdown();
      throw err;
    }),
  );
  const done = Promise.allSettled(runs).then(async (results) => {
    // Batched spans would be lost when the process exits right after (main.ts).
    await tracing?.forceFlush().catch(() => undefined);
    if (ownsConnection) await connection.close().catch(() => undefined);
    logger.info('workers stopped', { taskQueues });
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
  // Callers that only await shutdown() must not see an unhandled rejection.
  done.catch(() => undefined);

  function shutdown(): Promise<void> {
    if (!stopping) {
      logger.info('workers shutting down', { taskQueues, graceMs: config.worker.shutdownGraceTimeMs });
      for (const w of workers) {
        if (w.getState() === 'RUNNING') w.shutdown();
      }
      stopping = done.catch(() => undefined);
    }
    return stopping;
  }

  // A poll seen in flight once proves the worker reached the server's task queue; it is latched because a busy
  // worker is briefly between polls.
  const polled = workers.map(() => false);
  function readiness(): WorkerReadiness {
    const queues = workers.map((w, i) => {
      const s = w.getStatus();
      polled[i] ||= s.hasOutstandingWorkflowPoll || s.hasOutstandingActivityPoll;
      return { taskQueue: taskQueues[i], state: s.runState, workflowPoller: s.workflowPollerState, activityPoller: s.activityPollerState, polled: polled[i] };
    });
    const ready = queues.every((q) => q.state === 'RUNNING' && q.polled && q.workflowPoller !== 'FAILED' && q.activityPoller !== 'FAILED');
    return { ready, queues };
  }

  return { workers, taskQueues, connection, done, shutdown, readiness };
}

/** SDK options for a versioned worker: journeys pinned, short workflows auto-upgrade (per type, versioning.ts). */
export function deploymentOptions(d: WorkerDeploymentSettings): NonNullable<WorkerOptions['workerDeploymentOptions']> {
  return {
    version: { deploymentName: d.deploymentName, buildId: d.buildId },
    useWorkerVersioning: true,
    defaultVersioningBehavior: d.defaultVersioningBehavior,
  };
}

/** The prebuilt bundle for a worker's mode: `x.js` unversioned, `x.versioned.js` beside it for versioned workers. */
export function prebuiltBundlePath(file: string, versioned: boolean): string {
  return versioned ? file.replace(/(\.js)?$/, '.versioned.js') : file;
}

async function bundleCode(bundle: WorkflowBundleOption): Promise<string> {
  return 'code' in bundle ? bundle.code : fs.promises.readFile(bundle.codePath, 'utf8');
}
