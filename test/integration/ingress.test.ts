import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { memoryKpiSink } from '../../src/activities/notify';
import { createDeadLetterStore, type DeadLetterStore } from '../../src/client/deadLetters';
import { createIngress } from '../../src/client/ingress/server';
import { signedHeaders } from '../../src/client/ingress/signature';
import { createJourneyClient, type JourneyClient } from '../../src/client/journeyClient';
import { RedriveError, redriveDeadLetter } from '../../src/client/redrive';
import { loadConfig } from '../../src/config';
import type { EligibilityResult } from '../../src/domain';
import { buildActivities } from '../../src/workers/buildActivities';
import * as msg from '../../src/workflows/messages';
import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import { devServerEnv, testWorkerLimits, uniqueTaskQueue, workflowBundle } from '../support/temporal';
import { sampleReferral } from '../support/journeyHarness';
import { activeEligibility } from '../support/payloads';

/**
 * The HTTP ingress on 127.0.0.1:0 with a real JourneyClient, the jest dev server, a real worker (product bundle,
 * production activity composition) and the Odoo/payer emulators. The payer emulator posts its signed PAS decision and
 * 835 webhooks to this ingress, so the signing scheme is checked against the real sender.
 */
const PAYER_SECRET = 'payer1-shared-secret-0123456789';
const INTAKE_SECRET = 'intake-shared-secret-0123456789';

