/**
 * Seen-signature cache against replays: an entry lives as long as the timestamp tolerance (after that the request is
 * refused as stale anyway), and the cache is bounded — when full, the oldest entry goes first (a Map keeps insertion
 * order, so both expiry and eviction are O(1) from the front). Size the bound above the peak number of requests per
 * tolerance window; an evicted, still-fresh signature could otherwise be replayed (the journey still dedupes by
 * messageId, so a replay that slips through changes nothing).
 */
export interface ReplayCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

export class ReplayCache {
  private readonly entries = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(opts: ReplayCacheOptions) {
    this.ttlMs = opts.ttlMs;
    this.maxEntries = opts.maxEntries ?? 100_000;
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Records `key`; false when it was already there (a replay). */
  checkAndAdd(key: string): boolean {
    const now = this.now();
    this.expire(now);
    if (this.entries.has(key)) return false;
    this.entries.set(key, now + this.ttlMs);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return true;
  }

  has(key: string): boolean {
    this.expire(this.now());
    return this.entries.has(key);
  }

  /** Forget a key (the request failed for a reason the sender may retry with the same signature). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  private expire(now: number): void {
    for (const [key, expiresAt] of this.entries) {
      if (expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
