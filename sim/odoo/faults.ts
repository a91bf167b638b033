/**
 * Run-time fault injection for the Odoo emulator. One seeded PRNG stream decides, per API request, whether
 * to inject a fault, so a test that sets `seed` gets the same sequence of decisions for the same sequence
 * of requests.
 */

/** mulberry32: tiny, fast, good enough for reproducible test noise (not for cryptography). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultKind = 'error5xx' | 'reset' | 'conflict' | 'afterCommit';

export interface FaultSettings {
  /** Extra latency added to every API request (ms). */
  latencyMs: number;
  /** Probability of an HTTP 5xx (proxy 502/503 or an Odoo internal error) before anything is done. */
  errorRate5xx: number;
  /** Probability of the connection being destroyed before anything is done. */
  resetRate: number;
  /** Probability of a serialization failure (concurrent update) before anything is committed. */
  conflictRate: number;
  /** Probability that the request is executed and committed, then the response never arrives. */
  afterCommitTimeoutRate: number;
  /** How the after-commit fault looks to the client: a hung response (timeout) or a reset socket. */
  afterCommitMode: 'hang' | 'reset';
  /** A hung response is cut (socket destroyed) after this many ms so servers can always shut down. */
  hangMs: number;
  /** Only requests matching all given fields are eligible for faults (method is the model method or service method). */
  match: { service?: string; model?: string; method?: string } | null;
  /** Stop injecting after this many faults (null = unlimited). */
  budget: number | null;
  seed: number;
}

export const DEFAULT_FAULTS: FaultSettings = {
  latencyMs: 0,
  errorRate5xx: 0,
  resetRate: 0,
  conflictRate: 0,
  afterCommitTimeoutRate: 0,
  afterCommitMode: 'hang',
  hangMs: 30_000,
  match: null,
  budget: null,
  seed: 1,
};

export interface FaultControl {
  /** Merge settings; a `seed` restarts the PRNG stream. Returns the effective settings. */
  set(patch: Partial<FaultSettings>): FaultSettings;
  /** Back to no faults (and the default seed). */
  clear(): FaultSettings;
  get(): FaultSettings;
  /** Faults injected so far, by kind. */
  readonly injected: Record<FaultKind, number>;
}

export interface FaultRequest {
  service?: string;
  model?: string;
  method?: string;
}

export class Faults implements FaultControl {
  private settings: FaultSettings = { ...DEFAULT_FAULTS };
  private random = mulberry32(DEFAULT_FAULTS.seed);
  readonly injected: Record<FaultKind, number> = { error5xx: 0, reset: 0, conflict: 0, afterCommit: 0 };

  set(patch: Partial<FaultSettings>): FaultSettings {
    const next = { ...this.settings, ...stripUndefined(patch) };
    for (const key of ['errorRate5xx', 'resetRate', 'conflictRate', 'afterCommitTimeoutRate'] as const) {
      const v = next[key];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`${key} must be a probability in [0, 1]`);
    }
    if (!(next.latencyMs >= 0)) throw new RangeError('latencyMs must be >= 0');
    if (next.afterCommitMode !== 'hang' && next.afterCommitMode !== 'reset') throw new RangeError('afterCommitMode must be hang|reset');
    this.settings = next;
    if (patch.seed !== undefined) this.random = mulberry32(patch.seed);
    return this.get();
  }

  clear(): FaultSettings {
    this.settings = { ...DEFAULT_FAULTS };
    this.random = mulberry32(DEFAULT_FAULTS.seed);
    return this.get();
  }

  get(): FaultSettings {
    return { ...this.settings, match: this.settings.match ? { ...this.settings.match } : null };
  }

  /** Decide the fault (if any) for one request; also used to pick variants (`pick`). */
  draw(req: FaultRequest): FaultKind | null {
    const s = this.settings;
    if (s.budget !== null && s.budget <= 0) return null;
    if (s.match) {
      if (s.match.service !== undefined && s.match.service !== req.service) return null;
      if (s.match.model !== undefined && s.match.model !== req.model) return null;
      if (s.match.method !== undefined && s.match.method !== req.method) return null;
    }
    const total = s.errorRate5xx + s.resetRate + s.conflictRate + s.afterCommitTimeoutRate;
    if (total <= 0) return null;
    const r = this.random();
    let kind: FaultKind | null = null;
    let edge = s.errorRate5xx;
    if (r < edge) kind = 'error5xx';
    else if (r < (edge += s.resetRate)) kind = 'reset';
    else if (r < (edge += s.conflictRate)) kind = 'conflict';
    else if (r < (edge += s.afterCommitTimeoutRate)) kind = 'afterCommit';
    if (kind) {
      this.injected[kind]++;
      if (s.budget !== null) s.budget--;
    }
    return kind;
  }

  /** A reproducible choice among `n` variants of a fault. */
  pick(n: number): number {
    return Math.floor(this.random() * n);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
