import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { rolesForSite, type DecisionsConfig } from '../../config/decisions';
import { journeyWorkflowId } from '../../domain/ids';
import { ID_PATTERN, type Role } from '../../domain/schemas/common';
import { correlationIdFrom } from '../correlation';
import type { JourneyClient } from '../journeyClient';
import { AuthError, createTokenVerifier, type TokenVerifier, type VerifiedIdentity } from './auth';
import { DecisionHttpError, decide, httpErrorFrom } from './decide';
import { DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from '../../domain/approvals/policy';
import { countQueue, listQueuePage, queueById, queuesFor } from './inbox';
import { errorPage, inboxPage, journeyPage, statusPanel } from './pages';
import { allowedDecisions } from './policy';
import { SESSION_COOKIE, SessionStore, cookieValue, safeReturnTo, type Session } from './session';

/**
 * The decisions service: the one door for human decisions. JSON API under /api (OIDC bearer tokens) and the inbox
 * pages (the same identity through an authorization-code + PKCE login, token kept server-side). Refusals:
 * 401 no / invalid / expired / wrong-issuer / wrong-audience / unsigned token; 403 a valid user without a role that
 * may make the decision (the roles are named); 409 the journey's policy refused (its message); 400 bad input.
 */
export interface DecisionsServiceOptions {
  config: DecisionsConfig;
  journeys: JourneyClient;
  /** the Temporal client (visibility counts and pages for the inbox) */
  client: Client;
  verifier?: TokenVerifier;
  /** site ids offered in the inbox's site filter */
  sites?: string[];
  /** the site's approval policy (limits per role) for "approvals I may decide"; default: the product defaults */
  approvalPolicyFor?: (siteId: string | undefined) => ApprovalPolicy;
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
}

const HTMX = require.resolve('htmx.org/dist/htmx.min.js');

declare module 'fastify' {
  interface FastifyRequest {
    identity?: VerifiedIdentity;
    session?: Session;
  }
}

const TokenResponseSchema = z.object({ access_token: z.string().min(1) }).passthrough();

export async function createDecisionsService(opts: DecisionsServiceOptions): Promise<FastifyInstance> {
  const { config, journeys, client } = opts;
  const verifier = opts.verifier ?? createTokenVerifier(config);
  const sessions = new SessionStore();
  const redirectUri = `${config.publicUrl}/callback`;
  const htmx = fs.readFileSync(HTMX);

  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 64 * 1024, forceCloseConnections: true, genReqId: (req) => correlationIdFrom(req.headers['x-correlation-id']) });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const policyFor = opts.approvalPolicyFor ?? (() => DEFAULT_APPROVAL_POLICY);
  const siteRoles = (identity: VerifiedIdentity, siteId: string | undefined): Role[] => rolesForSite(config.roleMap, siteId ?? '*', identity.idpRoles);
  const authError = (reply: FastifyReply, err: AuthError) =>
    reply
      .code(401)
      .header('www-authenticate', `Bearer realm="rcm-decisions", error="invalid_token", error_description="${err.reason}"`)
      .send({ error: err.reason, message: err.message });
  const sendError = (reply: FastifyReply, err: DecisionHttpError) => reply.code(err.status).send({ error: err.error, message: err.message, ...err.extra });

  app.setErrorHandler(async (error: Error & { statusCode?: number }, req, reply) => {
    if (error instanceof AuthError) return authError(reply, error);
    if (error instanceof DecisionHttpError) return sendError(reply, error);
    if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ error: 'bad_request', message: error.message });
    req.log.error({ err: error.message }, 'decisions service failure');
    return reply.code(500).send({ error: 'internal_error', message: 'internal error' });
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/static/htmx.min.js', async (_req, reply) => reply.type('application/javascript').header('cache-control', 'public, max-age=86400').send(htmx));

  // ---------------------------------------------------------------------------------------------------------------
  // JSON API (bearer tokens)

  const bearer = async (req: FastifyRequest): Promise<VerifiedIdentity> => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new AuthError('missing_token', 'a bearer token is required (Authorization: Bearer <token>)');
    return verifier.verify(m[1]);
  };

  app.get('/api/oidc', async () => {
    const d = await verifier.discovery();
    return { issuer: config.issuer, audience: config.audience, cliClientId: config.cliClientId, tokenEndpoint: d.token_endpoint, deviceAuthorizationEndpoint: d.device_authorization_endpoint };
  });

  app.get('/api/me', async (req) => {
    const identity = await bearer(req);
    return { actorId: identity.actorId, subject: identity.subject, issuer: identity.issuer, username: identity.username, roles: siteRoles(identity, undefined), expiresAt: new Date(identity.expiresAt * 1000).toISOString() };
  });

  app.post<{ Params: { siteId: string; referralId: string; type: string } }>('/api/journeys/:siteId/:referralId/decisions/:type', async (req, reply) => {
    const identity = await bearer(req);
    const result = await decide(journeys, config.roleMap, { identity, siteId: req.params.siteId, referralId: req.params.referralId, type: req.params.type, body: req.body ?? {}, correlationId: req.id });
    req.log.info({ journeyId: result.journeyId, decision: req.params.type, actor: result.actorId, role: result.role }, 'decision accepted');
    return reply.code(200).send({ ...result, correlationId: req.id });
  });

  const requireSiteRole = (identity: VerifiedIdentity, siteId: string) => {
    if (siteRoles(identity, siteId).length === 0) throw new DecisionHttpError(403, 'forbidden', `no role at site ${siteId}`, { requiredRoles: ['any role at the site'] });
  };
  const checkIds = (siteId: string, referralId: string) => {
    if (!ID_PATTERN.test(siteId) || !ID_PATTERN.test(referralId)) throw new DecisionHttpError(400, 'bad_request', 'site and referral ids must be 1-64 of [A-Za-z0-9._-]');
  };

  app.get<{ Params: { siteId: string; referralId: string } }>('/api/journeys/:siteId/:referralId', async (req) => {
    const identity = await bearer(req);
    checkIds(req.params.siteId, req.params.referralId);
    requireSiteRole(identity, req.params.siteId);
    const journeyId = journeyWorkflowId(req.params.siteId, req.params.referralId);
    try {
      const [status, timeline] = await Promise.all([journeys.status(journeyId), journeys.timeline(journeyId)]);
      return { status, timeline };
    } catch (err) {
      throw httpErrorFrom(err);
    }
  });

  app.get<{ Querystring: { site?: string; pageToken?: string; pageSize?: string } }>('/api/queues', async (req) => {
    const identity = await bearer(req);
    const site = siteParam(req.query.site);
    const queues = queuesFor(siteRoles(identity, site), policyFor(site));
    return { queues: await Promise.all(queues.map(async (q) => ({ id: q.id, label: q.label, count: await countQueue(client, q, site) }))) };
  });

  app.get<{ Params: { id: string }; Querystring: { site?: string; pageToken?: string; pageSize?: string } }>('/api/queues/:id', async (req) => {
    const identity = await bearer(req);
    const site = siteParam(req.query.site);
    const queue = queueById(req.params.id, queuesFor(siteRoles(identity, site), policyFor(site)));
    if (!queue) throw new DecisionHttpError(404, 'not_found', `no queue ${req.params.id}`);
    const pageSize = req.query.pageSize ? Number(req.query.pageSize) : 25;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new DecisionHttpError(400, 'bad_request', 'pageSize must be 1-100');
    return listQueuePage(client, queue, { siteId: site, pageSize, ...(req.query.pageToken ? { pageToken: req.query.pageToken } : {}) });
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Browser login: authorization code + PKCE against the issuer; the token never reaches the browser.

  app.get<{ Querystring: { returnTo?: string } }>('/login', async (req, reply) => {
    const d = await verifier.discovery();
    const { state, codeChallenge } = sessions.begin(safeReturnTo(req.query.returnTo));
    const url = new URL(d.authorization_endpoint);
    const params = { client_id: config.inboxClientId, response_type: 'code', redirect_uri: redirectUri, scope: 'openid profile decisions', state, code_challenge: codeChallenge, code_challenge_method: 'S256', resource: config.audience };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return reply.redirect(url.toString(), 302);
  });

  app.get<{ Querystring: { code?: string; state?: string; error?: string } }>('/callback', async (req, reply) => {
    const pending = req.query.state ? sessions.take(req.query.state) : undefined;
    if (req.query.error || !req.query.code || !pending) {
      return reply.code(401).type('text/html').send(errorPage(401, 'Sign-in failed', req.query.error ? `The issuer answered: ${req.query.error}` : 'The sign-in was not started here or has expired; sign in again.'));
    }
    const d = await verifier.discovery();
    const res = await fetch(d.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: req.query.code, redirect_uri: redirectUri, client_id: config.inboxClientId, code_verifier: pending.codeVerifier, resource: config.audience }),
      signal: AbortSignal.timeout(10_000),
    });
    const parsed = TokenResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (!res.ok || !parsed.success) return reply.code(401).type('text/html').send(errorPage(401, 'Sign-in failed', `The issuer refused the code (HTTP ${res.status}).`));
    let identity: VerifiedIdentity;
    try {
      identity = await verifier.verify(parsed.data.access_token);
    } catch (err) {
      if (err instanceof AuthError) return reply.code(401).type('text/html').send(errorPage(401, 'Sign-in failed', err.message));
      throw err;
    }
    const session = sessions.create(parsed.data.access_token, identity);
    reply.header('set-cookie', `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax${config.publicUrl.startsWith('https:') ? '; Secure' : ''}`);
    return reply.redirect(pending.returnTo, 303);
  });

  /** The page's identity from the session cookie, verified again (expiry ends the session), else a redirect to /login. */
  const pageIdentity = async (req: FastifyRequest, reply: FastifyReply): Promise<Session | undefined> => {
    const session = sessions.get(cookieValue(req.headers.cookie, SESSION_COOKIE));
    if (session) {
      try {
        session.identity = await verifier.verify(session.accessToken);
        return session;
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
        sessions.delete(session.id);
      }
    }
    if (req.method === 'GET' && !req.headers['hx-request']) await reply.redirect(`/login?returnTo=${encodeURIComponent(req.url)}`, 302);
    else await reply.code(401).type('text/html').send(errorPage(401, 'Signed out', 'Your session has ended; sign in again.'));
    return undefined;
  };

  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

  app.post('/logout', async (req, reply) => {
    const session = sessions.get(cookieValue(req.headers.cookie, SESSION_COOKIE));
    if (session && formField(req.body, 'csrf') === session.csrf) sessions.delete(session.id);
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    return reply.type('text/html').send(errorPage(200, 'Signed out', 'You are signed out of the inbox.').replace('class="alert err"', 'class="alert ok"'));
  });

  app.get('/', async (_req, reply) => reply.redirect('/inbox', 302));

  app.get<{ Querystring: { site?: string; queue?: string; page?: string } }>('/inbox', async (req, reply) => {
    const session = await pageIdentity(req, reply);
    if (!session) return reply;
    const site = siteParam(req.query.site);
    const roles = siteRoles(session.identity, site);
    const queues = queuesFor(roles, policyFor(site));
    const mine = queues.find((q) => q.roles.some((r) => roles.includes(r)));
    const current = (req.query.queue && queueById(req.query.queue, queues)) || mine || queues[0];
    const [counts, page] = await Promise.all([
      Promise.all(queues.map(async (queue) => ({ queue, count: await countQueue(client, queue, site) }))),
      listQueuePage(client, current, { siteId: site, ...(req.query.page ? { pageToken: req.query.page } : {}) }),
    ]);
    return html(reply, 200, inboxPage({ who: session.identity, csrf: session.csrf, roles, ...(site ? { siteId: site } : {}), sites: opts.sites ?? [], queues: counts, current, page }));
  });

  type JourneyParams = { Params: { siteId: string; referralId: string } };
  const renderJourney = async (session: Session, siteId: string, referralId: string, notice?: { kind: 'ok' | 'err'; message: string }) => {
    const journeyId = journeyWorkflowId(siteId, referralId);
    const [status, timeline] = await Promise.all([journeys.status(journeyId), journeys.timeline(journeyId)]);
    return journeyPage({
      who: session.identity,
      csrf: session.csrf,
      siteId,
      referralId,
      status,
      timeline: timeline.slice().reverse(),
      allowed: allowedDecisions(siteRoles(session.identity, siteId)),
      temporalRunUrl: `${config.temporalUiUrl}/namespaces/${encodeURIComponent(client.options.namespace)}/workflows/${encodeURIComponent(journeyId)}`,
      ...(notice ? { notice } : {}),
    });
  };

  /** Page errors as HTML with the same statuses as the API. */
  const pageError = (reply: FastifyReply, session: Session, err: unknown) => {
    const e = httpErrorFrom(err);
    if (e instanceof DecisionHttpError) return html(reply, e.status, errorPage(e.status, e.error === 'not_found' ? 'Not found' : 'Refused', e.message, session.identity, session.csrf));
    throw e;
  };

  app.get<JourneyParams>('/journeys/:siteId/:referralId', async (req, reply) => {
    const session = await pageIdentity(req, reply);
    if (!session) return reply;
    try {
      checkIds(req.params.siteId, req.params.referralId);
      requireSiteRole(session.identity, req.params.siteId);
      const q = req.query as { done?: string };
      const notice = q.done ? { kind: 'ok' as const, message: `Decision recorded: ${q.done}` } : undefined;
      return html(reply, 200, await renderJourney(session, req.params.siteId, req.params.referralId, notice));
    } catch (err) {
      return pageError(reply, session, err);
    }
  });

  app.get<JourneyParams>('/journeys/:siteId/:referralId/panel', async (req, reply) => {
    const session = await pageIdentity(req, reply);
    if (!session) return reply;
    try {
      checkIds(req.params.siteId, req.params.referralId);
      requireSiteRole(session.identity, req.params.siteId);
      const status = await journeys.status(journeyWorkflowId(req.params.siteId, req.params.referralId));
      return html(reply, 200, statusPanel(req.params.siteId, req.params.referralId, status));
    } catch (err) {
      return pageError(reply, session, err);
    }
  });

  app.post<JourneyParams>('/journeys/:siteId/:referralId/decide', async (req, reply) => {
    const session = await pageIdentity(req, reply);
    if (!session) return reply;
    const form = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string>;
    if (form.csrf !== session.csrf) return html(reply, 403, errorPage(403, 'Refused', 'The form is stale or was not sent by this inbox; reload the page.', session.identity, session.csrf));
    const { siteId, referralId } = req.params;
    const input: Record<string, unknown> = {};
    if (form.reason?.trim()) input.reason = form.reason.trim();
    if (form.amountCents) input.amountCents = Number(form.amountCents);
    if (form.outcome) input.outcome = form.outcome;
    if (form.decision) input.decision = form.decision;
    try {
      await decide(journeys, config.roleMap, { identity: session.identity, siteId, referralId, type: form.type ?? '', body: input, correlationId: req.id });
      return reply.redirect(`/journeys/${encodeURIComponent(siteId)}/${encodeURIComponent(referralId)}?done=${encodeURIComponent(form.type ?? '')}`, 303);
    } catch (err) {
      const e = httpErrorFrom(err);
      if (!(e instanceof DecisionHttpError)) throw e;
      try {
        return html(reply, e.status, await renderJourney(session, siteId, referralId, { kind: 'err', message: e.message }));
      } catch (renderErr) {
        return pageError(reply, session, renderErr);
      }
    }
  });

  await app.ready();
  return app;
}

function siteParam(v: unknown): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !ID_PATTERN.test(v)) throw new DecisionHttpError(400, 'bad_request', 'site must be 1-64 of [A-Za-z0-9._-]');
  return v;
}

function formField(body: unknown, name: string): string | undefined {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}
