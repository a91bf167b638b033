import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';

/**
 * Correlation ids follow one request from the HTTP edge (or the CLI) into the journey: the ingress puts it in the
 * response header and its logs, and the journey client sends it as the Temporal header `rcm-correlation-id` on every
 * start, signal and update (headers are recorded in the workflow history events, so an operator can find the request
 * that caused a transition) and as the `correlationId` memo when a call starts the journey.
 * It is an opaque token, never PHI.
 */
export const CORRELATION_HEADER = 'rcm-correlation-id';
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const storage = new AsyncLocalStorage<string>();

export function isValidCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID.test(value);
}

/** The caller's id when it is a safe token, else a fresh UUID. */
export function correlationIdFrom(value: unknown): string {
  return isValidCorrelationId(value) ? value : randomUUID();
}

export function withCorrelationId<T>(correlationId: string, fn: () => Promise<T>): Promise<T> {
  return storage.run(correlationId, fn);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

function withHeader<H extends Record<string, Payload>>(headers: H): H {
  const id = storage.getStore();
  return id ? { ...headers, [CORRELATION_HEADER]: defaultPayloadConverter.toPayload(id) } : headers;
}

/** Client interceptor that stamps the current correlation id on outbound starts, signals and updates. */
export const correlationInterceptor: WorkflowClientInterceptor = {
  startWithDetails: (input, next) => next({ ...input, headers: withHeader(input.headers) }),
  signal: (input, next) => next({ ...input, headers: withHeader(input.headers) }),
  signalWithStart: (input, next) => next({ ...input, headers: withHeader(input.headers) }),
  startUpdate: (input, next) => next({ ...input, headers: withHeader(input.headers) }),
  startUpdateWithStart: (input, next) =>
    next({ ...input, workflowStartHeaders: withHeader(input.workflowStartHeaders), updateHeaders: withHeader(input.updateHeaders) }),
};

/** Read the correlation id back from a header map (for workflow interceptors / history inspection). */
export function correlationIdFromHeaders(headers: Record<string, Payload> | undefined | null): string | undefined {
  const p = headers?.[CORRELATION_HEADER];
  if (!p) return undefined;
  const v = defaultPayloadConverter.fromPayload<unknown>(p);
  return typeof v === 'string' ? v : undefined;
}
