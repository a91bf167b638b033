import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { createDeadLetterStore, type DeadLetterStore } from '../../src/client/deadLetters';
import { createIngress } from '../../src/client/ingress/server';
import { signRequest, signedHeaders } from '../../src/client/ingress/signature';
import { createJourneyClient } from '../../src/client/journeyClient';
import { addToSummary } from '../chaos/support/summary';
import { hostile835, hostilePayerBody, hostileReferralBody } from '../support/hostile';
import { sampleReferral, startJourneyHarness, type JourneyHarness } from '../support/journeyHarness';

/**
 * Hostile input against the running ingress (fast-check, RCM_FUZZ_RUNS per property; 300 by default, 10 000 under
 * `npm run chaos`): every generated request — broken JSON, wrong types, unknown keys, 1e309 amounts, huge strings and
 * arrays, deep nesting, unicode, broken 835s, forged or stale signatures — is answered 4xx with a reason and
 * dead-lettered, quickly, with no 5xx; valid referrals sent in between keep being served with the journey's receipt.
 */
const RUNS = Number(process.env.RCM_FUZZ_RUNS ?? 300);
/** npm test replays one fixed sample (no run-to-run randomness in CI); `RCM_FUZZ_SEED=random` (npm run chaos) draws anew. */
const SEED = process.env.RCM_FUZZ_SEED === 'random' ? {} : { seed: Number(process.env.RCM_FUZZ_SEED ?? 20_261_203) };
const SECRET = 'fuzz-intake-secret-0123456789';
const PAYER_SECRET = 'fuzz-payer-secret-0123456789';
const DAY_MS = 24 * 3600_000;

type Signing = 'ok' | 'wrong_key' | 'stale' | 'other_body' | 'missing' | 'garbage' | 'milliseconds' | 'unknown_sender';
const signingArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Signing>('ok') },
  { weight: 1, arbitrary: fc.constantFrom<Signing>('wrong_key', 'stale', 'other_body', 'missing', 'garbage', 'milliseconds', 'unknown_sender') },
);

