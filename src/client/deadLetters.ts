import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Dead-letter store: an append-only JSONL file of messages the system could not take (bad signature, invalid
 * payload, unmatched 835 claim…), kept so an operator can inspect and re-drive them.
 *
 * PHI: payloads may carry member refs and claim amounts, so the file lives with the other PHI-bearing stores
 * (created 0600 in a 0700 directory) and payloads are never logged — `list` summaries omit them.
 *
 * Lines are either an entry `{ id, at, source, reason, error, correlationId, payload }` or a marker
 * `{ id, at, event: 'redriven', outcome }`; nothing is rewritten in place. Appends use O_APPEND with one write per
 * line, so several processes (ingress, CLI) can share the file.
 */
export const DEFAULT_DLQ_FILE = '.data/dead-letters.jsonl';

export function deadLetterFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.RCM_DLQ_FILE || DEFAULT_DLQ_FILE);
}

export interface NewDeadLetter {
  /** where it came from: `ingress:/v1/payer/eligibility`, `ingest-835`, … */
  source: string;
  /** stable reason code: `bad_signature`, `stale_timestamp`, `replay`, `invalid_payload`, `unmatched_claim`, … */
  reason: string;
  /** human message without values (field paths, codes) */
  error: string;
  correlationId?: string;
  payload: unknown;
}

export interface DeadLetter extends NewDeadLetter {
  id: string;
  at: string;
  /** set once re-driven successfully */
  redrivenAt?: string;
  redriveOutcome?: string;
}

export interface DeadLetterSummary {
  id: string;
  at: string;
  source: string;
  reason: string;
  error: string;
  correlationId?: string;
  redrivenAt?: string;
}

export interface DeadLetterStore {
  readonly file: string;
  add(entry: NewDeadLetter): Promise<DeadLetter>;
  /** newest last; re-driven entries only with includeRedriven */
  list(filter?: { reason?: string; source?: string; includeRedriven?: boolean; limit?: number }): Promise<DeadLetterSummary[]>;
  get(id: string): Promise<DeadLetter | undefined>;
  markRedriven(id: string, outcome: string): Promise<void>;
}

interface Marker {
  id: string;
  at: string;
  event: 'redriven';
  outcome: string;
}

export function createDeadLetterStore(opts: { file?: string; now?: () => Date } = {}): DeadLetterStore {
  const file = path.resolve(opts.file ?? deadLetterFile());
  const now = opts.now ?? (() => new Date());
  let chain: Promise<unknown> = Promise.resolve();
  let dirReady = false;

  async function append(record: object): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    const run = async () => {
      if (!dirReady) {
        await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        dirReady = true;
      }
      await fs.appendFile(file, line, { encoding: 'utf8', mode: 0o600, flag: 'a' });
    };
    const p = chain.then(run, run);
    chain = p.catch(() => undefined);
    return p;
  }

  async function readAll(): Promise<DeadLetter[]> {
    await chain;
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const byId = new Map<string, DeadLetter>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let rec: Partial<DeadLetter & Marker>;
      try {
        rec = JSON.parse(line);
      } catch {
        continue; // a torn last line after a crash: skip it, never fail the whole store
      }
      if (typeof rec.id !== 'string') continue;
      if (rec.event === 'redriven') {
        const entry = byId.get(rec.id);
        if (entry) {
          entry.redrivenAt = rec.at;
          entry.redriveOutcome = rec.outcome;
        }
      } else if (typeof rec.source === 'string') {
        byId.set(rec.id, rec as DeadLetter);
      }
    }
    return [...byId.values()];
  }

  return {
    file,
    async add(entry) {
      const at = now();
      const record: DeadLetter = {
        id: `dl-${at.getTime().toString(36)}-${randomBytes(5).toString('hex')}`,
        at: at.toISOString(),
        source: entry.source,
        reason: entry.reason,
        error: entry.error,
        ...(entry.correlationId ? { correlationId: entry.correlationId } : {}),
        payload: entry.payload,
      };
      await append(record);
      return record;
    },
    async list(filter = {}) {
      const all = await readAll();
      const rows = all
        .filter((e) => (filter.includeRedriven ? true : !e.redrivenAt))
        .filter((e) => (filter.reason ? e.reason === filter.reason : true))
        .filter((e) => (filter.source ? e.source === filter.source : true))
        .map(({ payload: _payload, redriveOutcome: _o, ...summary }) => summary);
      return filter.limit ? rows.slice(-filter.limit) : rows;
    },
    async get(id) {
      return (await readAll()).find((e) => e.id === id);
    },
    async markRedriven(id, outcome) {
      const marker: Marker = { id, at: now().toISOString(), event: 'redriven', outcome };
      await append(marker);
    },
  };
}