describe('HTTP ingress (dev server, real worker, emulators)', () => {
  let env: TestWorkflowEnvironment;
  let odoo: OdooEmulator;
  let payer: PayerEmulator;
  let worker: Worker;
  let running: Promise<void>;
  let app: FastifyInstance;
  let base: string;
  let journeys: JourneyClient;
  let store: DeadLetterStore;
  const logLines: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-ingress-'));

  beforeAll(async () => {
    [env, odoo] = await Promise.all([devServerEnv(), startOdooEmulator({ version: '17.0' })]);
    const taskQueue = uniqueTaskQueue('ingress');
    store = createDeadLetterStore({ file: path.join(dir, 'dlq.jsonl') });
    journeys = createJourneyClient({ client: env.client, taskQueueFor: () => taskQueue, deadLetters: store });
    // The ingress listens first: the payer emulator's webhooks point at it.
    app = await createIngress({
      journeys,
      senders: { PAYER1: PAYER_SECRET, 'clinic-intake': INTAKE_SECRET },
      deadLetters: store,
      logger: { level: 'info', stream: { write: (line) => void logLines.push(line) } },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    payer = await startPayerEmulator({
      seed: 11,
      payerId: 'PAYER1',
      decisionDelayMs: 300,
      decisionWebhook: { url: `${base}/v1/payer/pas-notifications`, secret: PAYER_SECRET },
      remittanceWebhook: { url: `${base}/v1/payer/remittances`, secret: PAYER_SECRET },
    });
    const config = loadConfig({ ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_LOGIN: 'admin', ODOO_API_KEY: 'admin-api-key', ODOO_PROTOCOL: 'jsonrpc', PAYER_BASE_URL: payer.url }, {});
    const activities = buildActivities(config, { kpi: memoryKpiSink(), log: () => undefined });
    worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: workflowBundle(), activities, ...testWorkerLimits, maxCachedWorkflows: 20 });
    running = worker.run();
  });

  afterAll(async () => {
    await app?.close();
    worker?.shutdown();
    await running;
    await Promise.allSettled([payer?.close(), odoo?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  interface Sent {
    status: number;
    body: Record<string, any>;
    headers: Headers;
  }
  interface PostOptions {
    sender?: string;
    secret?: string;
    contentType?: string;
    headers?: Record<string, string>;
    nowMs?: number;
    unsigned?: boolean;
  }
  async function post(route: string, body: string, o: PostOptions = {}): Promise<Sent & { sentHeaders: Record<string, string> }> {
    const sentHeaders: Record<string, string> = {
      'content-type': o.contentType ?? 'application/json',
      ...(o.unsigned ? {} : signedHeaders(o.sender ?? 'PAYER1', o.secret ?? PAYER_SECRET, body, o.nowMs)),
      ...o.headers,
    };
    return { ...(await send(route, body, sentHeaders)), sentHeaders };
  }
  async function send(route: string, body: string, headers: Record<string, string>): Promise<Sent> {
    const res = await fetch(`${base}${route}`, { method: 'POST', body, headers });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
  }

  const until = async (what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        if (await fn()) return;
      } catch (err) {
        last = err;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`timed out waiting for ${what}${last ? ` (${(last as Error).message})` : ''}`);
  };
  const atStage = (journeyId: string, stage: string) => until(`${journeyId} at ${stage}`, async () => (await journeys.status(journeyId)).stage === stage);

  const referral = sampleReferral;
  const eligibility = (messageId?: string): Partial<EligibilityResult> => {
    const { messageId: _omit, ...rest } = activeEligibility('unused');
    return messageId ? { ...rest, messageId } : rest;
  };

  it('serves health and its OpenAPI document', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/referrals', '/v1/payer/eligibility', '/v1/payer/prior-auth-decisions', '/v1/payer/claim-status', '/v1/payer/remittances', '/v1/payer/pas-notifications']));
  });

  it('signed intake starts a journey; the payer emulator’s signed PAS and 835 webhooks advance it', async () => {
    // 27447 is pended (A4) by the payer, then certified (A1) by its decision webhook to /v1/payer/pas-notifications.
    const r = referral({ orderedServices: [{ cpt: '27447', icd10: ['M17.11'], units: 1, chargeCents: 250_000 }] });
    const res = await post('/v1/referrals', JSON.stringify(r), { sender: 'clinic-intake', secret: INTAKE_SECRET, headers: { 'x-correlation-id': 'corr-ingress-1' } });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-correlation-id')).toBe('corr-ingress-1');
    expect(res.body).toMatchObject({ accepted: true, journeyId: `referral/site-a/${r.referralId}`, correlationId: 'corr-ingress-1' });
    const journeyId = res.body.journeyId as string;

    await atStage(journeyId, 'scheduling');
    // The payer records a delivery once it has read the ingress's response, which can be after the journey moved on.
    await payer.control.idle();
    expect(payer.control.webhookDeliveries()).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'prior-auth-decision', delivered: true, status: 202 })]));
    // The prior-auth child reports its decisions to the journey by signal: wait for them instead of reading once.
    const decisions = ['prior auth decision A4', 'prior auth decision A1'];
    await until('prior auth decisions in the timeline', async () => {
      const actions = (await journeys.timeline(journeyId)).map((e) => e.action);
      return decisions.every((d) => actions.includes(d));
    }).catch(() => undefined); // the expectation below names what is missing
    expect((await journeys.timeline(journeyId)).map((e) => e.action)).toEqual(expect.arrayContaining(decisions));

    // Walk to the claim, then let the payer adjudicate: its 835 arrives signed at /v1/payer/remittances.
    const handle = env.client.workflow.getHandle(journeyId);
    const now = new Date().toISOString();
    await handle.signal(msg.appointmentScheduled, { messageId: 'appt-1', appointmentId: 'A-1', at: now });
    await atStage(journeyId, 'service');
    await handle.signal(msg.serviceCompleted, { messageId: 'enc-1', encounterId: 'E-1', serviceDate: now.slice(0, 10), services: [{ code: '27447', modifiers: [], icd10: ['M17.11'], units: 1, chargeCents: 250_000 }], notesRef: 'NOTE-1' });
    await until('billing approval or coding review', async () => ['billing_approval', 'coding'].includes((await journeys.status(journeyId)).stage) && (await journeys.status(journeyId)).pendingApproval !== undefined);
    await journeys.decide(journeyId, { type: 'approve', input: { actorId: 'biller-2', role: 'billing_supervisor', reason: 'documentation complete' } });
    await atStage(journeyId, 'payer_adjudication');
    const claimId = (await journeys.status(journeyId)).claimIds[0];
    await until('ClaimIds indexed', async () => (await journeys.findJourneysByClaimId(claimId)).length === 1);
    await until('claim accepted by the payer', async () => payer.control.claimStatus(claimId) !== undefined);
    await payer.control.adjudicate(claimId);
    await payer.control.idle();
    expect(payer.control.webhookDeliveries()).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'remittance', delivered: true, status: 202 })]));
    await until('remittance posted', async () => (await journeys.timeline(journeyId)).some((e) => e.action === 'remittance received'));

    // Structured logs: one line per request with route/status/correlation id, never the body (PHI).
    const lines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'ingress request', route: '/v1/referrals', status: 202, correlationId: 'corr-ingress-1', sender: 'clinic-intake' })]));
    expect(logLines.join('\n')).not.toContain(r.patientRef);
  });

  it('a payer message for an unknown journey starts it (kept); a replay is 409 with no second delivery', async () => {
    const ids = { siteId: 'site-a', referralId: `EARLY${Date.now().toString(36)}` };
    const body = JSON.stringify({ ...ids, payload: eligibility('elig-ingress-1') });
    const first = await post('/v1/payer/eligibility', body);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ accepted: true, mode: 'update', messageId: 'elig-ingress-1', receipt: { stage: 'awaiting_referral' }, duplicate: false });
    const journeyId = first.body.journeyId as string;

    const replay = await send('/v1/payer/eligibility', body, first.sentHeaders);
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({ error: 'replay', correlationId: expect.any(String), deadLetterId: expect.any(String) });
    const history = await env.client.workflow.getHandle(journeyId).fetchHistory();
    expect(history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1);

    // The sender's genuine retry (fresh timestamp → new signature) passes and is a duplicate by messageId.
    const retry = await post('/v1/payer/eligibility', body, { nowMs: Date.now() + 1000 });
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ duplicate: true });
    expect((await journeys.timeline(journeyId)).filter((e) => e.action === 'eligibility result received')).toHaveLength(1);

    // Idempotency-Key becomes the message id.
    const keyed = await post('/v1/payer/eligibility', JSON.stringify({ ...ids, payload: eligibility() }), { headers: { 'Idempotency-Key': 'idem-ingress-1' } });
    expect(keyed.status).toBe(202);
    expect(keyed.body).toMatchObject({ messageId: 'idem-ingress-1', duplicate: false });
  });

  it('refuses bad input with JSON errors and keeps every refused request in the dead-letter store', async () => {
    // Each case gets its own body: the same body signed in the same second is the same signature, i.e. a replay.
    let n = 0;
    const valid = () => JSON.stringify({ siteId: 'site-a', referralId: `DLQ${Date.now().toString(36)}`, payload: eligibility(`elig-dlq-${++n}`) });
    const cases: [string, Promise<Sent>, number, string, unknown][] = [
      ['missing signature', post('/v1/payer/eligibility', valid(), { unsigned: true }), 401, 'missing_signature', undefined],
      ['wrong secret', post('/v1/payer/eligibility', valid(), { secret: 'not-the-secret-0123456789' }), 401, 'bad_signature', undefined],
      ['unknown sender', post('/v1/payer/eligibility', valid(), { sender: 'mallory' }), 401, 'unknown_sender', undefined],
      ['stale timestamp', post('/v1/payer/eligibility', valid(), { nowMs: Date.now() - 6 * 60_000 }), 401, 'stale_timestamp', undefined],
      ['malformed JSON', post('/v1/payer/eligibility', '{"siteId": "site-a",'), 400, 'invalid_json', ''],
      ['schema violation', post('/v1/payer/eligibility', JSON.stringify({ siteId: 'site-a', referralId: 'R1', payload: { ...eligibility('e-2'), status: 'maybe' } })), 400, 'invalid_payload', 'payload.status'],
      ['bad address', post('/v1/payer/claim-status', JSON.stringify({ siteId: 'site a', referralId: 'R1', payload: {} })), 400, 'invalid_payload', 'siteId'],
      ['bad referral', post('/v1/referrals', JSON.stringify({ ...referral(), urgency: 'whenever' }), { sender: 'clinic-intake', secret: INTAKE_SECRET }), 400, 'invalid_payload', 'urgency'],
      ['bad Idempotency-Key', post('/v1/payer/eligibility', valid(), { headers: { 'Idempotency-Key': 'has spaces' } }), 400, 'invalid_header', 'headers.idempotency-key'],
      ['wrong content type', post('/v1/payer/eligibility', valid(), { contentType: 'text/plain' }), 415, 'unsupported_media_type', undefined],
      ['broken 835', post('/v1/payer/remittances', 'ISA*00*broken~', { contentType: 'application/edi-x12' }), 400, 'invalid_x12', expect.stringMatching(/^segment 1 \(ISA/)],
      ['oversized body', post('/v1/payer/eligibility', JSON.stringify({ pad: 'x'.repeat(1024 * 1024) })), 413, 'body_too_large', undefined],
    ];
    for (const [name, pending, status, error, pathExpected] of cases) {
      const res = await pending;
      expect({ name, status: res.status, error: res.body.error }).toEqual({ name, status, error });
      expect(res.body.correlationId).toBe(res.headers.get('x-correlation-id'));
      if (pathExpected !== undefined) expect({ name, path: res.body.path }).toEqual({ name, path: pathExpected });
      const entry = await store.get(res.body.deadLetterId as string);
      expect({ name, reason: entry?.reason }).toEqual({ name, reason: error });
      expect(entry?.correlationId).toBe(res.body.correlationId);
    }
    // The schema message names the field, not the value.
    const schema = await post('/v1/payer/eligibility', JSON.stringify({ siteId: 'site-a', referralId: 'R1', payload: { ...eligibility('e-3'), planType: 'PT-SECRET-77' } }));
    expect(schema.body.message).toMatch(/payload\.planType: must be one of/);
    expect(schema.body.message).not.toContain('PT-SECRET-77');
  });

  it('re-drives a dead letter through the same path: a valid message refused for its signature is delivered, an invalid one is not', async () => {
    const ids = { siteId: 'site-a', referralId: `REDRIVE${Date.now().toString(36)}` };
    const refused = await post('/v1/payer/eligibility', JSON.stringify({ ...ids, payload: eligibility('elig-redrive-1') }), { secret: 'rotated-wrong-secret-0123456789' });
    expect(refused.status).toBe(401);
    const entry = (await store.get(refused.body.deadLetterId as string))!;
    const result = await redriveDeadLetter(entry, { journeys, deadLetters: store });
    expect(result.outcome).toBe('/v1/payer/eligibility → 202');
    expect((await journeys.status(`referral/site-a/${ids.referralId}`)).stage).toBe('awaiting_referral');
    expect((await store.get(entry.id))?.redrivenAt).toBeDefined();
    await expect(redriveDeadLetter((await store.get(entry.id))!, { journeys, deadLetters: store })).rejects.toBeInstanceOf(RedriveError);

    const invalid = await post('/v1/payer/eligibility', '{"nope":', {});
    const invalidEntry = (await store.get(invalid.body.deadLetterId as string))!;
    await expect(redriveDeadLetter(invalidEntry, { journeys, deadLetters: store })).rejects.toThrow(/not valid JSON/);
    expect((await store.get(invalidEntry.id))?.redrivenAt).toBeUndefined();
  });
});
