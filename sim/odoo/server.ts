/**
 * Odoo emulator HTTP server: JSON-RPC (`POST /jsonrpc`, Odoo ≤ 19) and JSON-2 (`POST /json/2/<model>/<method>`,
 * Odoo ≥ 19), with Odoo's error shapes, an in-memory store (optionally persisted to a JSON file) and
 * run-time fault injection (`/__sim/faults`).
 */
import Fastify, { FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import {
  OdooError, accessDenied, attributeError, notFound, operationalError, serializationFailure, serializeOdooError, unauthorized, unprocessable,
  userError, valueError,
} from './errors';
import { FaultControl, FaultKind, FaultSettings, Faults } from './faults';
import { countByModel, buildRegistry, seed } from './models';
import { EmulatorUser, Env, UnknownMethodError, UnknownModelError, callKw, fieldsOf, read, search } from './orm';
import { Store } from './store';

export type OdooVersion = '17.0' | '18.0' | '19.0';

export interface OdooEmulatorOptions {
  port?: number;
  host?: string;
  db?: string;
  login?: string;
  apiKey?: string;
  /** A second user whose key only has read rights (AccessError on create/write/unlink/actions). */
  readonlyLogin?: string;
  readonlyApiKey?: string;
  persistFile?: string;
  version?: OdooVersion;
  /** payment_state of a fully paid invoice (`in_payment` until bank reconciliation in real Odoo). */
  fullyPaidState?: 'paid' | 'in_payment';
  faults?: Partial<FaultSettings>;
}

/** Read access to the emulator's records for tests and tooling (bypasses faults and access rights). */
export interface EmulatorStoreView {
  /** Records of `model` (archived ones included) matching an optional Odoo domain. */
  count(model: string, domain?: unknown[]): number;
  /** The same records as Odoo's `read()` would return them. */
  search(model: string, domain?: unknown[], fields?: string[]): Record<string, unknown>[];
  get(model: string, id: number): Record<string, unknown> | undefined;
  /** Records per model. */
  counts(): Record<string, number>;
  /** Back to a freshly seeded database. */
  reset(): void;
}

export interface EmulatorStats {
  requests: { total: number; jsonrpc: number; json2: number; other: number; byMethod: Record<string, number> };
  faults: Record<FaultKind, number>;
  records: Record<string, number>;
}

export interface OdooEmulator {
  url: string;
  db: string;
  version: OdooVersion;
  faults: FaultControl;
  store: EmulatorStoreView;
  stats(): EmulatorStats;
  /** Rotate a user's API key (the old one stops working at once, like a revoked key). */
  setApiKey(login: string, apiKey: string): void;
  close(): Promise<void>;
}

const VERSION_INFO = (v: OdooVersion) => {
  const major = Number(v.split('.')[0]);
  return {
    server_version: v,
    server_version_info: [major, 0, 0, 'final', 0, ''],
    server_serie: v,
    protocol_version: 1,
  };
};

const NOT_FOUND_HTML =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
  '<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

export async function startOdooEmulator(opts: OdooEmulatorOptions = {}): Promise<OdooEmulator> {
  const version: OdooVersion = opts.version ?? '17.0';
  const major = Number(version.split('.')[0]);
  const db = opts.db ?? 'rcm';
  const users: EmulatorUser[] = [
    { uid: 2, login: opts.login ?? 'admin', apiKey: opts.apiKey ?? 'admin-api-key', readonly: false },
    { uid: 6, login: opts.readonlyLogin ?? 'readonly', apiKey: opts.readonlyApiKey ?? 'readonly-api-key', readonly: true },
  ];
  const registry = buildRegistry();
  const store = new Store(opts.persistFile);
  const ormOptions = { major, fullyPaidState: opts.fullyPaidState ?? 'paid' } as const;
  const rootEnv = new Env(store, registry, { ...users[0], readonly: false }, {}, ormOptions);
  const reseed = () => {
    store.clear();
    seed(rootEnv, [
      { uid: users[0].uid, login: users[0].login, name: 'Administrator' },
      { uid: users[1].uid, login: users[1].login, name: 'Read-only Integration' },
    ]);
    store.flush();
  };
  if (!store.load()) reseed();

  const faults = new Faults();
  if (opts.faults) faults.set(opts.faults);
  const counters = { total: 0, jsonrpc: 0, json2: 0, other: 0, byMethod: {} as Record<string, number> };
  const hung = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024, forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const userByKey = (key: unknown) => users.find((u) => typeof key === 'string' && u.apiKey === key);
  const userByLogin = (login: unknown, key: unknown) => users.find((u) => u.login === login && u.apiKey === key);

  /** Run one ORM call in a transaction. */
  const execute = (user: EmulatorUser, model: string, method: string, positional: unknown[], kwargs: Record<string, unknown>, ids?: unknown) => {
    const context = (kwargs.context && typeof kwargs.context === 'object' ? kwargs.context : {}) as Record<string, unknown>;
    const env = new Env(store, registry, user, context, ormOptions);
    store.begin();
    try {
      const result = callKw(env, model, method, positional, kwargs, ids);
      store.commit();
      return result;
    } catch (e) {
      store.rollback();
      throw e;
    }
  };

  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  /**
   * Common fault handling. Returns the fault to apply after executing (afterCommit) or 'handled' when
   * the request was already answered/destroyed.
   */
  const preFaults = async (
    req: FastifyRequest,
    reply: FastifyReply,
    target: { service?: string; model?: string; method?: string },
    sendError: (err: OdooError) => void,
  ): Promise<'afterCommit' | 'handled' | null> => {
    const s = faults.get();
    if (s.latencyMs > 0) await sleep(s.latencyMs);
    const kind = faults.draw(target);
    if (kind === 'reset') {
      reply.hijack();
      req.raw.socket.destroy();
      return 'handled';
    }
    if (kind === 'error5xx') {
      if (faults.pick(2) === 0) {
        const status = faults.pick(2) === 0 ? 502 : 503;
        reply.code(status).type('text/html').send(`<html><body><h1>${status} ${status === 502 ? 'Bad Gateway' : 'Service Unavailable'}</h1></body></html>`);
      } else {
        sendError(operationalError());
      }
      return 'handled';
    }
    if (kind === 'conflict') {
      sendError(serializationFailure());
      return 'handled';
    }
    return kind === 'afterCommit' ? 'afterCommit' : null;
  };

  const dropAfterCommit = (req: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    const socket = req.raw.socket;
    const s = faults.get();
    if (s.afterCommitMode === 'reset') {
      socket.destroy();
      return;
    }
    hung.add(socket);
    const timer = setTimeout(() => {
      timers.delete(timer);
      hung.delete(socket);
      socket.destroy();
    }, s.hangMs);
    timers.add(timer);
    socket.once('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
      hung.delete(socket);
    });
  };

  const countMethod = (key: string) => {
    counters.byMethod[key] = (counters.byMethod[key] ?? 0) + 1;
  };

  // ------------------------------------------------------------------------------------------ JSON-RPC
  app.post('/jsonrpc', async (req, reply) => {
    counters.total++;
    counters.jsonrpc++;
    let body: any;
    try {
      body = JSON.parse(String(req.body ?? ''));
    } catch {
      return reply.code(400).send({ jsonrpc: '2.0', id: null, error: { code: 400, message: 'Invalid JSON data', data: {} } });
    }
    const id = body?.id ?? null;
    const rpcError = (err: OdooError, context: Record<string, unknown> = {}) => ({
      jsonrpc: '2.0',
      id,
      error: { code: 200, message: 'Odoo Server Error', data: serializeOdooError(err, context) },
    });
    const params = body?.params ?? {};
    const service = params.service;
    const method = params.method;
    const args: unknown[] = Array.isArray(params.args) ? params.args : [];
    const isObject = service === 'object' && (method === 'execute_kw' || method === 'execute');
    const target = isObject ? { service, model: String(args[3]), method: String(args[4]) } : { service, method };
    countMethod(isObject ? `${String(args[3])}.${String(args[4])}` : `${String(service)}.${String(method)}`);

    const fault = await preFaults(req, reply, target, (err) => void reply.send(rpcError(err)));
    if (fault === 'handled') return reply;

    let response: unknown;
    try {
      response = { jsonrpc: '2.0', id, result: dispatchRpc(service, method, args) };
    } catch (e) {
      response = rpcError(toOdooError(e, 'jsonrpc'), (args[6] as any)?.context ?? {});
    }
    if (fault === 'afterCommit') {
      dropAfterCommit(req, reply);
      return reply;
    }
    return reply.code(200).type('application/json').send(response);
  });

  const dispatchRpc = (service: unknown, method: unknown, args: unknown[]): unknown => {
    if (service === 'common') {
      if (method === 'version') return VERSION_INFO(version);
      if (method === 'login' || method === 'authenticate') {
        const [dbName, login, password] = args;
        if (dbName !== db) throw new OdooError('psycopg2.OperationalError', `connection to server failed: FATAL:  database "${String(dbName)}" does not exist`, 500);
        return userByLogin(login, password)?.uid ?? false;
      }
      if (method === 'about') return `See http://openerp.com`;
      throw new OdooError('builtins.NameError', `Method not available ${String(method)}`, 500);
    }
    if (service === 'db') {
      if (method === 'list') return [db];
      if (method === 'server_version') return version;
      throw new OdooError('builtins.KeyError', `Method not available ${String(method)}`, 500);
    }
    if (service === 'object') {
      const [dbName, uid, password, model, objMethod] = args as [unknown, unknown, unknown, unknown, unknown];
      if (dbName !== db) throw new OdooError('psycopg2.OperationalError', `connection to server failed: FATAL:  database "${String(dbName)}" does not exist`, 500);
      const user = users.find((u) => u.uid === uid && u.apiKey === password);
      if (!user) throw accessDenied();
      if (typeof model !== 'string' || typeof objMethod !== 'string') throw valueError('model and method must be strings');
      if (method === 'execute_kw') {
        const positional = Array.isArray(args[5]) ? (args[5] as unknown[]) : [];
        const kwargs = args[6] && typeof args[6] === 'object' ? (args[6] as Record<string, unknown>) : {};
        return execute(user, model, objMethod, positional, kwargs);
      }
      if (method === 'execute') return execute(user, model, objMethod, args.slice(5), {});
      throw new OdooError('builtins.NameError', `Method not available ${String(method)}`, 500);
    }
    throw new OdooError('builtins.Exception', `Unknown service ${String(service)}`, 500);
  };

  // ------------------------------------------------------------------------------------------ JSON-2
  app.post('/json/2/:model/:method', async (req, reply) => {
    counters.total++;
    counters.json2++;
    const { model, method } = req.params as { model: string; method: string };
    if (major < 19) return reply.code(404).type('text/html').send(NOT_FOUND_HTML);
    countMethod(`${model}.${method}`);
    const sendErr = (err: OdooError, context: Record<string, unknown> = {}) =>
      void reply.code(err.status).type('application/json').send(serializeOdooError(err, context));

    const fault = await preFaults(req, reply, { service: 'json2', model, method }, sendErr);
    if (fault === 'handled') return reply;

    let status = 200;
    let payload: unknown;
    let context: Record<string, unknown> = {};
    try {
      const auth = String(req.headers.authorization ?? '');
      const m = /^bearer\s+(\S+)\s*$/i.exec(auth);
      const user = m ? userByKey(m[1]) : undefined;
      if (!user) throw unauthorized('Invalid apikey');
      const dbHeader = req.headers['x-odoo-database'];
      if (dbHeader !== undefined && dbHeader !== db) throw notFound(`database ${String(dbHeader)} not found`);
      const raw = String(req.body ?? '');
      let body: Record<string, unknown> = {};
      if (raw.trim() !== '') {
        try {
          body = JSON.parse(raw);
        } catch (e) {
          throw new OdooError('werkzeug.exceptions.BadRequest', `could not parse the body as json: ${(e as Error).message}`, 400);
        }
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new OdooError('werkzeug.exceptions.BadRequest', 'the body must be a JSON object', 400);
      }
      const { ids, context: ctx, ...kwargs } = body;
      context = ctx && typeof ctx === 'object' ? (ctx as Record<string, unknown>) : {};
      payload = execute(user, model, method, [], { ...kwargs, context }, ids);
    } catch (e) {
      const err = toOdooError(e, 'json2');
      status = err.status;
      payload = serializeOdooError(err, context);
    }
    if (fault === 'afterCommit') {
      dropAfterCommit(req, reply);
      return reply;
    }
    return reply.code(status).type('application/json').send(JSON.stringify(payload ?? null));
  });

  // ------------------------------------------------------------------------------------------ version
  app.post('/web/webclient/version_info', async (req, reply) => {
    counters.total++;
    counters.other++;
    let id: unknown = null;
    try {
      id = JSON.parse(String(req.body ?? '{}'))?.id ?? null;
    } catch {
      /* ignore */
    }
    const info = VERSION_INFO(version);
    return reply.send({ jsonrpc: '2.0', id, result: info });
  });
  app.get('/web/version', async (_req, reply) => {
    counters.total++;
    counters.other++;
    const info = VERSION_INFO(version);
    return reply.send({ version_info: info.server_version_info, version: info.server_version });
  });
  app.get('/json/version', async (_req, reply) => {
    counters.total++;
    counters.other++;
    if (major < 19) return reply.code(404).type('text/html').send(NOT_FOUND_HTML);
    const info = VERSION_INFO(version);
    return reply.send({ version_info: info.server_version_info, version: info.server_version });
  });

  // ------------------------------------------------------------------------------------------ sim control
  app.get('/__sim/faults', async () => faults.get());
  app.post('/__sim/faults', async (req, reply) => {
    try {
      const patch = String(req.body ?? '').trim() ? JSON.parse(String(req.body)) : {};
      if (patch.clear) faults.clear();
      const { clear: _clear, ...rest } = patch;
      return faults.set(rest);
    } catch (e) {
      return reply.code(400).send({ error: (e as Error).message });
    }
  });
  app.get('/__sim/stats', async () => stats());
  app.post('/__sim/reset', async (req) => {
    let keepFaults = false;
    try {
      keepFaults = !!JSON.parse(String(req.body ?? '') || '{}').keepFaults;
    } catch {
      /* ignore */
    }
    resetAll(keepFaults);
    return { ok: true };
  });

  app.setNotFoundHandler((_req, reply) => {
    counters.total++;
    counters.other++;
    return reply.code(404).type('text/html').send(NOT_FOUND_HTML);
  });

  const stats = (): EmulatorStats => ({
    requests: { ...counters, byMethod: { ...counters.byMethod } },
    faults: { ...faults.injected },
    records: countByModel(rootEnv),
  });

  const resetAll = (keepFaults: boolean) => {
    reseed();
    counters.total = counters.jsonrpc = counters.json2 = counters.other = 0;
    counters.byMethod = {};
    for (const k of Object.keys(faults.injected) as FaultKind[]) faults.injected[k] = 0;
    if (!keepFaults) faults.clear();
  };

  const adminEnv = () => new Env(store, registry, users[0], { active_test: false }, ormOptions);
  const storeView: EmulatorStoreView = {
    count: (model, domain = []) => search(adminEnv(), adminEnv().model(model), domain).length,
    search: (model, domain = [], fields) => {
      const env = adminEnv();
      const def = env.model(model);
      const ids = search(env, def, domain).map((r) => r.id);
      return read(env, def, ids, fields ?? Object.keys(fieldsOf(env, def)));
    },
    get: (model, id) => {
      const env = adminEnv();
      const def = env.model(model);
      return store.get(model, id) ? read(env, def, [id])[0] : undefined;
    },
    counts: () => countByModel(rootEnv),
    reset: () => resetAll(true),
  };

  await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';

  return {
    url: `http://${host}:${port}`,
    db,
    version,
    faults,
    store: storeView,
    stats,
    setApiKey: (login, apiKey) => {
      const user = users.find((u) => u.login === login);
      if (!user) throw new Error(`no emulator user ${login}`);
      user.apiKey = apiKey;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of hung) s.destroy();
      hung.clear();
      await app.close();
      store.flush();
    },
  };
}

/** Map anything thrown by the ORM to the exception Odoo would report for that protocol. */
function toOdooError(e: unknown, protocol: 'jsonrpc' | 'json2'): OdooError {
  if (e instanceof OdooError) {
    // JSON-2 validates the call signature before running the method: 422 for bad arguments.
    if (protocol === 'json2' && e.odooName === 'builtins.TypeError') return unprocessable(e.message);
    return e;
  }
  if (e instanceof UnknownModelError) {
    return protocol === 'json2' ? notFound(`the model '${e.model}' does not exist`) : userError(`Object ${e.model} doesn't exist`);
  }
  if (e instanceof UnknownMethodError) {
    return protocol === 'json2'
      ? notFound(`the method '${e.method}' does not exist on the model '${e.model}'`)
      : attributeError(`type object '${e.model}' has no attribute '${e.method}'`);
  }
  return new OdooError('builtins.Exception', (e as Error)?.message ?? String(e), 500);
}
