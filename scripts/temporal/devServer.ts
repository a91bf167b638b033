import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_REGISTRY } from '../../src/workflows/searchAttributes';
import { preferredOrFreePort } from './ports';
import { temporalTools } from './tools';

export interface DevServerOptions {
  /** Serve the Web UI (demo) or run headless (tests). */
  ui?: boolean;
  /** Preferred gRPC / UI ports; a busy port is replaced by a free one. */
  port?: number;
  uiPort?: number;
  /** SQLite file for durable state; a fresh temp file when omitted. */
  dbFile?: string;
  /** Where the server's output goes; shown (tail) when it fails to become healthy. */
  logFile?: string;
  /** Extra namespaces to create at launch. */
  namespaces?: string[];
  /** Remote codec endpoint the UI should call to decode payloads. */
  uiCodecEndpoint?: string;
  healthTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  pid: number;
  logFile: string;
  dbFile: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Worker Deployment Versioning on the dev server: the APIs on, and a draining version's status refreshed every
 * second instead of every 3 minutes, so a rollout's drain is visible in seconds (test/integration/versioning.test.ts).
 */
const VERSIONING_DYNAMIC_CONFIG = [
  'system.enableDeploymentVersions=true',
  'frontend.workerVersioningWorkflowAPIs=true',
  'matching.wv.VersionDrainageStatusRefreshInterval="1s"',
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod="1s"',
];

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitHealthy(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`temporal dev server not healthy after ${timeoutMs} ms: ${(lastError as Error)?.message}`);
}

function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts `temporal server start-dev` with the project's search attributes and waits until it serves requests. */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const tools = temporalTools();
  const port = await preferredOrFreePort(opts.port, HOST);
  const uiPort = opts.ui ? await preferredOrFreePort(opts.uiPort ?? port + 1000, HOST) : undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-temporal-'));
  const dbFile = opts.dbFile ?? path.join(tmp, 'temporal.db');
  const logFile = opts.logFile ?? path.join(tmp, 'server.log');
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port), '--db-filename', dbFile, '--log-level', 'warn'];
  if (uiPort) args.push('--ui-port', String(uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  for (const ns of opts.namespaces ?? []) args.push('--namespace', ns);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_REGISTRY)) args.push('--search-attribute', `${name}=${type}`);
  for (const kv of VERSIONING_DYNAMIC_CONFIG) args.push('--dynamic-config-value', kv);

  const out = fs.openSync(logFile, 'a');
  const child = spawn(tools.cli.path, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const address = `${HOST}:${port}`;
  // Never leave an orphan server behind if the parent dies unexpectedly.
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  try {
    await waitHealthy(address, child, opts.healthTimeoutMs ?? 60_000);
  } catch (err) {
    await stopChild(child, 2000);
    process.removeListener('exit', onExit);
    throw new Error(`${(err as Error).message}\n--- server log tail (${logFile}) ---\n${tail(logFile)}`);
  }
  return {
    address,
    uiUrl: uiPort ? `http://localhost:${uiPort}` : undefined,
    pid: child.pid ?? -1,
    logFile,
    dbFile,
    async stop() {
      await stopChild(child);
      process.removeListener('exit', onExit);
    },
  };
}
