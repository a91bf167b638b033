import { ApplicationFailure } from '@temporalio/common';
import { AxiosError, isAxiosError } from 'axios';

/**
 * Stable failure types shared by every integration. Workflows and retry policies key on these,
 * never on messages. Validation/access/missing are permanent (retrying cannot help); conflicts,
 * rate limits, 5xx and network faults are transient and retried by Temporal.
 */
export const FailureType = {
  Validation: 'ValidationError',
  Access: 'AccessError',
  Authentication: 'AuthenticationError',
  NotFound: 'NotFoundError',
  Conflict: 'ConflictError',
  RateLimited: 'RateLimitedError',
  Unavailable: 'UpstreamUnavailableError',
  Timeout: 'UpstreamTimeoutError',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Failure types that a retry policy must never retry. */
export const NON_RETRYABLE_TYPES: FailureType[] = [
  FailureType.Validation,
  FailureType.Access,
  FailureType.Authentication,
  FailureType.NotFound,
];

export function permanentFailure(type: FailureType, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details === undefined ? [] : [details] });
}

export function transientFailure(type: FailureType, message: string, details?: unknown, nextRetryDelayMs?: number): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: false,
    details: details === undefined ? [] : [details],
    nextRetryDelay: nextRetryDelayMs,
  });
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_SOCKET']);

/** Parse a Retry-After header (seconds or HTTP date) into milliseconds. */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(String(value));
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Classify an HTTP status into a failure (used by every HTTP integration). */
export function failureFromStatus(status: number, message: string, details?: unknown, retryAfter?: number): ApplicationFailure {
  if (status === 400 || status === 422) return permanentFailure(FailureType.Validation, message, details);
  if (status === 401) return permanentFailure(FailureType.Authentication, message, details);
  if (status === 403) return permanentFailure(FailureType.Access, message, details);
  if (status === 404) return permanentFailure(FailureType.NotFound, message, details);
  if (status === 409) return transientFailure(FailureType.Conflict, message, details);
  if (status === 429) return transientFailure(FailureType.RateLimited, message, details, retryAfter);
  if (status === 408 || status === 504) return transientFailure(FailureType.Timeout, message, details);
  if (status >= 500) return transientFailure(FailureType.Unavailable, message, details, retryAfter);
  return permanentFailure(FailureType.Validation, message, details);
}

/** Map any axios error to a typed ApplicationFailure; `context` names the call without PHI. */
export function failureFromAxios(err: unknown, context: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (isAxiosError(err)) {
    const e = err as AxiosError;
    if (e.response) {
      const ra = retryAfterMs(e.response.headers?.['retry-after']);
      return failureFromStatus(e.response.status, `${context}: HTTP ${e.response.status}`, safeBody(e.response.data), ra);
    }
    if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || /timeout/i.test(e.message)) {
      return transientFailure(FailureType.Timeout, `${context}: timed out`);
    }
    return transientFailure(FailureType.Unavailable, `${context}: network error ${e.code ?? e.message}`);
  }
  const code = (err as { code?: string })?.code;
  if (code && NETWORK_CODES.has(code)) return transientFailure(FailureType.Unavailable, `${context}: network error ${code}`);
  return transientFailure(FailureType.Unavailable, `${context}: ${(err as Error)?.message ?? String(err)}`);
}

function safeBody(data: unknown): unknown {
  // Upstream error bodies may echo request fields; keep only a bounded, structural excerpt.
  if (data && typeof data === 'object') {
    const { error, message, name, code } = data as Record<string, unknown>;
    return { error, message, name, code };
  }
  return typeof data === 'string' ? data.slice(0, 300) : undefined;
}
