import { SIGNATURE_HEADERS as WEBHOOK_HEADERS, signature as signWebhookBody } from './webhookSignature';

/**
 * Signed webhook delivery from the payer emulator with bounded retries (exponential backoff). Every attempt is
 * re-signed with a fresh timestamp, as a real sender would. `stop()` cancels pending retries on shutdown.
 */
export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface DeliveryRecord {
  kind: string;
  url: string;
  attempts: number;
  status?: number;
  delivered: boolean;
  error?: string;
}

export interface WebhookSender {
  deliver(target: WebhookTarget, kind: string, body: string, contentType: string, extraHeaders?: Record<string, string>): Promise<DeliveryRecord>;
  deliveries(): DeliveryRecord[];
  /** Wait for every delivery started so far. */
  idle(): Promise<void>;
  stop(): void;
}

export function createWebhookSender(senderId: string, opts: { maxAttempts?: number; baseDelayMs?: number; timeoutMs?: number } = {}): WebhookSender {
  const maxAttempts = opts.maxAttempts ?? 5;
  const baseDelay = opts.baseDelayMs ?? 100;
  const records: DeliveryRecord[] = [];
  const inflight = new Set<Promise<DeliveryRecord>>();
  const controller = new AbortController();

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      controller.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      });
    });

  async function run(target: WebhookTarget, record: DeliveryRecord, body: string, contentType: string, extra: Record<string, string>): Promise<DeliveryRecord> {
    while (record.attempts < maxAttempts && !controller.signal.aborted) {
      record.attempts++;
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          body,
          headers: {
            'content-type': contentType,
            [WEBHOOK_HEADERS.timestamp]: timestamp,
            [WEBHOOK_HEADERS.signature]: signWebhookBody(target.secret, timestamp, body),
            [WEBHOOK_HEADERS.sender]: senderId,
            ...extra,
          },
          signal: AbortSignal.any([controller.signal, AbortSignal.timeout(opts.timeoutMs ?? 5000)]),
        });
        record.status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          record.delivered = true;
          return record;
        }
        // 4xx other than 408/429 will not get better by retrying.
        if (res.status < 500 && res.status !== 408 && res.status !== 429) return record;
      } catch (err) {
        record.error = (err as Error).name;
      }
      await pause(baseDelay * 2 ** (record.attempts - 1));
    }
    return record;
  }

  return {
    deliver(target, kind, body, contentType, extraHeaders = {}) {
      const record: DeliveryRecord = { kind, url: target.url, attempts: 0, delivered: false };
      records.push(record);
      const p = run(target, record, body, contentType, extraHeaders).finally(() => inflight.delete(p));
      inflight.add(p);
      return p;
    },
    deliveries: () => records.map((r) => ({ ...r })),
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    stop() {
      controller.abort();
    },
  };
}
