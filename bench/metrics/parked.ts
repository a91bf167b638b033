import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { benchReferral, startJourney } from '../journeys';
import type { ParkedReport } from '../parkedWorker';
import { atMost, type Row } from '../report';
import type { BenchStack } from '../stack';
import { pool, waitFor } from '../stats';

type Kind = 'journey' | 'trivial';
const GB = 1024 ** 3;

/** VmRSS / VmHWM of a process in bytes, from /proc (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * Starts a worker process of `kind`, parks `n` workflows on it (journeys waiting for their appointment on SLA timers;
 * baseline workflows on one timer), waits until every one is parked and the worker idle, and reads its RSS.
 */
async function parkedRss(stack: BenchStack, client: Client, address: string, kind: Kind, n: number, concurrency: number, log: (s: string) => void): Promise<{ rss: number; peak: number; cached: number }> {
  const taskQueue = `bench-parked-${kind}-${Date.now().toString(36)}`;
  const child: ChildProcess = fork(path.join(__dirname, '..', 'parkedWorker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...stack.env, BENCH_KIND: kind, BENCH_ADDRESS: address, BENCH_TASK_QUEUE: taskQueue, BENCH_BUNDLE: kind === 'journey' ? stack.productBundlePath : stack.baselineBundlePath },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let last: ParkedReport | undefined;
  let idleReports = 0;
  child.on('message', (m: ParkedReport) => {
    idleReports = m.inFlight === 0 ? idleReports + 1 : 0;
    last = m;
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`parked ${kind} worker exited (${code})`))));
  exited.catch(() => undefined);
  try {
    await Promise.race([waitFor(`parked ${kind} worker up`, async () => last !== undefined, 120_000), exited]);
    const started = Date.now();
    await pool(Array.from({ length: n }, (_, i) => i), concurrency, async (i) => {
      if (kind === 'journey') await startJourney(client, taskQueue, benchReferral('P'));
      else await client.workflow.start('parkedTimer', { taskQueue, workflowId: `${taskQueue}-${i}` });
    });
    const parkedCount = async () => (kind === 'journey' ? (await client.workflow.count(`TaskQueue = "${taskQueue}" AND Stage = "scheduling"`)).count : (last?.parked ?? 0));
    let reported = 0;
    await Promise.race([
      waitFor(
        `${n} parked ${kind} workflows`,
        async () => {
          const parked = await parkedCount();
          if (parked >= reported + Math.max(1, Math.floor(n / 10))) {
            reported = parked;
            log(`  ${kind}: ${parked}/${n} parked after ${((Date.now() - started) / 1000).toFixed(0)} s`);
          }
          // Parked: all there, and the worker has had nothing in flight for two reports in a row.
          return parked >= n && idleReports >= 2;
        },
        Math.max(300_000, n * 500),
        500,
      ),
      exited,
    ]);
    return { ...memoryOf(child.pid!), cached: last?.cached ?? 0 };
  } finally {
    child.removeAllListeners('exit');
    if (child.connected) child.disconnect();
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

/** Worker RSS with `n` journeys parked on timers against `n` parked baseline workflows, sticky cache capped. */
export async function parkedMetric(stack: BenchStack, client: Client, address: string, n: number, concurrency: number, log: (s: string) => void): Promise<Row> {
  const base = await parkedRss(stack, client, address, 'trivial', n, concurrency, log);
  const ours = await parkedRss(stack, client, address, 'journey', n, concurrency, log);
  const mb = (b: number) => b / 1024 ** 2;
  return atMost(
    `worker RSS MB, ${n} parked on timers`,
    mb(ours.rss),
    mb(base.rss),
    2,
    `separate worker process each, sticky cache cap ${stack.config.worker.maxCachedWorkflows} (cached at the end: ${ours.cached} vs ${base.cached}); peak RSS ${mb(ours.peak).toFixed(0)} vs ${mb(base.peak).toFixed(0)} MB`,
    { goal: '≤ 1 GB and ≤ 2×', ok: ours.rss <= GB },
  );
}
