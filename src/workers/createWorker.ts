import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { dataConverter, failureConverterPath } from '../client/codec';
import { distinctTaskQueues, type AppConfig } from '../config';
import { connectWorkerConnection } from '../config/temporal';
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
  /**
   * Interceptor hook. OpenTelemetry tracing would go here (`@temporalio/interceptors-opentelemetry`:
   * `activity: [ctx => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) })]` and its workflow module
   * passed to the bundler), but that package is not installed.
   */
  interceptors?: WorkerOptions['interceptors'];
}

export interface JourneyWorkers {
  workers: Worker[];
  taskQueues: string[];
  connection: NativeConnection;
  /** settles when every worker has stopped (rejects if one failed) */
  done: Promise<void>;
  /** stop polling, let in-flight tasks finish (up to the grace time), then close the owned connection; idempotent */
  shutdown(): Promise<void>;
}

/**
 * Bundle src/workflows once. `encodeFailures` (set when the codec is on) bundles the failure converter that moves
 * failure messages and stack traces into encoded attributes, so the codec encrypts them in workflow code too.
 */
export async function bundleJourneyWorkflows(opts: { encodeFailures: boolean; logger?: Logger }): Promise<{ code: string }> {
  const quiet = temporalLogger(opts.logger ? quietChild(opts.logger) : createLogger({ level: 'warn' }));
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    ...(opts.encodeFailures ? { failureConverterPath: failureConverterPath() } : {}),
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
  const ownsConnection = !opts.connection;
  const connection = opts.connection ?? (await connectWorkerConnection(config.temporal));
  const workers: Worker[] = [];
  try {
    const bundle = opts.bundle ?? (await bundleJourneyWorkflows({ encodeFailures: Boolean(config.codec), logger }));
    const tuning = workerTuning(config, taskQueues.length);
    const dc = dataConverter(config);
    for (const taskQueue of taskQueues) {
      workers.push(
        await Worker.create({
          connection,
          namespace: config.temporal.namespace,
          taskQueue,
          workflowBundle: bundle,
          activities: opts.activities,
          ...(dc ? { dataConverter: dc } : {}),
          ...(opts.interceptors ? { interceptors: opts.interceptors } : {}),
          ...tuning,
        }),
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

  return { workers, taskQueues, connection, done, shutdown };
}
