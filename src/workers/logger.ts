import type { LogLevel as SdkLogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import type { LogLevel } from '../config';

/**
 * Structured JSON logs: one line per event, `{ ts, level, msg, correlationId?, ...fields }`. The correlation id is
 * the caller's `correlationId`, else the workflow (journey) id, PHI-free by construction: `referral/<site>/<referral>`.
 * Caller fields named `ts` or `level` are kept as `event_ts` / `event_level`.
 * Fields whose names suggest PHI are redacted, whatever the caller passes; errors keep their type and message.
 */
export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Key names that may carry PHI; values under them are never written. */
const PHI_KEYS =
  /^(patient(name)?|name|first_?name|last_?name|given|family|dob|birth_?date|date_?of_?birth|member_?id|subscriber(_?id)?|ssn|mrn|address|phone|email|notes?|diagnosis|payload|payloads|args|arguments|input|result|body|headers|header_?fields|details|memo)$/i;
const MAX_DEPTH = 4;
const MAX_STRING = 2000;

function scrub(value: unknown, depth: number): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message.slice(0, MAX_STRING) };
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  // Raw bytes are payload data (decoded inside the worker): never written.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return '[bytes]';
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = PHI_KEYS.test(k) ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** fields on every line (service, taskQueue, …) */
  base?: Record<string, unknown>;
  /** where lines go (default stdout) */
  write?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const write = opts.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = opts.now ?? (() => new Date());
  const base = opts.base ?? {};
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < RANK[level]) return;
    const merged = { ...base, ...(fields ?? {}) } as Record<string, unknown>;
    const correlationId = merged.correlationId ?? merged.workflowId ?? merged.journeyId;
    delete merged.correlationId;
    delete merged.msg;
    // Caller fields never overwrite the envelope: a notification's `level` becomes `event_level`.
    for (const reserved of ['ts', 'level']) {
      if (reserved in merged) {
        merged[`event_${reserved}`] = merged[reserved];
        delete merged[reserved];
      }
    }
    const entry = { ts: now().toISOString(), level: lvl, msg, ...(correlationId ? { correlationId } : {}), ...(scrub(merged, 0) as object) };
    try {
      write(JSON.stringify(entry));
    } catch {
      write(JSON.stringify({ ts: entry.ts, level: lvl, msg, error: 'unserializable log fields' }));
    }
  };
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...opts, level, base: { ...base, ...fields } }),
  };
}

const FROM_SDK: Record<SdkLogLevel, LogLevel> = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** Adapter so `Runtime.install({ logger })` (SDK, workflow and activity context loggers) writes our JSON lines. */
export function temporalLogger(logger: Logger): SdkLogger {
  const forward = (level: SdkLogLevel, message: string, meta?: LogMetadata) => logger[FROM_SDK[level]](message, meta);
  return {
    log: forward,
    trace: (m, meta) => forward('TRACE', m, meta),
    debug: (m, meta) => forward('DEBUG', m, meta),
    info: (m, meta) => forward('INFO', m, meta),
    warn: (m, meta) => forward('WARN', m, meta),
    error: (m, meta) => forward('ERROR', m, meta),
  };
}

/** The notify activities' `log` sink: a JSON line per call. */
export function activityLogSink(logger: Logger): (entry: Record<string, unknown>) => void {
  return (entry) => {
    const { msg, ...rest } = entry;
    logger.info(typeof msg === 'string' ? msg : 'event', rest);
  };
}
