import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request signing for every POST to the ingress (the same scheme the payer emulator and src/activities/payer/webhook.ts
 * use):
 *
 *   x-rcm-sender:    sender id (a key of the ingress `senders` map; payers use their payer id)
 *   x-rcm-timestamp: unix time in SECONDS (a millisecond value is refused as stale, with a hint)
 *   x-rcm-signature: sha256=<lowercase hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 *
 * The MAC covers the raw body bytes as received (never re-serialised JSON) and the timestamp, which must be within the
 * tolerance of the server clock; the ingress also refuses a signature it has already seen (replay cache).
 */
export const SIGNATURE_HEADERS = { sender: 'x-rcm-sender', timestamp: 'x-rcm-timestamp', signature: 'x-rcm-signature' } as const;

export function signRequest(secret: string, timestamp: string | number, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** Headers for a signed request (what a sender — or a test — puts on the wire). */
export function signedHeaders(senderId: string, secret: string, rawBody: string, nowMs: number = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    [SIGNATURE_HEADERS.sender]: senderId,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.signature]: signRequest(secret, timestamp, rawBody),
  };
}

export type SignatureFailure = 'missing_signature' | 'unknown_sender' | 'stale_timestamp' | 'bad_signature';

export type SignatureCheck =
  | { ok: true; sender: string; timestamp: number; signature: string }
  | { ok: false; reason: SignatureFailure; message: string; sender?: string };

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;
}

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/;
// Computing a MAC for unknown senders too keeps the timing of "unknown sender" and "bad signature" alike.
const DUMMY_SECRET = 'rcm-unknown-sender';

export function verifySignature(opts: {
  headers: HeaderBag;
  rawBody: string | Buffer;
  senders: Readonly<Record<string, string>>;
  toleranceMs: number;
  nowMs?: number;
}): SignatureCheck {
  const sender = header(opts.headers, SIGNATURE_HEADERS.sender);
  const ts = header(opts.headers, SIGNATURE_HEADERS.timestamp);
  const sig = header(opts.headers, SIGNATURE_HEADERS.signature);
  if (!sender || !ts || !sig) {
    return { ok: false, reason: 'missing_signature', message: `headers ${Object.values(SIGNATURE_HEADERS).join(', ')} are required` };
  }
  if (!/^\d{1,12}$/.test(ts)) {
    return { ok: false, reason: 'stale_timestamp', sender, message: `${SIGNATURE_HEADERS.timestamp} must be unix seconds${/^\d{13,}$/.test(ts) ? ' (got milliseconds?)' : ''}` };
  }
  const nowMs = opts.nowMs ?? Date.now();
  if (Math.abs(nowMs - Number(ts) * 1000) > opts.toleranceMs) {
    return { ok: false, reason: 'stale_timestamp', sender, message: `${SIGNATURE_HEADERS.timestamp} is outside the ${Math.round(opts.toleranceMs / 1000)} s tolerance` };
  }
  const known = Object.prototype.hasOwnProperty.call(opts.senders, sender);
  const secret = known ? opts.senders[sender] : DUMMY_SECRET;
  const expected = createHmac('sha256', secret).update(`${ts}.`).update(opts.rawBody).digest();
  const m = SIGNATURE_FORMAT.exec(sig);
  const given = m ? Buffer.from(m[1], 'hex') : Buffer.alloc(expected.length);
  const equal = timingSafeEqual(expected, given) && m !== null;
  if (!known) return { ok: false, reason: 'unknown_sender', sender, message: 'unknown sender' };
  if (!equal) return { ok: false, reason: 'bad_signature', sender, message: `${SIGNATURE_HEADERS.signature} does not match` };
  return { ok: true, sender, timestamp: Number(ts), signature: m![1] };
}
