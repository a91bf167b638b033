import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * Worker PROCESSES for the chaos suite: `src/workers/main.ts` (the production entry point, env-configured) against the
 * dev server and the emulators. `kill()` is `kill -9` — no drain, no goodbye — and `start()` brings up a replacement
 * and resolves once it polls. Every line a worker logs is kept for the PHI scan.
 */
const ROOT = path.resolve(__dirname, '../../..');

export interface WorkerFleet {
  start(): Promise<void>;
  /** SIGKILL the running worker (if any). */
  kill(): Promise<void>;
  /** Graceful stop at the end (SIGTERM). */
  stop(): Promise<void>;
  readonly kills: number;
  readonly starts: number;
  readonly logs: string[];
  readonly alive: boolean;
}

export function workerFleet(env: Record<string, string>): WorkerFleet {
  let current: { child: ChildProcess; exited: Promise<void> } | undefined;
  let kills = 0;
  let starts = 0;
  const logs: string[] = [];

  async function start(): Promise<void> {
    if (current) return;
    starts++;
    // Its own process group: tsx runs the worker in a child node process, and kill -9 must hit that one too.
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/workers/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env, RCM_METRICS_PORT: '0', RCM_LOG_LEVEL: 'info', RCM_SHUTDOWN_GRACE_MS: '2000' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    current = { child, exited };
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          logs.push(line);
          if (line.includes('"workers started"')) resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (c: Buffer) => logs.push(c.toString('utf8')));
      void exited.then(() => reject(new Error(`worker exited before polling:\n${logs.slice(-5).join('\n')}`)));
    });
  }

  async function kill(): Promise<void> {
    const c = current;
    if (!c) return;
    current = undefined;
    kills++;
    signalGroup(c.child, 'SIGKILL');
    await c.exited;
  }

  async function stop(): Promise<void> {
    const c = current;
    if (!c) return;
    current = undefined;
    c.child.kill('SIGTERM'); // tsx relays it to the worker, which drains and exits
    await c.exited;
    signalGroup(c.child, 'SIGKILL'); // nothing of it may outlive the test
  }

  return {
    start,
    kill,
    stop,
    get kills() {
      return kills;
    },
    get starts() {
      return starts;
    },
    logs,
    get alive() {
      return current !== undefined;
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    /* already gone */
  }
}
