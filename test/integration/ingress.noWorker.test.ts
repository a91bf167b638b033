import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createDeadLetterStore, type DeadLetterStore } from '../../src/client/deadLetters';
import { createIngress } from '../../src/client/ingress/server';
import { signedHeaders } from '../../src/client/ingress/signature';
import { createJourneyClient, type JourneyClient } from '../../src/client/journeyClient';
import { startJourneyHarness, sampleReferral, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { activeEligibility } from '../support/payloads';

/**
 * No worker polling (deploy, crash loop): a valid referral is answered within the ingress's bound with 202
 * `receiptPending` and the journey id — the journey exists and holds the referral — and a worker started later
 * takes it on. Retries under the same Idempotency-Key get the first answer, never a "replay" refusal.
 */
const SECRET = 'intake-shared-secret-0123456789';
const START_TIMEOUT_MS = 1500;

describe('ingress with no worker polling (dev server)', () => {
  let h: JourneyHarness;
  let app: FastifyInstance;
  let base: string;
  let journeys: JourneyClient;
  let store: DeadLetterStore;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-noworker-'));

  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
    store = createDeadLetterStore({ file: path.join(dir, 'dlq.jsonl') });
    journeys = createJourneyClient({ client: h.client, taskQueueFor: () => h.taskQueue, deadLetters: store });
    app = await createIngress({ journeys, senders: { 'clinic-intake': SECRET }, deadLetters: store, startTimeoutMs: START_TIMEOUT_MS });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await app?.close();
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function send(body: string, headers: Record<string, string>) {
    const t0 = Date.now();
    const res = await fetch(`${base}/v1/referrals`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers, ms: Date.now() - t0 };
  }
  const signed = (body: string, extra: Record<string, string> = {}, nowMs?: number) => ({ ...signedHeaders('clinic-intake', SECRET, body, nowMs), ...extra });

  it('answers 202 receipt pending within the bound; retries get the same answer; a worker started later takes the journey on', async () => {
    const r = sampleReferral();
    const body = JSON.stringify(r);
    const headers = signed(body, { 'idempotency-key': `ref-${r.referralId}` });
    const first = await send(body, headers);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ accepted: true, receiptPending: true, journeyId: `referral/site-a/${r.referralId}` });
    // The bound plus the fallback start and one history read, with room for a busy CI machine.
    expect(first.ms).toBeLessThan(START_TIMEOUT_MS + 10_000);
    const handle = h.client.workflow.getHandle(first.body.journeyId);
    expect((await handle.describe()).status.name).toBe('RUNNING');

    // The caller's HTTP client gave up and re-sends the very same signed bytes: same answer, not a replay.
    const resent = await send(body, headers);
    expect(resent.status).toBe(202);
    expect(resent.headers.get('idempotent-replayed')).toBe('true');
    expect(resent.body).toMatchObject({ accepted: true, receiptPending: true, journeyId: first.body.journeyId });
    // Re-signed (fresh timestamp) under the same key: same answer too.
    const resigned = await send(body, signed(body, { 'idempotency-key': `ref-${r.referralId}` }, Date.now() + 1000));
    expect(resigned).toMatchObject({ status: 202, body: { receiptPending: true, journeyId: first.body.journeyId } });
    // The same key with another body is refused; the same bytes without a key are still a replay.
    const otherBody = JSON.stringify({ ...r, urgency: 'urgent' });
    const reused = await send(otherBody, signed(otherBody, { 'idempotency-key': `ref-${r.referralId}` }));
    expect(reused).toMatchObject({ status: 422, body: { error: 'idempotency_key_reused', deadLetterId: expect.any(String) } });
    const keyless = signed(body, {}, Date.now() + 2000);
    expect((await send(body, keyless)).status).toBe(202);
    expect(await send(body, keyless)).toMatchObject({ status: 409, body: { error: 'replay' } });

    // A worker comes up: the journey leaves intake with the referral it was started with; nothing was lost.
    await h.withWorker(
      async () => {
        const s = await waitForStatus(handle, (x) => !['intake', 'awaiting_referral'].includes(x.stage), 'journey past intake', 60_000);
        expect(s.referralId).toBe(r.referralId);
        const again = await journeys.startJourney(r, { timeoutMs: 30_000 });
        expect(again).toMatchObject({ journeyId: first.body.journeyId, receipt: { accepted: true, duplicate: true } });
      },
      { sameQueue: true },
    );
    const history = await handle.fetchHistory();
    expect(history.events?.filter((e) => e.workflowExecutionStartedEventAttributes)).toHaveLength(1);
  });

  it('a journey a payer message started holds no referral: 503 retry (not accepted, not a replay), then 202 with the receipt once a worker runs', async () => {
    const r = sampleReferral();
    const { messageId: _m, ...elig } = activeEligibility('unused');
    await journeys.deliverPayerMessage({ siteId: r.siteId, referralId: r.referralId }, { kind: 'eligibility', payload: { ...elig, messageId: `elig-${r.referralId}` } }, { mode: 'signal' });
    const body = JSON.stringify(r);
    const headers = signed(body, { 'idempotency-key': `ref-${r.referralId}` });
    const refused = await send(body, headers);
    expect(refused).toMatchObject({ status: 503, body: { error: 'receipt_unavailable', deadLetterId: expect.any(String) } });

    await h.withWorker(
      async () => {
        const retried = await send(body, headers);
        expect(retried).toMatchObject({ status: 202, body: { accepted: true, receiptPending: false, journeyId: `referral/site-a/${r.referralId}` } });
        const handle = h.client.workflow.getHandle(retried.body.journeyId);
        await waitForStatus(handle, (x) => x.stage !== 'awaiting_referral' && x.referralId === r.referralId, 'referral taken', 60_000);
      },
      { sameQueue: true },
    );
  });
});
