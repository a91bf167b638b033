import { SpanKind, SpanStatusCode, context, propagation, type Attributes, type Span } from '@opentelemetry/api';
import axios, { AxiosError, type AxiosAdapter, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { CORRELATION_ATTRIBUTE, currentTracing } from './tracing';

/**
 * HTTP spans without the OTel http auto-instrumentation: that one patches `require('http')` and must load before
 * axios/fastify, which a CommonJS app started by tsx/jest cannot guarantee; two explicit wrappers are enough here.
 * Spans carry method, host, status and a path whose id-like segments are masked — never bodies, query strings or
 * headers (Odoo calls carry the API key; payer calls carry member data).
 */

/** `/remittances/F123/lines` → `/remittances/{id}/lines`: segments with digits or long tokens may name records. */
export function pathTemplate(pathname: string): string {
  return pathname
    .split('/')
    .map((seg) => (/\d/.test(seg) || seg.length > 40 ? '{id}' : seg))
    .join('/');
}

function requestUrl(config: InternalAxiosRequestConfig): URL | undefined {
  const url = config.url ?? '';
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || !config.baseURL) return new URL(url);
    return new URL(`${config.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`);
  } catch {
    return undefined;
  }
}

/**
 * Wrap an axios instance's adapter so every request is a CLIENT span named `<peer> <METHOD>` under the active
 * context (the activity span inside a worker), with the W3C `traceparent` header sent along. A no-op while tracing
 * is off. Retries done by callers are separate spans.
 */
export function traceAxios(ax: AxiosInstance, peer: string): AxiosInstance {
  const base: AxiosAdapter = axios.getAdapter(ax.defaults.adapter);
  ax.defaults.adapter = (config) => {
    const tracing = currentTracing();
    if (!tracing) return base(config);
    const method = (config.method ?? 'get').toUpperCase();
    const url = requestUrl(config);
    const attributes: Attributes = {
      'rcm.peer': peer,
      'http.request.method': method,
      ...(url ? { 'server.address': url.hostname, 'url.scheme': url.protocol.replace(':', ''), 'url.path': pathTemplate(url.pathname) } : {}),
      ...(url?.port ? { 'server.port': Number(url.port) } : {}),
    };
    return tracing.tracer.startActiveSpan(`${peer} ${method}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      propagation.inject(context.active(), config.headers, { set: (h, k, v) => void h.set(k, v) });
      try {
        const res = await base(config);
        span.setAttribute('http.response.status_code', res.status);
        if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return res;
      } catch (err) {
        failed(span, err);
        throw err;
      } finally {
        span.end();
      }
    });
  };
  return ax;
}

function failed(span: Span, err: unknown): void {
  const status = err instanceof AxiosError ? err.response?.status : undefined;
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  // The code only (ECONNRESET, ERR_CANCELED…): messages may echo URLs or payloads.
  const code = err instanceof AxiosError ? (err.code ?? 'http_error') : 'error';
  span.setAttribute('error.type', status !== undefined ? String(status) : code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

export interface ServerSpanInput {
  /** the route template, e.g. `/v1/referrals` */
  route: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  correlationId: string;
  /** bounded, PHI-free extras (sender id) */
  attributes?: Attributes;
}

/**
 * Run an inbound request as a SERVER span (continuing the caller's `traceparent` if it sent one) carrying the
 * correlation id; `fn` returns the response status. A no-op while tracing is off.
 */
export async function inServerSpan<T>(input: ServerSpanInput, fn: () => Promise<T>, statusOf: (result: T) => number): Promise<T> {
  const tracing = currentTracing();
  if (!tracing) return fn();
  const parent = propagation.extract(context.active(), input.headers, {
    keys: (h) => Object.keys(h),
    get: (h, k) => h[k.toLowerCase()],
  });
  const attributes: Attributes = { 'http.request.method': input.method, 'http.route': input.route, [CORRELATION_ATTRIBUTE]: input.correlationId, ...input.attributes };
  return tracing.tracer.startActiveSpan(`${input.method} ${input.route}`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      const result = await fn();
      const status = statusOf(result);
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return result;
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'unhandled' });
      throw err;
    } finally {
      span.end();
    }
  });
}
