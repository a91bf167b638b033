import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { inServerSpan } from '../../observability/http';
import { correlationIdFrom } from '../correlation';
import type { DeadLetterStore } from '../deadLetters';
import type { DeliveryMode, JourneyClient } from '../journeyClient';
import { IdempotencyCache, type StoredAnswer } from './idempotency';
import { ReplayCache } from './replayCache';
import { verifySignature } from './signature';
import { IngressError, ROUTES, acceptedContentTypes, checkIdempotencyKey, submitIngress, type IngressRoute, type IngressSubmission } from './submit';

/**
 * HTTP ingress (Fastify): signed webhooks and intake in, journey client calls out.
 *
 * Every POST: body limit (413) → HMAC signature + timestamp tolerance (401) → Idempotency-Key (a retry under the same
 * key gets the first answer, header `idempotent-replayed: true`; another body under it is 422) → replay cache (409)
 * → content type (415) → JSON / schema (400 with the field path) → delivery. A referral no worker answers within
 * `startTimeoutMs` is 202 with `receiptPending: true` (the journey is started and holds it). Refusals answer `{ error, message, path?, correlationId }` and
 * the request is stored in the dead-letter store with the reason. A payer message for a journey that does not exist yet
 * is delivered with update-with-start (the journey waits for its referral), never dropped.
 *
 * The correlation id (`x-correlation-id` if it is a safe token, else a UUID) is echoed in the response header, logged,
 * and sent to Temporal as the `rcm-correlation-id` header on the start/update/signal (and the start memo).
 * Logs are one structured line per request: route, sender, status, outcome, correlation id — never bodies (PHI).
 */
export interface IngressOptions {
  journeys: JourneyClient;
  /** sender id → shared secret */
  senders: Readonly<Record<string, string>>;
  deadLetters: DeadLetterStore;
  /** timestamp tolerance and replay-cache TTL (default 5 minutes) */
  toleranceMs?: number;
  /** largest accepted body in bytes (default 1 MiB) */
  bodyLimit?: number;
  /** replay cache bound (default 100 000 signatures) */
  replayCacheSize?: number;
  /** Fastify/pino logger options: false (default) = silent; `{ level, stream }` for JSON lines */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  /** payer JSON messages: default update-with-start, waiting at most 4 s for the journey's receipt, then signal */
  delivery?: { mode?: DeliveryMode; timeoutMs?: number };
  /**
   * referrals: how long to wait for the journey's receipt before answering 202 `receiptPending: true` (default 5 s).
   * The journey exists and holds the referral by then, so no worker (deploy, crash loop) never hangs the caller.
   */
  startTimeoutMs?: number;
  /** how long an answer is kept for retries under the same Idempotency-Key (default 24 h) */
  idempotencyTtlMs?: number;
  /** 835 claims: default signal-with-start */
  remittanceMode?: DeliveryMode;
  now?: () => number;
}

const OPENAPI_FILE = path.resolve(__dirname, '../../../docs/openapi.json');

export function loadOpenApi(): unknown {
  return JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8'));
}

declare module 'fastify' {
  interface FastifyRequest {
    rcm?: { route?: string; sender?: string; outcome?: string; journeyId?: string };
  }
}

