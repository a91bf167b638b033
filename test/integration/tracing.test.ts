import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { memoryKpiSink } from '../../src/activities/notify';
import { createDeadLetterStore } from '../../src/client/deadLetters';
import { createIngress } from '../../src/client/ingress/server';
import { signedHeaders } from '../../src/client/ingress/signature';
import { createJourneyClient } from '../../src/client/journeyClient';
import { loadConfig } from '../../src/config';
import { CORRELATION_ATTRIBUTE, startTracing, type Tracing } from '../../src/observability/tracing';
import { buildActivities } from '../../src/workers/buildActivities';
import { bundleJourneyWorkflows, startJourneyWorkers, type JourneyWorkers } from '../../src/workers/createWorker';
import { createLogger } from '../../src/workers/logger';
import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import { sampleReferral } from '../support/journeyHarness';
import { devServerEnv, replayOptions, uniqueTaskQueue } from '../support/temporal';

/**
 * One trace from the webhook to Odoo: a signed intake POST to the real ingress → the journey client's
 * update-with-start → the workflow (bundled with the tracing interceptors by startJourneyWorkers) → an activity →
 * the Odoo emulator over HTTP. Spans go to an in-memory exporter; the dev server, worker and emulators are real.
 */
const INTAKE_SECRET = 'intake-shared-secret-0123456789';
const CORRELATION_ID = 'corr-trace-1';

describe('tracing: ingress → update → workflow → activity → Odoo HTTP in one trace', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let env: TestWorkflowEnvironment;
  let odoo: OdooEmulator;
  let payer: PayerEmulator;
  let workers: JourneyWorkers;
  let app: FastifyInstance;
  let base: string;
  let tracedBundle: { code: string };
  let journeyId: string | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-tracing-'));

  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'rcm-tracing-test', exporter });
    [env, odoo, payer] = await Promise.all([devServerEnv(), startOdooEmulator({ version: '17.0' }), startPayerEmulator({ seed: 5, payerId: 'PAYER1' })]);
    const taskQueue = uniqueTaskQueue('tracing');
    const config = loadConfig({ ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_LOGIN: 'admin', ODOO_API_KEY: 'admin-api-key', ODOO_PROTOCOL: 'jsonrpc', PAYER_BASE_URL: payer.url }, {});
    const activities = buildActivities(config, { kpi: memoryKpiSink(), log: () => undefined });
    // The product bundle plus the tracing interceptor module (what a worker with tracing on bundles at start).
    tracedBundle = await bundleJourneyWorkflows({ encodeFailures: false, tracing: true });
    workers = await startJourneyWorkers({ config, activities, connection: env.nativeConnection, taskQueues: [taskQueue], bundle: tracedBundle, tracing, logger: createLogger({ level: 'warn' }) });
    const store = createDeadLetterStore({ file: path.join(dir, 'dlq.jsonl') });
    const journeys = createJourneyClient({ client: env.client, taskQueueFor: () => taskQueue, deadLetters: store });
    app = await createIngress({ journeys, senders: { 'clinic-intake': INTAKE_SECRET }, deadLetters: store });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await workers?.shutdown();
    await Promise.allSettled([payer?.close(), odoo?.close()]);
    await tracing?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = fn();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; spans: ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('links the ingress span, the client update span, workflow and activity spans and the Odoo HTTP span', async () => {
    const r = sampleReferral();
    const body = JSON.stringify(r);
    const res = await fetch(`${base}/v1/referrals`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-correlation-id': CORRELATION_ID, ...signedHeaders('clinic-intake', INTAKE_SECRET, body) },
    });
    expect(res.status).toBeLessThan(300);
    journeyId = ((await res.json()) as { journeyId: string }).journeyId;

    const ingress = await until('the ingress span', () => exporter.getFinishedSpans().find((s) => s.name === 'POST /v1/referrals'));
    const traceId = ingress.spanContext().traceId;
    expect(ingress.kind).toBe(SpanKind.SERVER);
    expect(ingress.attributes[CORRELATION_ATTRIBUTE]).toBe(CORRELATION_ID);
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);

    // The Odoo call made by an activity of this journey, and the activity span it runs under.
    const odooSpan = await until('an Odoo HTTP span in the trace', () => inTrace().find((s) => s.attributes['rcm.peer'] === 'odoo' && parentOf(s, inTrace())?.name.startsWith('RunActivity:')));
    expect(odooSpan.kind).toBe(SpanKind.CLIENT);
    expect(odooSpan.attributes).toMatchObject({ 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'url.path': '/jsonrpc', 'http.response.status_code': 200 });
    const runActivity = parentOf(odooSpan, inTrace())!;
    // The workflow's StartActivity span (exported from the sandbox through the sink) ends when the activity does.
    const startActivity = await until('the StartActivity span', () => inTrace().find((s) => s.spanContext().spanId === parentId(runActivity)));
    expect(startActivity.name).toBe(runActivity.name.replace('RunActivity:', 'StartActivity:'));

    // The client's update-with-start span is the ingress span's child and carries the correlation id; the workflow
    // handled that update under it.
    const client = inTrace().find((s) => s.name.startsWith('UpdateWithStartWorkflow:'));
    expect(client).toBeDefined();
    expect(parentId(client!)).toBe(ingress.spanContext().spanId);
    expect(client!.attributes[CORRELATION_ATTRIBUTE]).toBe(CORRELATION_ID);
    const handled = await until('the HandleUpdate span', () => inTrace().find((s) => s.name.startsWith('HandleUpdate:')));
    expect(parentId(handled)).toBe(client!.spanContext().spanId);
    // Every span of the trace is rooted at the ingress span (RunWorkflow is still open: it ends with the journey).
    const names = new Set(inTrace().map((s) => s.name.split(':')[0]));
    expect([...names]).toEqual(expect.arrayContaining(['POST /v1/referrals', 'UpdateWithStartWorkflow', 'HandleUpdate', 'StartActivity', 'RunActivity', 'odoo POST']));

    // No PHI: the patient reference never appears in a span name or attribute.
    const text = JSON.stringify(exporter.getFinishedSpans().map((s) => [s.name, s.attributes]));
    expect(text).not.toContain(r.patientRef);
  }, 60_000);

  it('a traced journey replays on the traced bundle (cache eviction, another worker of the same build)', async () => {
    // Not across modes: the SDK's span wrappers move an update's completion behind commands of the same task, so a
    // journey that took updates replays only with the tracing setting it ran under (measured both ways; see
    // docs/OPERATIONS.md — switching tracing is a workflow-code change).
    expect(tracedBundle.code).toContain('@temporalio/interceptor-workflow');
    const history = await env.client.workflow.getHandle(journeyId!).fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionUpdateCompletedEventAttributes)).toBe(true);
    await expect(Worker.runReplayHistory(replayOptions(tracedBundle), history, journeyId)).resolves.toBeUndefined();
  }, 30_000);
});

function parentId(s: ReadableSpan): string | undefined {
  return s.parentSpanId;
}

function parentOf(s: ReadableSpan, spans: ReadableSpan[]): ReadableSpan | undefined {
  return spans.find((p) => p.spanContext().spanId === s.parentSpanId);
}
