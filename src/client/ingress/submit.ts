import { z } from 'zod';
import { FHIR_JSON, readPriorAuthBundle } from '../../activities/payer/fhir';
import { IdSchema, MessageIdSchema } from '../../domain/schemas/common';
import type { PayerMessage } from '../../domain/schemas/decisions';
import type { DeadLetterStore } from '../deadLetters';
import { ClaimNotMatchedError, DecisionRefusedError, JourneyClosedError, JourneyInputError, JourneyNotFoundError, JourneyUnavailableError, RemittanceParseError, safeIssueMessage } from '../errors';
import type { DeliveryMode, JourneyClient } from '../journeyClient';

/**
 * What each ingress route does once the request is authentic: parse, validate, hand to the journey client. Shared by
 * the HTTP handlers and `rcm dlq redrive` (which re-submits a stored request through exactly this path).
 */
export const ROUTES = {
  referrals: '/v1/referrals',
  eligibility: '/v1/payer/eligibility',
  priorAuth: '/v1/payer/prior-auth-decisions',
  claimStatus: '/v1/payer/claim-status',
  remittances: '/v1/payer/remittances',
  pasNotifications: '/v1/payer/pas-notifications',
} as const;
export type IngressRoute = (typeof ROUTES)[keyof typeof ROUTES];

const PAYER_ROUTE_KIND: Partial<Record<IngressRoute, Exclude<PayerMessage['kind'], 'remittance'>>> = {
  [ROUTES.eligibility]: 'eligibility',
  [ROUTES.priorAuth]: 'prior_auth',
  [ROUTES.claimStatus]: 'claim_status',
};

export const JSON_TYPES = ['application/json', FHIR_JSON];
export const X12_TYPES = ['text/plain', 'application/edi-x12'];

export function acceptedContentTypes(route: IngressRoute): string[] {
  return route === ROUTES.remittances ? X12_TYPES : JSON_TYPES;
}

/** A request the ingress took in (also the dead-letter payload of ingress requests). */
export interface IngressSubmission {
  route: IngressRoute;
  contentType?: string;
  body: string;
  sender?: string;
  idempotencyKey?: string;
  /** query string parameters (siteId / referralId for PAS notifications) */
  query?: Record<string, string>;
  /** x-rcm-file-id of an 835 delivery */
  fileId?: string;
}

export interface SubmitContext {
  journeys: JourneyClient;
  deadLetters: DeadLetterStore;
  correlationId: string;
  /** how payer JSON messages are delivered (default update with a bounded wait, then signal) */
  delivery?: { mode?: DeliveryMode; timeoutMs?: number };
  /** how long a referral waits for the journey's receipt before answering 202 receipt pending (default 5 s) */
  startTimeoutMs?: number;
  /** how 835 claims are delivered (default signal: a big file must not hold the HTTP request for minutes) */
  remittanceMode?: DeliveryMode;
  now?: () => Date;
}

/** A refusal with the HTTP status, stable error code, message (no values) and optional field path. */
export class IngressError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'IngressError';
  }
}

export interface SubmitResult {
  status: number;
  body: Record<string, unknown>;
}

const PayerEnvelopeSchema = z.object({ siteId: IdSchema, referralId: IdSchema, payload: z.record(z.unknown()) }).strict();

export async function submitIngress(sub: IngressSubmission, ctx: SubmitContext): Promise<SubmitResult> {
  try {
    return await dispatch(sub, ctx);
  } catch (err) {
    throw toIngressError(err);
  }
}

async function dispatch(sub: IngressSubmission, ctx: SubmitContext): Promise<SubmitResult> {
  const { journeys, correlationId } = ctx;
  if (sub.route === ROUTES.remittances) {
    const summary = await journeys.ingestRemittance(sub.body, {
      correlationId,
      deadLetters: ctx.deadLetters,
      source: `ingress:${sub.route}`,
      mode: ctx.remittanceMode ?? 'signal',
    });
    return { status: 202, body: { accepted: true, ...(sub.fileId ? { fileId: sub.fileId } : {}), summary } };
  }

  const json = parseJson(sub.body);
  if (sub.route === ROUTES.referrals) {
    const started = await journeys.startJourney(json, { correlationId, timeoutMs: ctx.startTimeoutMs ?? 5000 });
    // receiptPending: no worker answered in time, but the journey exists and holds the referral (it will proceed).
    return { status: 202, body: { accepted: true, ...started, receiptPending: started.receiptPending === true, duplicate: started.receipt?.duplicate === true } };
  }

  if (sub.route === ROUTES.pasNotifications) {
    const { address, message } = await pasNotification(json, sub, ctx);
    const delivered = await journeys.deliverPayerMessage(address, message, { ...ctx.delivery, correlationId });
    return { status: 202, body: { accepted: true, messageId: message.payload.messageId, ...delivered, duplicate: delivered.receipt?.duplicate === true } };
  }

  const kind = PAYER_ROUTE_KIND[sub.route];
  if (!kind) throw new IngressError(404, 'not_found', `no route ${sub.route}`);
  const envelope = PayerEnvelopeSchema.safeParse(json);
  if (!envelope.success) throw JourneyInputError.fromZod('request body', envelope.error);
  const payload = sub.idempotencyKey ? { ...envelope.data.payload, messageId: sub.idempotencyKey } : envelope.data.payload;
  const address = { siteId: envelope.data.siteId, referralId: envelope.data.referralId };
  const delivered = await journeys.deliverPayerMessage(address, { kind, payload }, { ...ctx.delivery, correlationId });
  return { status: 202, body: { accepted: true, messageId: payload.messageId, ...delivered, duplicate: delivered.receipt?.duplicate === true } };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new IngressError(400, 'invalid_json', 'request body is not valid JSON', '');
  }
}