export async function createIngress(opts: IngressOptions): Promise<FastifyInstance> {
  const toleranceMs = opts.toleranceMs ?? 5 * 60_000;
  const bodyLimit = opts.bodyLimit ?? 1024 * 1024;
  const now = opts.now ?? Date.now;
  const replays = new ReplayCache({ ttlMs: toleranceMs, maxEntries: opts.replayCacheSize, now });
  const answers = new IdempotencyCache({ ttlMs: opts.idempotencyTtlMs ?? 24 * 3600_000, maxEntries: opts.replayCacheSize, now });
  const openapi = loadOpenApi();
  const { deadLetters, journeys } = opts;

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit,
    // Fastify's own request lines would log URLs and errors verbatim; we write one sanitised line per request instead.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlationId' }),
    requestIdHeader: false,
    genReqId: (req) => correlationIdFrom(req.headers['x-correlation-id']),
  });

  // Keep every body as the raw text: signatures are over the bytes as received, and JSON is parsed after.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    req.rcm = {};
    reply.header('x-correlation-id', req.id);
  });

  app.addHook('onResponse', async (req, reply) => {
    if (!req.rcm?.route) return;
    req.log.info(
      { route: req.rcm.route, sender: req.rcm.sender, status: reply.statusCode, outcome: req.rcm.outcome, journeyId: req.rcm.journeyId, ms: Math.round(reply.elapsedTime) },
      'ingress request',
    );
  });

  /** Dead-letters a refused request and builds its answer (the caller sends it). */
  async function refusal(req: FastifyRequest, err: IngressError, payload: unknown): Promise<StoredAnswer> {
    req.rcm = { ...req.rcm, outcome: err.error };
    let deadLetterId: string | undefined;
    try {
      deadLetterId = (await deadLetters.add({ source: `ingress:${req.rcm.route ?? req.url}`, reason: err.error, error: err.message, correlationId: req.id, payload })).id;
    } catch (dlqErr) {
      req.log.error({ err: (dlqErr as Error).message }, 'dead-letter store write failed');
    }
    return {
      status: err.status,
      body: {
        error: err.error,
        message: err.message,
        ...(err.path !== undefined ? { path: err.path } : {}),
        correlationId: req.id,
        ...(deadLetterId ? { deadLetterId } : {}),
      },
    };
  }

  async function refuse(req: FastifyRequest, reply: FastifyReply, err: IngressError, payload: unknown): Promise<FastifyReply> {
    const a = await refusal(req, err, payload);
    return reply.code(a.status).send(a.body);
  }

  app.setErrorHandler(async (error: Error & { code?: string; statusCode?: number }, req, reply) => {
    const route = req.rcm?.route ?? req.routeOptions?.url ?? req.url;
    req.rcm = { ...req.rcm, route };
    const meta = { route, contentType: req.headers['content-type'], contentLength: req.headers['content-length'], sender: req.headers['x-rcm-sender'], body: null };
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
      return refuse(req, reply, new IngressError(413, 'body_too_large', `request body exceeds ${bodyLimit} bytes`), { ...meta, note: 'body not retained: over the limit' });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return refuse(req, reply, new IngressError(error.statusCode, 'bad_request', error.code ?? 'bad request'), meta);
    }
    req.log.error({ err: error.message, code: error.code }, 'ingress failure');
    return refuse(req, reply, new IngressError(500, 'internal_error', 'internal error'), meta);
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/openapi.json', async () => openapi);

  // Each POST is a SERVER span carrying the correlation id: the trace continues through the journey client's calls.
  const post = (route: IngressRoute) =>
    app.post(route, (req, reply) =>
      inServerSpan({ route, method: 'POST', headers: req.headers, correlationId: req.id }, () => receive(route, req, reply), () => reply.statusCode),
    );

  async function receive(route: IngressRoute, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    req.rcm = { route };
    const rawBody = typeof req.body === 'string' ? req.body : '';
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const submission: IngressSubmission = {
      route,
      contentType,
      body: rawBody,
      ...stringHeader(req, 'x-rcm-sender', 'sender'),
      ...stringHeader(req, 'idempotency-key', 'idempotencyKey'),
      ...stringHeader(req, 'x-rcm-file-id', 'fileId'),
      ...(req.query && typeof req.query === 'object' && Object.keys(req.query).length > 0 ? { query: stringRecord(req.query as Record<string, unknown>) } : {}),
    };

    const check = verifySignature({ headers: req.headers, rawBody, senders: opts.senders, toleranceMs, nowMs: now() });
    if (!check.ok) {
      req.rcm.sender = check.sender && Object.prototype.hasOwnProperty.call(opts.senders, check.sender) ? check.sender : undefined;
      return refuse(req, reply, new IngressError(401, check.reason, check.message), submission);
    }
    req.rcm.sender = check.sender;
    try {
      checkIdempotencyKey(submission.idempotencyKey);
    } catch (err) {
      return refuse(req, reply, err as IngressError, submission);
    }

    // A retry under the same Idempotency-Key (re-sent bytes, or re-signed) gets the first request's answer.
    let settle: ((a: StoredAnswer | undefined) => void) | undefined;
    if (submission.idempotencyKey !== undefined) {
      const scope = `${check.sender}\n${route}\n${submission.idempotencyKey}`;
      for (;;) {
        const found = answers.begin(scope, rawBody);
        if (found.kind === 'conflict') {
          return refuse(req, reply, new IngressError(422, 'idempotency_key_reused', 'this Idempotency-Key was used with a different body', 'headers.idempotency-key'), submission);
        }
        if (found.kind === 'new') {
          settle = found.settle;
          break;
        }
        const first = await found.answer;
        if (first) {
          req.rcm.outcome = 'idempotent_replay';
          if (typeof first.body.journeyId === 'string') req.rcm.journeyId = first.body.journeyId;
          return reply.code(first.status).header('idempotent-replayed', 'true').send({ ...first.body, correlationId: req.id });
        }
      }
    }
    let answer: StoredAnswer | undefined;
    try {
      answer = await handle(req, submission, `${check.sender}:${check.signature}`);
      return reply.code(answer.status).send(answer.body);
    } finally {
      settle?.(answer);
    }
  }

  async function handle(req: FastifyRequest, submission: IngressSubmission, replayKey: string): Promise<StoredAnswer> {
    if (!replays.checkAndAdd(replayKey)) {
      return refusal(req, new IngressError(409, 'replay', 'this signed request was already received'), submission);
    }
    try {
      if (!acceptedContentTypes(submission.route).includes(submission.contentType ?? '')) {
        throw new IngressError(415, 'unsupported_media_type', `content type must be one of ${acceptedContentTypes(submission.route).join(', ')}`);
      }
      const result = await submitIngress(submission, {
        journeys,
        deadLetters,
        correlationId: req.id,
        delivery: { mode: opts.delivery?.mode ?? 'update', timeoutMs: opts.delivery?.timeoutMs ?? 4000 },
        remittanceMode: opts.remittanceMode,
        startTimeoutMs: opts.startTimeoutMs ?? 5000,
      });
      req.rcm = { ...req.rcm, outcome: result.body.receiptPending === true ? 'accepted_receipt_pending' : 'accepted' };
      if (typeof result.body.journeyId === 'string') req.rcm.journeyId = result.body.journeyId;
      return { status: result.status, body: { ...result.body, correlationId: req.id } };
    } catch (err) {
      // Temporal unreachable, no worker for a journey that cannot hold the referral yet: retryable. Forget the
      // signature so the sender's retry of the same bytes is not a "replay".
      if (!(err instanceof IngressError) || err.status >= 500) replays.delete(replayKey);
      if (err instanceof IngressError) return refusal(req, err, submission);
      req.log.error({ err: (err as Error).message }, 'delivery failed');
      return refusal(req, new IngressError(503, 'delivery_failed', 'could not deliver to the journey; retry later'), submission);
    }
  }

  for (const route of Object.values(ROUTES)) post(route);
  await app.ready();
  return app;
}

function stringHeader<K extends string>(req: FastifyRequest, name: string, key: K): { [P in K]?: string } {
  const v = req.headers[name];
  return (typeof v === 'string' ? { [key]: v } : {}) as { [P in K]?: string };
}

function stringRecord(q: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