describe('ingress under hostile input (dev server, real worker)', () => {
  let h: JourneyHarness;
  let worker: Worker;
  let running: Promise<void>;
  let app: FastifyInstance;
  let base: string;
  let store: DeadLetterStore;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-fuzz-'));
  // Every request gets its own timestamp (inside a day's tolerance) so identical generated bodies — fast-check
  // repeats values, and shrinking replays them — are never mistaken for replays unless a test means it.
  let tick = 0;
  const uniqueNow = () => Date.now() - ++tick * 1000;

  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
    store = createDeadLetterStore({ file: path.join(dir, 'dlq.jsonl') });
    const journeys = createJourneyClient({ client: h.client, taskQueueFor: () => h.taskQueue, deadLetters: store });
    app = await createIngress({ journeys, senders: { 'clinic-intake': SECRET, PAYER1: PAYER_SECRET }, deadLetters: store, toleranceMs: DAY_MS, startTimeoutMs: 30_000 });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    worker = await h.newWorker();
    running = worker.run();
  });

  afterAll(async () => {
    await app?.close();
    worker?.shutdown();
    await running;
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  interface Answer {
    status: number;
    body: Record<string, any>;
    ms: number;
  }
  async function send(route: string, body: string, headers: Record<string, string>): Promise<Answer> {
    const t0 = Date.now();
    const res = await fetch(`${base}${route}`, { method: 'POST', body, headers, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as Record<string, any>, ms: Date.now() - t0 };
  }
  function headersFor(signing: Signing, sender: string, secret: string, body: string, contentType: string): Record<string, string> {
    const now = uniqueNow();
    const ts = String(Math.floor(now / 1000));
    const ok = signedHeaders(sender, secret, body, now);
    const forged: Record<Signing, Record<string, string>> = {
      ok,
      wrong_key: { ...ok, 'x-rcm-signature': signRequest(`${secret}-rotated`, ts, body) },
      stale: signedHeaders(sender, secret, body, now - 2 * DAY_MS),
      other_body: { ...ok, 'x-rcm-signature': signRequest(secret, ts, `${body} `) },
      missing: {},
      garbage: { ...ok, 'x-rcm-signature': 'sha256=zz' },
      milliseconds: { ...ok, 'x-rcm-timestamp': String(now), 'x-rcm-signature': signRequest(secret, String(now), body) },
      unknown_sender: signedHeaders('mallory', secret, body, now),
    };
    return { 'content-type': contentType, ...forged[signing] };
  }

  const deadLetterIds: string[] = [];
  let fuzzed = 0;
  /** The contract for a request that must be refused: 4xx, a reason, a dead letter, a quick answer. */
  function expectRefused(a: Answer, signing: Signing): void {
    fuzzed++;
    expect(a.ms).toBeLessThan(10_000);
    expect({ status: a.status, error: typeof a.body.error, message: typeof a.body.message, deadLetterId: typeof a.body.deadLetterId }).toEqual({
      status: signing === 'ok' ? expect.any(Number) : 401,
      error: 'string',
      message: 'string',
      deadLetterId: 'string',
    });
    expect([400, 401, 409, 413, 415, 422]).toContain(a.status);
    deadLetterIds.push(a.body.deadLetterId);
  }

  async function validReferralStillServed(): Promise<void> {
    const r = sampleReferral();
    const body = JSON.stringify(r);
    const a = await send('/v1/referrals', body, headersFor('ok', 'clinic-intake', SECRET, body, 'application/json'));
    expect(a).toMatchObject({ status: 202, body: { accepted: true, receiptPending: false, journeyId: `referral/site-a/${r.referralId}` } });
  }

  it(`refuses ${RUNS} hostile referrals with 4xx + reason + dead letter; valid referrals in between are served`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostileReferralBody, signingArb, fc.boolean(), async (make, signing, wrongType) => {
        const body = make(sampleReferral());
        const a = await send('/v1/referrals', body, headersFor(signing, 'clinic-intake', SECRET, body, wrongType ? 'text/plain' : 'application/json'));
        expectRefused(a, signing);
        if (signing === 'ok' && a.status !== 413) expect(a.body.error).toEqual(wrongType ? 'unsupported_media_type' : expect.stringMatching(/^invalid_(json|payload)$/));
        if (++n % 50 === 0) await validReferralStillServed();
      }),
      { numRuns: RUNS, ...SEED },
    );
    await validReferralStillServed();
  });

  it(`refuses ${RUNS} hostile payer messages and broken 835s`, async () => {
    await fc.assert(
      fc.asyncProperty(hostilePayerBody, fc.constantFrom('/v1/payer/eligibility', '/v1/payer/prior-auth-decisions', '/v1/payer/claim-status'), signingArb, async (make, route, signing) => {
        const body = make({ siteId: 'site-a', referralId: `FUZZ${tick}` });
        expectRefused(await send(route, body, headersFor(signing, 'PAYER1', PAYER_SECRET, body, 'application/json')), signing);
      }),
      { numRuns: RUNS, ...SEED },
    );
    await fc.assert(
      fc.asyncProperty(hostile835, async (file) => {
        const a = await send('/v1/payer/remittances', file, headersFor('ok', 'PAYER1', PAYER_SECRET, file, 'application/edi-x12'));
        // A damaged file the lenient parser can still read is taken (its claim matches no journey and is dead-lettered);
        // one it cannot read is refused with the segment where it stopped.
        if (a.status === 202) {
          expect(a.body.summary.delivered).toBe(0);
          return;
        }
        expectRefused(a, 'ok');
        expect(a.body).toMatchObject({ error: 'invalid_x12', path: expect.stringMatching(/^segment \d+/) });
      }),
      { numRuns: RUNS, ...SEED },
    );
  });

  it('a replay of any signed request is refused, whatever its body', async () => {
    await fc.assert(
      fc.asyncProperty(hostileReferralBody, async (make) => {
        const body = make(sampleReferral());
        const headers = headersFor('ok', 'clinic-intake', SECRET, body, 'application/json');
        const first = await send('/v1/referrals', body, headers);
        if (first.status === 413) return; // never read, so never recorded
        expectRefused(await send('/v1/referrals', body, headers), 'ok');
      }),
      { numRuns: Math.min(RUNS, 100), ...SEED },
    );
  });

  it('a 50 MB body is refused 413 without reading it, and the ingress keeps serving', async () => {
    const huge = `{"pad":"${'x'.repeat(50 * 1024 * 1024)}"}`;
    const t0 = Date.now();
    const res = await fetch(`${base}/v1/referrals`, { method: 'POST', body: huge, headers: { 'content-type': 'application/json', ...signedHeaders('clinic-intake', SECRET, huge, uniqueNow()) } }).catch((err: Error) => err);
    // The server may answer and close before the client has written everything; either way it is not taken.
    if (!(res instanceof Error)) {
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: 'body_too_large', deadLetterId: expect.any(String) });
    }
    expect(Date.now() - t0).toBeLessThan(30_000);
    fuzzed++;
    await validReferralStillServed();
  });

  it('every refusal is in the dead-letter store', async () => {
    expect(deadLetterIds.length).toBeGreaterThan(0);
    const stored = new Set((await store.list({ includeRedriven: true })).map((e) => e.id));
    expect(deadLetterIds.filter((id) => !stored.has(id))).toEqual([]);
    addToSummary({ 'payloads fuzzed': fuzzed });
  });
});
