import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '../scripts/temporal/ports';
import { temporalTools } from '../scripts/temporal/tools';
import { SEARCH_ATTRIBUTE_REGISTRY } from '../src/workflows/searchAttributes';

/**
 * The bench's own `temporal server start-dev`, tuned for load (bench/README.md says why each value):
 * the dev server keeps production-ish rate limits meant to protect a shared cluster, and the bench is the only tenant.
 */
export const BENCH_DYNAMIC_CONFIG: Record<string, string | number | boolean> = {
  // Frontend request limits (defaults 2400/s per instance and per namespace): lift them so the server, not a
  // token bucket, is what the bench measures.
  'frontend.rps': 20_000,
  'frontend.namespaceRPS': 20_000,
  // List/Count visibility calls default to 10/s per namespace; 835 routing lists by ClaimIds once per claim.
  'frontend.namespaceRPS.visibility': 5_000,
  'frontend.namespaceBurstRatio.visibility': 2,
  // Persistence QPS caps (9000 history/matching, 1000 visibility defaults) well above what SQLite can do anyway.
  'history.persistenceMaxQPS': 50_000,
  'matching.persistenceMaxQPS': 50_000,
  'frontend.persistenceMaxQPS': 50_000,
  'system.visibilityPersistenceMaxReadQPS': 50_000,
  'system.visibilityPersistenceMaxWriteQPS': 50_000,
  // One partition per task queue: with one worker process per queue, the default 4 partitions only add
  // forwarding hops between partitions (latency) without spreading any load.
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
};

export interface BenchServer {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const tools = temporalTools();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-bench-'));
  const logFile = path.join(dir, 'server.log');
  const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', path.join(dir, 'temporal.db'), '--log-level', 'error'];
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_REGISTRY)) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(BENCH_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(tools.cli.path, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const address = `127.0.0.1:${port}`;
  try {
    await waitHealthy(address, child);
  } catch (err) {
    kill();
    throw new Error(`${(err as Error).message}\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
  }
  return {
    address,
    pid: child.pid ?? -1,
    async stop() {
      process.removeListener('exit', kill);
      await stopChild(child);
    },
  };
}

async function waitHealthy(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bench dev server exited (${child.exitCode})`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await c.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await c.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`bench dev server not healthy: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
