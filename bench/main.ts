/**
 * `npm run bench`: every issue-15 metric against a baseline measured in the same run (bench/README.md).
 *
 *   npm run bench                     full run (~ minutes; 10,000 parked workflows per side)
 *   npm run bench -- --quick          tiny sizes (the smoke test)
 *   npm run bench -- --parked 2000    scale the parked-workflow RSS metric
 *   --out <file>                      where the JSON goes (default bench/results/latest.json)
 *   --server <host:port>              use a running dev server instead of starting a tuned one
 *   --product-bundle <file>           a prebuilt product workflow bundle (skips one webpack build)
 *   --only <a,b>                      run some metrics: throughput,live,parked,x12 (replay/billable ride on throughput)
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { billableMetric } from './metrics/billable';
import { journeyThroughput } from './metrics/journeyThroughput';
import { liveJourneyMetrics } from './metrics/liveJourneys';
import { parkedMetric } from './metrics/parked';
import { replayMetric } from './metrics/replay';
import { x12Metric } from './metrics/x12';
import { machine, printTable, writeResult, type Row } from './report';
import { startBenchServer, type BenchServer } from './server';
import { startBenchStack } from './stack';

const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a positive integer');
  return n;
};

const program = new Command('bench')
  .option('--quick', 'tiny sizes: checks the bench runs, not the goals')
  .option('--parked <n>', 'workflows parked per side for the RSS metric', positive)
  .option('--out <file>', 'JSON output', path.join(__dirname, 'results', 'latest.json'))
  .option('--server <address>', 'an existing Temporal dev server')
  .option('--product-bundle <file>', 'a prebuilt product workflow bundle')
  .option('--only <metrics>', 'comma-separated subset: throughput,live,parked,x12');

async function main(): Promise<void> {
  const opts = program.parse().opts<{ quick?: boolean; parked?: number; out: string; server?: string; productBundle?: string; only?: string }>();
  const quick = Boolean(opts.quick);
  const only = opts.only ? new Set(opts.only.split(',')) : undefined;
  const wants = (m: string) => !only || only.has(m);
  const size = quick ? { journeys: 2, drive: 2, live: 3, rounds: 1, parked: 20 } : { journeys: 10, drive: 5, live: 20, rounds: 3, parked: 10_000 };
  const parked = opts.parked ?? size.parked;
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const began = Date.now();
  const step = (s: string) => log(`[bench ${((Date.now() - began) / 1000).toFixed(0)} s] ${s}`);

  let server: BenchServer | undefined;
  const rows: Row[] = [];
  step('starting the emulators, the bundles and the Temporal dev server');
  const [stack, address] = await Promise.all([startBenchStack({ productBundlePath: opts.productBundle }), opts.server ?? startBenchServer().then((s) => ((server = s), s.address))]);
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection });
  // One metric failing (a timeout on a loaded machine) must not lose the others: it is reported and the run fails.
  const failures: string[] = [];
  const attempt = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      log(`[bench] ${name} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  };
  try {
    if (wants('throughput')) {
      await attempt('throughput', async () => {
        step(`happy-path throughput: ${size.journeys} journeys (time-skipping server)`);
        const t = await journeyThroughput(stack, size.journeys, size.drive, log);
        rows.push(t.row);
        step('replay of the journeys’ histories');
        const histories = t.journeys.flatMap((j) => [{ workflowId: j.workflowId, history: j.history }, ...j.children]);
        rows.push(await replayMetric(stack.productBundlePath, histories, stack.baselineBundlePath, t.baselines, size.rounds));
        rows.push(billableMetric(t.journeys));
      });
    }
    if (wants('live')) {
      await attempt('live', async () => {
        step(`start latency, approval update, 835 delivery: ${size.live} journeys (dev server)`);
        rows.push(...(await liveJourneyMetrics(stack, client, nativeConnection, size.live, 8)));
      });
    }
    if (wants('parked')) {
      await attempt('parked', async () => {
        step(`worker RSS with ${parked} parked workflows per side`);
        rows.push(await parkedMetric(stack, client, address, parked, 50, log));
      });
    }
    if (wants('x12')) {
      await attempt('x12', async () => {
        step('835 parse vs x12-parser');
        rows.push(await x12Metric(quick));
      });
    }
  } finally {
    await nativeConnection.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await stack.close();
    await server?.stop();
  }
  step('done');
  printTable(rows);
  writeResult(opts.out, { rows, machine: machine(), date: new Date().toISOString(), mode: quick ? 'quick' : 'full', ...(failures.length ? { failures } : {}) });
  log(`wrote ${opts.out}`);
  if (failures.length) throw new Error(`${failures.length} metric group(s) failed:\n${failures.join('\n')}`);
}

// Ctrl-C / SIGTERM: exit through process 'exit', where the dev server and the parked worker are killed.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
