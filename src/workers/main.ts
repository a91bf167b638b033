/**
 * `npm run worker`: journey workers for every configured task queue, the business KPI endpoint (prom-client,
 * `RCM_METRICS_PORT`) and, when `RCM_SDK_METRICS_ADDRESS` is set, the Temporal SDK's own Prometheus exporter.
 * SIGTERM/SIGINT: stop polling, let in-flight tasks finish (RCM_SHUTDOWN_GRACE_MS), close the connection, stop
 * the metrics server, exit 0. A second signal exits at once.
 */
import { ConfigError, loadConfig } from '../config';
import { workerDeploymentFromEnv, type WorkerDeploymentSettings } from '../config/temporal';
import { buildActivities } from './buildActivities';
import { prebuiltBundlePath, startJourneyWorkers, type JourneyWorkers, type WorkflowBundleOption } from './createWorker';
import { createKpiMetrics, startMetricsServer } from './kpiMetrics';
import { activityLogSink, createLogger } from './logger';
import { installRuntime } from './runtime';

async function main(): Promise<void> {
  let config;
  let deployment: WorkerDeploymentSettings | undefined;
  try {
    config = loadConfig();
    deployment = deploymentFromEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, base: { service: 'worker' } });
  installRuntime({ logger, sdkMetricsBindAddress: config.metrics.sdkBindAddress, coreLogLevel: config.logLevel === 'debug' ? 'info' : 'warn' });

  const kpis = createKpiMetrics({ defaultMetrics: true });
  // /readyz answers 503 until the workers below are polling (the Kubernetes readiness probe).
  const attached: { workers?: JourneyWorkers } = {};
  const ready = () => attached.workers?.readiness() ?? { ready: false, queues: [] };
  const metrics = await startMetricsServer(kpis.registry, { ...config.metrics, ready });
  logger.info('kpi metrics listening', { url: `${metrics.url}/metrics`, sdkMetrics: config.metrics.sdkBindAddress ?? 'off' });

  const activities = buildActivities(config, { kpi: kpis.sink, log: activityLogSink(logger.child({ component: 'notify' })) });
  // A prebuilt bundle (Docker image) skips webpack at start-up: RCM_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
  // (a versioned worker loads the `.versioned.js` variant written beside it by buildBundle.ts).
  const prebuilt = process.env.RCM_WORKFLOW_BUNDLE;
  const bundle: WorkflowBundleOption | undefined = prebuilt ? { codePath: prebuiltBundlePath(prebuilt, Boolean(deployment)) } : undefined;
  const started = await startJourneyWorkers({ config, activities, logger, bundle, deployment });
  attached.workers = started;

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn('second signal: exiting without waiting', { signal });
      process.exit(1);
    }
    logger.info('shutdown requested', { signal });
    void started.shutdown();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let exitCode = 0;
  try {
    await started.done;
  } catch (err) {
    logger.error('worker stopped with an error', { error: err });
    exitCode = 1;
  }
  await metrics.close();
  logger.info('bye', { exitCode });
  process.exit(exitCode);
}

function deploymentFromEnv(): WorkerDeploymentSettings | undefined {
  try {
    return workerDeploymentFromEnv(process.env);
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n'));
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level: 'error', msg: 'worker failed to start', error: { type: err?.name, message: err?.message } })}\n`);
  process.exit(1);
});
