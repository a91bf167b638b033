import { createHash } from 'node:crypto';

/**
 * Answers by Idempotency-Key, so a caller that retries (its HTTP client timed out, the connection dropped) gets the
 * same answer instead of a second delivery or a "replay" refusal. Keyed by sender + route + key; the body's hash is
 * kept so the same key with a different body is told apart (refused) rather than silently answered. A retry that
 * arrives while the first request is still running waits for that request's answer. Only final answers are kept:
 * a 5xx is forgotten so the retry runs again. Bounded and expiring like the replay cache (Map insertion order).
 */
export interface StoredAnswer {
  status: number;
  body: Record<string, unknown>;
}

interface Entry {
  expiresAt: number;
  bodyHash: string;
  answer: Promise<StoredAnswer | undefined>;
}

export type IdempotencyLookup = { kind: 'new'; settle(answer: StoredAnswer | undefined): void } | { kind: 'same'; answer: Promise<StoredAnswer | undefined> } | { kind: 'conflict' };

export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: { ttlMs: number; maxEntries?: number; now?: () => number }) {}

  get size(): number {
    return this.entries.size;
  }

  /** The first request with a key gets `new` and must `settle` (undefined = not final, forget it). */
  begin(scope: string, body: string): IdempotencyLookup {
    const now = (this.opts.now ?? Date.now)();
    for (const [k, e] of this.entries) {
      if (e.expiresAt > now) break;
      this.entries.delete(k);
    }
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const found = this.entries.get(scope);
    if (found) return found.bodyHash === bodyHash ? { kind: 'same', answer: found.answer } : { kind: 'conflict' };
    let settle!: (a: StoredAnswer | undefined) => void;
    const entry: Entry = { expiresAt: now + this.opts.ttlMs, bodyHash, answer: new Promise((r) => (settle = r)) };
    this.entries.set(scope, entry);
    while (this.entries.size > (this.opts.maxEntries ?? 100_000)) this.entries.delete(this.entries.keys().next().value as string);
    return {
      kind: 'new',
      settle: (answer) => {
        if (answer === undefined || answer.status >= 500) {
          if (this.entries.get(scope) === entry) this.entries.delete(scope);
          settle(undefined);
        } else settle(answer);
      },
    };
  }
}