/**
 * The payer emulator's prior-auth decision webhook: a FHIR PAS response Bundle (ClaimResponse with the X12 278 review
 * action), no journey address. The journey is found from `?siteId=&referralId=` when the webhook URL carries them,
 * else from the ClaimResponse's authRequestId (`PA-<referralId>-<attempt>`, the journey's convention) plus a search of
 * the running journeys in the prior_auth stage for that referral id (the sender's own first; `?siteId=` skips it).
 */
async function pasNotification(json: unknown, sub: IngressSubmission, ctx: SubmitContext): Promise<{ address: { siteId: string; referralId: string }; message: PayerMessage }> {
  const read = readPriorAuthBundle(json);
  if (read === null) throw new IngressError(400, 'invalid_payload', 'Bundle carries no ClaimResponse', 'entry');
  if (typeof read === 'string') throw new IngressError(400, 'invalid_payload', read, 'entry');
  if (read instanceof z.ZodError) throw JourneyInputError.fromZod('PAS bundle', read);
  if (!read.authRequestId) throw new IngressError(400, 'invalid_payload', 'ClaimResponse.request.identifier (authRequestId) is required', 'entry.resource.request.identifier');
  const messageId = sub.idempotencyKey ?? `pas:${read.trackingId}:${read.decision.action}`;
  if (!MessageIdSchema.safeParse(messageId).success) throw new IngressError(400, 'invalid_payload', 'tracking id is not a valid message id', 'entry.resource.preAuthRef');
  const message: PayerMessage = {
    kind: 'prior_auth',
    payload: {
      messageId,
      authRequestId: read.authRequestId,
      action: read.decision.action,
      ...(read.decision.authNumber ? { authNumber: read.decision.authNumber } : {}),
      ...(read.decision.approvedUnits !== undefined ? { approvedUnits: read.decision.approvedUnits } : {}),
      reasons: read.decision.reasons,
      requestedDocuments: read.decision.requestedDocuments,
      decidedAt: (ctx.now?.() ?? new Date()).toISOString(),
    },
  };
  const query = sub.query ?? {};
  const referralId = query.referralId ?? /^PA-(.+)-\d+$/.exec(read.authRequestId)?.[1];
  if (!referralId) throw new IngressError(400, 'unknown_journey', 'cannot tell the referral from the authRequestId; add ?siteId=&referralId= to the webhook URL', 'entry.resource.request.identifier');
  if (query.siteId) return { address: { siteId: query.siteId, referralId }, message };
  // Journeys waiting for a PA decision sit in the prior_auth stage; prefer the sender's own journeys when ids clash.
  const inPriorAuth = (await ctx.journeys.list({ stage: 'prior_auth', executionStatus: 'Running', limit: 1000 })).filter((j) => j.journeyId.endsWith(`/${referralId}`));
  const fromSender = inPriorAuth.filter((j) => j.payerId === sub.sender);
  const candidates = fromSender.length > 0 ? fromSender : inPriorAuth;
  if (candidates.length !== 1) {
    throw new IngressError(
      candidates.length === 0 ? 404 : 409,
      candidates.length === 0 ? 'unknown_journey' : 'ambiguous_journey',
      `${candidates.length} journeys waiting for a prior-auth decision match the authRequestId; add ?siteId= to the webhook URL`,
    );
  }
  const siteId = candidates[0].journeyId.split('/')[1];
  return { address: { siteId, referralId }, message };
}

/** Client errors → HTTP refusals; anything unknown stays an error (→ 503, retryable). */
export function toIngressError(err: unknown): unknown {
  if (err instanceof IngressError) return err;
  if (err instanceof JourneyInputError) return new IngressError(400, 'invalid_payload', err.message, err.path);
  if (err instanceof RemittanceParseError) {
    const where = err.segmentIndex !== undefined ? `segment ${err.segmentIndex}${err.segmentId ? ` (${err.segmentId}${err.element ? `/${err.element}` : ''})` : ''}` : '';
    return new IngressError(400, 'invalid_x12', err.message, where);
  }
  if (err instanceof DecisionRefusedError) return new IngressError(422, 'refused', err.message);
  if (err instanceof JourneyClosedError) return new IngressError(409, 'journey_closed', err.message);
  if (err instanceof JourneyNotFoundError) return new IngressError(404, 'unknown_journey', err.message);
  if (err instanceof JourneyUnavailableError) return new IngressError(503, 'receipt_unavailable', `${err.message}; retry later`);
  if (err instanceof ClaimNotMatchedError) return new IngressError(404, err.reason, err.message);
  return err;
}

/** Idempotency-Key header: must be a valid message id. */
export function checkIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const r = MessageIdSchema.safeParse(value);
  if (!r.success) throw new IngressError(400, 'invalid_header', `Idempotency-Key ${safeIssueMessage(r.error.issues[0])}: 1-128 characters of [A-Za-z0-9._:|-]`, 'headers.idempotency-key');
  return value;
}
