/**
 * The simulated calendar over the time-skipping test server. Time on that server moves only when we call
 * `env.sleep` (skipping is otherwise locked), so the scheduler advances one day at a time, and only once the day has
 * settled: no journey script is mid-action, the worker has nothing in flight, and every waiting script has looked at
 * its journey at least once since then without finding what it waits for. Scripts park in `until(day)` (an external
 * party acts on a given day) or `when(check)` (waiting for the journey to reach a state).
 */
export class SimulationEnded extends Error {
  constructor(what: string) {
    super(`simulation ended while waiting for ${what}`);
    this.name = 'SimulationEnded';
  }
}

export interface SimEnvironment {
  sleep(ms: number): Promise<void>;
  currentTimeMs(): Promise<number>;
}

export interface WorkerProbe {
  /** activations + activities in flight on the worker */
  inFlight(): number;
}

interface Waiter {
  what: string;
  check: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  lastDayDeadline: number;
  checking: boolean;
}

const DAY_MS = 86_400_000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A look that does not answer in time counts as "not yet" (a query can wait long on a busy worker). */
export class CheckTimeout extends Error {}
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export class SimScheduler {
  today = 0;
  private active = 0;
  private parked = 0;
  private dayWaiters = new Map<number, { resolve: () => void; reject: (e: Error) => void }[]>();
  private waiters = new Set<Waiter>();

  constructor(
    private readonly env: SimEnvironment,
    private readonly worker: WorkerProbe,
    readonly startMs: number,
    readonly horizonDays: number,
    private readonly pollConcurrency = 24,
  ) {}

  /** the server's current instant (simulated), for the timestamps external parties put on their messages */
  async nowIso(): Promise<string> {
    return new Date(await this.env.currentTimeMs()).toISOString();
  }

  dateOf(day: number): string {
    return new Date(this.startMs + day * DAY_MS).toISOString().slice(0, 10);
  }

  /** Run a journey script under the scheduler: it counts as busy except while parked. */
  spawn<T>(script: () => Promise<T>): Promise<T> {
    this.active += 1;
    return script().finally(() => {
      this.active -= 1;
    });
  }

  until(day: number): Promise<void> {
    if (day <= this.today) return Promise.resolve();
    if (day >= this.horizonDays) return Promise.reject(new SimulationEnded(`day ${day}`));
    this.parked += 1;
    return new Promise<void>((resolve, reject) => {
      const list = this.dayWaiters.get(day) ?? [];
      list.push({ resolve, reject });
      this.dayWaiters.set(day, list);
    }).finally(() => {
      this.parked -= 1;
    });
  }

  /** Wait until `check` yields a value (not undefined/false), for at most `maxDays` simulated days. */
  when<T>(what: string, check: () => Promise<T | undefined | false>, maxDays = Number.POSITIVE_INFINITY): Promise<T> {
    this.parked += 1;
    return new Promise<T>((resolve, reject) => {
      this.waiters.add({ what, check, resolve: resolve as (v: unknown) => void, reject, lastDayDeadline: this.today + maxDays, checking: false });
    }).finally(() => {
      this.parked -= 1;
    });
  }

  private busy(): boolean {
    return this.active - this.parked > 0 || this.worker.inFlight() > 0;
  }

  /** Check every waiter once; true when at least one was satisfied (or gave up). */
  private async pollWaiters(): Promise<boolean> {
    const list = [...this.waiters];
    let progressed = false;
    let next = 0;
    const lane = async () => {
      while (next < list.length) {
        const w = list[next++];
        if (!this.waiters.has(w) || w.checking) continue;
        w.checking = true;
        try {
          const v = await withTimeout(w.check(), this.checkTimeoutMs);
          if (v !== undefined && v !== false) {
            this.waiters.delete(w);
            w.resolve(v);
            progressed = true;
          }
        } catch (err) {
          if (err instanceof CheckTimeout) {
            this.checkTimeouts += 1;
            continue;
          }
          this.waiters.delete(w);
          w.reject(err as Error);
          progressed = true;
        } finally {
          w.checking = false;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.pollConcurrency, list.length) }, lane));
    return progressed;
  }

  /** looks at a journey that got no answer in time (counted, retried on the next pass) */
  checkTimeouts = 0;
  checkTimeoutMs = 15_000;

  /** days on which the settle limit ran out (e.g. a workflow task failing over and over) */
  unsettledDays = 0;

  /** Let the current day play out: repeat until nothing moves any more (at most `limitMs` of real time). */
  async settle(limitMs = 60_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      if (Date.now() > deadline) {
        this.unsettledDays += 1;
        if (process.env.RCM_SIM_DEBUG) process.stderr.write(`[simulate] day ${this.today} did not settle: busy scripts ${this.active - this.parked}, in flight ${this.worker.inFlight()}, waiters ${this.waiters.size}\n`);
        return;
      }
      while (this.busy() && Date.now() < deadline) await pause(20);
      const progressed = await this.pollWaiters();
      if (progressed || this.busy()) continue;
      // Nothing moved and nothing is in flight: look once more after a beat (a task may have been queued meanwhile).
      await pause(60);
      if (this.busy()) continue;
      if (!(await this.pollWaiters()) && !this.busy()) return;
    }
  }

  /** Advance one simulated day, waking the scripts due then and giving up waits past their deadline. */
  async advance(): Promise<void> {
    await this.env.sleep(DAY_MS);
    this.today += 1;
    for (const w of [...this.waiters]) {
      if (this.today > w.lastDayDeadline) {
        this.waiters.delete(w);
        w.reject(new Error(`gave up waiting for ${w.what}`));
      }
    }
    for (const d of this.dayWaiters.get(this.today) ?? []) d.resolve();
    this.dayWaiters.delete(this.today);
  }

  /** End of the horizon: every parked script learns that its party never acted. */
  end(): void {
    for (const w of this.waiters) w.reject(new SimulationEnded(w.what));
    this.waiters.clear();
    for (const [day, list] of this.dayWaiters) for (const d of list) d.reject(new SimulationEnded(`day ${day}`));
    this.dayWaiters.clear();
  }

  get pending(): number {
    return this.active;
  }
}
