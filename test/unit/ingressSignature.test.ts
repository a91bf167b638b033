import { signWebhookBody, verifyWebhookSignature } from '../../src/activities/payer/webhook';
import { ReplayCache } from '../../src/client/ingress/replayCache';
import { SIGNATURE_HEADERS, signRequest, signedHeaders, verifySignature } from '../../src/client/ingress/signature';

const senders = { 'payer-a': 'a-very-long-shared-secret-1', 'payer-b': 'b-very-long-shared-secret-2' };
const body = '{"siteId":"s1","referralId":"r1","payload":{}}';
const now = Date.UTC(2026, 2, 2, 15, 0, 0);
const tolerance = 5 * 60_000;
const check = (headers: Record<string, string | undefined>, raw = body, nowMs = now) => verifySignature({ headers, rawBody: raw, senders, toleranceMs: tolerance, nowMs });

describe('ingress signature', () => {
  it('accepts a correctly signed request and reports sender, seconds timestamp and signature', () => {
    const headers = signedHeaders('payer-a', senders['payer-a'], body, now);
    expect(headers[SIGNATURE_HEADERS.timestamp]).toBe(String(now / 1000));
    const r = check(headers);
    expect(r).toEqual({ ok: true, sender: 'payer-a', timestamp: now / 1000, signature: headers[SIGNATURE_HEADERS.signature].slice('sha256='.length) });
  });

  it('is the same scheme the payer emulator signs with (activities/payer/webhook.ts)', () => {
    const ts = String(now / 1000);
    expect(signRequest(senders['payer-b'], ts, body)).toBe(signWebhookBody(senders['payer-b'], ts, body));
    const headers = signedHeaders('payer-b', senders['payer-b'], body, now);
    expect(verifyWebhookSignature({ secret: senders['payer-b'], headers, rawBody: body, nowMs: now })).toMatchObject({ ok: true });
  });

  it('refuses missing headers, unknown senders, bad signatures and tampered bodies', () => {
    const good = signedHeaders('payer-a', senders['payer-a'], body, now);
    expect(check({ ...good, [SIGNATURE_HEADERS.signature]: undefined })).toMatchObject({ ok: false, reason: 'missing_signature' });
    expect(check({ ...good, [SIGNATURE_HEADERS.sender]: undefined })).toMatchObject({ ok: false, reason: 'missing_signature' });
    expect(check({ ...good, [SIGNATURE_HEADERS.sender]: 'payer-z' })).toMatchObject({ ok: false, reason: 'unknown_sender' });
    expect(check({ ...good, [SIGNATURE_HEADERS.sender]: 'payer-b' })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(check(good, body.replace('r1', 'r2'))).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(check({ ...good, [SIGNATURE_HEADERS.signature]: 'sha256=zz' })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(check({ ...good, [SIGNATURE_HEADERS.signature]: good[SIGNATURE_HEADERS.signature].toUpperCase() })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(check({ ...good, [SIGNATURE_HEADERS.signature]: good[SIGNATURE_HEADERS.signature].slice('sha256='.length) })).toMatchObject({ ok: false, reason: 'bad_signature' });
    // a prototype key is not a sender
    expect(check({ ...good, [SIGNATURE_HEADERS.sender]: 'constructor' })).toMatchObject({ ok: false, reason: 'unknown_sender' });
  });

  it('refuses timestamps outside the tolerance, and milliseconds with a hint', () => {
    const stale = signedHeaders('payer-a', senders['payer-a'], body, now - tolerance - 1000);
    expect(check(stale)).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    const future = signedHeaders('payer-a', senders['payer-a'], body, now + tolerance + 1000);
    expect(check(future)).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    const edge = signedHeaders('payer-a', senders['payer-a'], body, now - tolerance);
    expect(check(edge)).toMatchObject({ ok: true });
    const ms = String(now);
    const r = check({ [SIGNATURE_HEADERS.sender]: 'payer-a', [SIGNATURE_HEADERS.timestamp]: ms, [SIGNATURE_HEADERS.signature]: signRequest(senders['payer-a'], ms, body) });
    expect(r).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    expect(r.ok ? '' : r.message).toMatch(/milliseconds/);
    expect(check({ ...stale, [SIGNATURE_HEADERS.timestamp]: '12e3' })).toMatchObject({ ok: false, reason: 'stale_timestamp' });
  });
});

describe('replay cache', () => {
  it('refuses a key seen within the TTL and forgets it after', () => {
    let t = 0;
    const cache = new ReplayCache({ ttlMs: 1000, now: () => t });
    expect(cache.checkAndAdd('a')).toBe(true);
    expect(cache.checkAndAdd('a')).toBe(false);
    t = 999;
    expect(cache.checkAndAdd('a')).toBe(false);
    t = 1000;
    expect(cache.checkAndAdd('a')).toBe(true);
    expect(cache.size).toBe(1);
  });

  it('stays bounded, evicting the oldest entries first', () => {
    let t = 0;
    const cache = new ReplayCache({ ttlMs: 60_000, maxEntries: 3, now: () => t++ });
    for (const k of ['a', 'b', 'c', 'd']) expect(cache.checkAndAdd(k)).toBe(true);
    expect(cache.size).toBe(3);
    expect(cache.has('a')).toBe(false);
    expect(cache.checkAndAdd('d')).toBe(false);
    expect(cache.checkAndAdd('b')).toBe(false);
  });

  it('expires entries lazily so a quiet cache empties', () => {
    let t = 0;
    const cache = new ReplayCache({ ttlMs: 10, now: () => t });
    for (let i = 0; i < 100; i++) cache.checkAndAdd(`k${i}`);
    t = 11;
    expect(cache.has('k0')).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('delete lets a failed request be retried with the same signature', () => {
    const cache = new ReplayCache({ ttlMs: 1000 });
    expect(cache.checkAndAdd('x')).toBe(true);
    cache.delete('x');
    expect(cache.checkAndAdd('x')).toBe(true);
  });
});
