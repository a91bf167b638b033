import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Payer → us webhook signing (prior-auth decisions, 835 deliveries):
 *   x-rcm-timestamp: unix seconds
 *   x-rcm-signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 *   x-rcm-sender:    payer id
 * The timestamp is inside the MAC and checked against a tolerance, so a captured request cannot be replayed later.
 * Verify over the raw body bytes as received, never over re-serialised JSON.
 */
export const WEBHOOK_HEADERS = { timestamp: 'x-rcm-timestamp', signature: 'x-rcm-signature', sender: 'x-rcm-sender' } as const;

export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type WebhookVerification = { ok: true; sender: string; timestamp: number } | { ok: false; reason: 'missing-headers' | 'stale-timestamp' | 'bad-signature' };

export function verifyWebhookSignature(opts: {
  secret: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  toleranceSeconds?: number;
  nowMs?: number;
}): WebhookVerification {
  const header = (name: string) => {
    const v = opts.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const ts = header(WEBHOOK_HEADERS.timestamp);
  const sig = header(WEBHOOK_HEADERS.signature);
  const sender = header(WEBHOOK_HEADERS.sender);
  if (!ts || !sig || !sender || !/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'missing-headers' };
  const tolerance = opts.toleranceSeconds ?? 300;
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  if (Math.abs(now - Number(ts)) > tolerance) return { ok: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(signWebhookBody(opts.secret, ts, opts.rawBody));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' };
  return { ok: true, sender, timestamp: Number(ts) };
}
