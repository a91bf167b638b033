import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import axios from 'axios';
import { inServerSpan, pathTemplate, traceAxios } from '../../src/observability/http';
import { CORRELATION_ATTRIBUTE, currentTracing, startTracing, tracingConfigFromEnv } from '../../src/observability/tracing';

/** Tracing switches (standard OTEL_* env) and the HTTP span helpers against a real local HTTP server. */
describe('tracingConfigFromEnv', () => {
  it.each([
    [{}, undefined],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, { exporter: 'otlp' }],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces', OTEL_SERVICE_NAME: 'rcm-worker' }, { exporter: 'otlp', serviceName: 'rcm-worker' }],
    [{ OTEL_TRACES_EXPORTER: 'console' }, { exporter: 'console' }],
    [{ OTEL_TRACES_EXPORTER: 'zipkin,otlp' }, { exporter: 'otlp' }],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, undefined],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }, undefined],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, undefined],
  ])('%j → %j', (env, expected) => {
    const got = tracingConfigFromEnv(env as NodeJS.ProcessEnv);
    expect(got === undefined ? undefined : Object.fromEntries(Object.entries(got).filter(([, v]) => v !== undefined))).toEqual(expected);
  });
});

describe('pathTemplate', () => {
  it('masks segments that may name records', () => {
    expect(pathTemplate('/claims/CLM-0042/status')).toBe('/claims/{id}/status');
    expect(pathTemplate('/json/2/res.partner/search_read')).toBe('/json/{id}/res.partner/search_read');
    expect(pathTemplate('/fhir/Claim/$submit')).toBe('/fhir/Claim/$submit');
  });
});

describe('HTTP spans', () => {
  const exporter = new InMemorySpanExporter();
  let server: http.Server;
  let base: string;
  const seen: Array<{ url: string; traceparent?: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', traceparent: req.headers.traceparent as string | undefined });
      res.writeHead(req.url?.startsWith('/fail') ? 503 : 200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await currentTracing()?.shutdown();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => exporter.reset());

  it('is a no-op while tracing is off: no span, no traceparent', async () => {
    const ax = traceAxios(axios.create({ baseURL: base }), 'payer');
    await ax.get('/claims/CLM-1/status', { params: { payerId: 'P1' } });
    expect(seen.at(-1)).toEqual({ url: '/claims/CLM-1/status?payerId=P1', traceparent: undefined });
  });

  it('a CLIENT span per request under the active span, with traceparent sent and no query string recorded', async () => {
    const tracing = startTracing({ serviceName: 'unit', exporter });
    const ax = traceAxios(axios.create({ baseURL: `${base}/` }), 'payer');
    await inServerSpan({ route: '/v1/referrals', method: 'POST', headers: {}, correlationId: 'corr-1' }, () => ax.get('/claims/CLM-1/status', { params: { member: 'M123' } }), (r) => r.status);
    const [client, srv] = exporter.getFinishedSpans();
    expect(srv).toMatchObject({ name: 'POST /v1/referrals', kind: SpanKind.SERVER, attributes: { [CORRELATION_ATTRIBUTE]: 'corr-1', 'http.response.status_code': 200 } });
    expect(client).toMatchObject({ name: 'payer GET', kind: SpanKind.CLIENT, parentSpanId: srv.spanContext().spanId });
    expect(client.attributes).toEqual({
      'rcm.peer': 'payer',
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(base).port),
      'url.scheme': 'http',
      'url.path': '/claims/{id}/status',
      'http.response.status_code': 200,
    });
    expect(JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes))).not.toContain('M123');
    expect(seen.at(-1)?.traceparent).toBe(`00-${client.spanContext().traceId}-${client.spanContext().spanId}-01`);
    expect(tracing.tracer).toBeDefined();
  });

  it('marks failures with the status or the error code, never the message', async () => {
    const ax = traceAxios(axios.create({ baseURL: base }), 'odoo');
    await expect(ax.post('/fail', {})).rejects.toThrow();
    const refused = traceAxios(axios.create({ baseURL: 'http://127.0.0.1:1' }), 'odoo');
    await expect(refused.get('/x')).rejects.toThrow();
    const [a, b] = exporter.getFinishedSpans();
    expect(a.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ERR_BAD_RESPONSE' });
    expect(a.attributes).toMatchObject({ 'http.response.status_code': 503, 'error.type': '503' });
    expect(b.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ECONNREFUSED' });
    expect(b.attributes['error.type']).toBe('ECONNREFUSED');
  });

  it('continues the caller’s trace from an incoming traceparent', async () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await inServerSpan({ route: '/v1/payer/remittances', method: 'POST', headers: { traceparent: parent }, correlationId: 'c2' }, async () => 202, (s) => s);
    const [span] = exporter.getFinishedSpans();
    expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span.parentSpanId).toBe('b7ad6b7169203331');
  });
});
