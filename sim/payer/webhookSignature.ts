import { createHmac } from 'node:crypto';

/**
 * Signature the payer puts on its webhooks (the trading-partner agreement in docs): HMAC-SHA256 over
 * `<unix seconds>.<raw body>`, hex, prefixed `sha256=`, with the timestamp and sender id in their own headers.
 */
export const SIGNATURE_HEADERS = { timestamp: 'x-rcm-timestamp', signature: 'x-rcm-signature', sender: 'x-rcm-sender' } as const;

export function signature(secret: string, unixSeconds: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(unixSeconds).update('.').update(rawBody).digest('hex')}`;
}
