/**
 * Odoo failures → typed ApplicationFailures (src/activities/errors.ts). JSON-RPC reports every error with
 * HTTP 200 and the Python exception class in `error.data.name`; JSON-2 reports it with an HTTP status and
 * the class in `name`. We classify on the class name (JSON-RPC) or the status (JSON-2), never on messages.
 */
import type { ApplicationFailure } from '@temporalio/common';
import { FailureType, failureFromStatus, permanentFailure, transientFailure } from '../errors';

export type OdooErrorClass = 'authentication' | 'access' | 'validation' | 'not_found' | 'conflict' | 'other';

const EXACT: Record<string, OdooErrorClass> = {
  'odoo.exceptions.AccessDenied': 'authentication',
  'werkzeug.exceptions.Unauthorized': 'authentication',
  'odoo.http.SessionExpiredException': 'authentication',
  'odoo.exceptions.AccessError': 'access',
  'werkzeug.exceptions.Forbidden': 'access',
  'odoo.exceptions.UserError': 'validation',
  'odoo.exceptions.ValidationError': 'validation',
  'odoo.exceptions.RedirectWarning': 'validation',
  'odoo.exceptions.except_orm': 'validation',
  'werkzeug.exceptions.BadRequest': 'validation',
  'werkzeug.exceptions.UnprocessableEntity': 'validation',
  // Programming errors (bad field, bad arguments, unknown method): a retry sends the same request again.
  'builtins.ValueError': 'validation',
  'builtins.TypeError': 'validation',
  'builtins.AttributeError': 'validation',
  'builtins.KeyError': 'validation',
  'odoo.exceptions.MissingError': 'not_found',
  'werkzeug.exceptions.NotFound': 'not_found',
  'odoo.exceptions.LockError': 'conflict',
  'odoo.exceptions.ConcurrencyError': 'conflict',
};

/** psycopg2/psycopg transaction conflicts that escaped Odoo's own retry loop. */
const CONFLICT_PG = /^psycopg2?\.(errors|extensions)\.(SerializationFailure|TransactionRollbackError|LockNotAvailable|DeadlockDetected)$/;

export function classifyOdooErrorName(name: unknown): OdooErrorClass {
  if (typeof name !== 'string') return 'other';
  if (EXACT[name]) return EXACT[name];
  if (CONFLICT_PG.test(name)) return 'conflict';
  return 'other';
}

export interface OdooFailureDetails {
  odooError: string | null;
  status: number;
  model?: string;
  method?: string;
  protocol: 'jsonrpc' | 'json2';
  /** Only when the client is created with `exposeMessages: true` (Odoo messages may echo record data). */
  odooMessage?: string;
}

function shortName(name: unknown): string {
  return typeof name === 'string' && name ? name.split('.').pop()! : 'UnknownError';
}

/** JSON-RPC `error.data` (HTTP 200) → failure, by exception class. */
export function failureFromJsonRpcError(data: { name?: unknown; message?: unknown } | undefined, context: string, details: OdooFailureDetails): ApplicationFailure {
  const name = data?.name;
  const message = `${context}: ${shortName(name)}`;
  switch (classifyOdooErrorName(name)) {
    case 'authentication':
      return permanentFailure(FailureType.Authentication, message, details);
    case 'access':
      return permanentFailure(FailureType.Access, message, details);
    case 'validation':
      return permanentFailure(FailureType.Validation, message, details);
    case 'not_found':
      return permanentFailure(FailureType.NotFound, message, details);
    case 'conflict':
      return transientFailure(FailureType.Conflict, message, details);
    default:
      return transientFailure(FailureType.Unavailable, message, details);
  }
}

/**
 * JSON-2 error (HTTP status + body) → failure, by status (shared failureFromStatus). A 500 is refined by the
 * exception class when Odoo tells us it was a transaction conflict or a programming error.
 */
export function failureFromJson2Error(status: number, body: { name?: unknown } | undefined, context: string, details: OdooFailureDetails, retryAfterMs?: number): ApplicationFailure {
  const name = body?.name;
  const message = `${context}: HTTP ${status}${name ? ` ${shortName(name)}` : ''}`;
  if (status === 500) {
    const cls = classifyOdooErrorName(name);
    if (cls === 'conflict') return transientFailure(FailureType.Conflict, message, details);
    if (cls === 'validation') return permanentFailure(FailureType.Validation, message, details);
  }
  return failureFromStatus(status, message, details, retryAfterMs);
}
