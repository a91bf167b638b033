import type { FastifyInstance } from 'fastify';

/**
 * Fault switch shared by the emulators: the next N requests (optionally only under a path prefix) fail with a given
 * status, or are delayed before being handled. Delays are cancellable so `close()` never waits on a sleeping request.
 */
export interface FaultOptions {
  pathPrefix?: string;
  /** Retry-After header (seconds) on 429/503 faults. */
  retryAfterSeconds?: number;
}

interface Fault extends FaultOptions {
  status: number;
  remaining: number;
}

interface Delay {
  ms: number;
  remaining: number;
  pathPrefix?: string;
}

export interface FaultSwitch {
  failNext(status: number, count?: number, opts?: FaultOptions): void;
  delayNext(ms: number, count?: number, opts?: { pathPrefix?: string }): void;
  clear(): void;
}

/** `errorBody` shapes the injected error response (each emulator speaks its API's error format). */
export function installFaults(
  app: FastifyInstance,
  errorBody: (status: number) => unknown = (status) => ({ error: 'InjectedFault', message: `injected HTTP ${status}` }),
): FaultSwitch & { cancelSleeps(): void } {
  const faults: Fault[] = [];
  const delays: Delay[] = [];
  const sleepers = new Set<() => void>();

  const take = <T extends { remaining: number; pathPrefix?: string }>(list: T[], url: string): T | undefined => {
    const i = list.findIndex((f) => !f.pathPrefix || url.startsWith(f.pathPrefix));
    if (i < 0) return undefined;
    const hit = list[i];
    if (--hit.remaining <= 0) list.splice(i, 1);
    return hit;
  };

  app.addHook('onRequest', async (req, reply) => {
    const delay = take(delays, req.url);
    if (delay) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, delay.ms);
        function done() {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        }
        sleepers.add(done);
      });
    }
    const fault = take(faults, req.url);
    if (fault) {
      if (fault.retryAfterSeconds !== undefined) void reply.header('retry-after', String(fault.retryAfterSeconds));
      return reply.code(fault.status).send(errorBody(fault.status));
    }
  });

  return {
    failNext(status, count = 1, opts = {}) {
      faults.push({ status, remaining: count, ...opts });
    },
    delayNext(ms, count = 1, opts = {}) {
      delays.push({ ms, remaining: count, ...opts });
    },
    clear() {
      faults.length = 0;
      delays.length = 0;
    },
    cancelSleeps() {
      for (const wake of [...sleepers]) wake();
    },
  };
}
