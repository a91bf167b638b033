/**
 * The worker process whose memory the parked-workflow metric reads (bench/metrics/parked.ts spawns it with IPC).
 * It runs either the product's journeys or the baseline's parked timers on one task queue, with the production
 * worker tuning (sticky cache capped by RCM_MAX_CACHED_WORKFLOWS, default 1000), and reports its progress to the
 * parent twice a second: how many baseline workflows reached their timer (a sink, not called on replay) and how
 * much work is in flight.
 */
import { NativeConnection, Worker, type InjectedSinks } from '@temporalio/worker';
import { discardKpis, productSinks } from './discardKpis';
import { loadConfig } from '../src/config';
import { buildActivities } from '../src/workers/buildActivities';
import { workerTuning } from '../src/workers/createWorker';
import { quietRuntime } from './stack';
import { baselineActivities } from './workflows/activities';
import type { ParkedSinks } from './workflows';

export interface ParkedReport {
  parked: number;
  inFlight: number;
  cached: number;
}

async function main(): Promise<void> {
  const kind = process.env.BENCH_KIND;
  const address = process.env.BENCH_ADDRESS;
  const taskQueue = process.env.BENCH_TASK_QUEUE;
  const bundle = process.env.BENCH_BUNDLE;
  if ((kind !== 'journey' && kind !== 'trivial') || !address || !taskQueue || !bundle || !process.send) throw new Error('parkedWorker: run by bench/metrics/parked.ts');
  quietRuntime();
  const config = loadConfig(process.env, {});
  let parked = 0;
  const baselineSinks: InjectedSinks<ParkedSinks> = { bench: { parked: { fn: () => void parked++ } } };
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath: bundle },
    activities: kind === 'journey' ? buildActivities(config, { kpi: discardKpis, log: () => undefined }) : baselineActivities,
    sinks: kind === 'journey' ? productSinks : baselineSinks,
    ...workerTuning(config, 1),
  });
  const timer = setInterval(() => {
    const s = worker.getStatus();
    const report: ParkedReport = { parked, inFlight: s.numInFlightWorkflowActivations + s.numInFlightActivities, cached: s.numCachedWorkflows };
    // The parent disconnects once it has read the RSS: stop reporting then (a send on a closed channel throws).
    if (process.connected) process.send?.(report);
  }, 500);
  process.on('disconnect', () => {
    clearInterval(timer);
    worker.shutdown();
  });
  await worker.run();
  clearInterval(timer);
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
