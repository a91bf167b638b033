/**
 * Typed Odoo external-API client speaking both JSON-RPC (`/jsonrpc`, Odoo ≤ 18, deprecated in 19) and
 * JSON-2 (`/json/2/<model>/<method>`, Odoo ≥ 19).
 *
 * Why our own client: the npm packages for Odoo (odoo-xmlrpc, odoo-await, odoo-jsonrpc and friends) speak
 * XML-RPC or JSON-RPC only, none speaks JSON-2, and all of them surface errors as untyped exceptions or
 * message strings. We need both protocols behind one interface (customers run 17, 18 and 19), keep-alive
 * and timeouts we control, activity cancellation, and every Odoo error mapped by exception class / HTTP
 * status to the shared retryable/non-retryable failure types — which is a few hundred lines, not a
 * dependency.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import axios, { AxiosInstance, AxiosResponse } from 'axios';
import http from 'node:http';
import https from 'node:https';
import { FailureType, failureFromAxios, permanentFailure, retryAfterMs, transientFailure } from '../errors';
import { OdooConfig, ResolvedOdooConfig, parseOdooConfig } from './config';
import { OdooFailureDetails, failureFromJson2Error, failureFromJsonRpcError } from './errors';
import { traceAxios } from '../../observability/http';

export type OdooProtocol = 'jsonrpc' | 'json2';
export type OdooDomain = unknown[];
export type OdooContext = Record<string, unknown>;

export interface OdooVersionInfo {
  serverVersion: string;
  major: number;
  versionInfo: unknown[];
}

export interface OdooCallParams {
  /** Record ids for record methods (`read`, `write`, `action_post`…); omit for `@api.model` methods. */
  ids?: number[];
  /** Positional arguments after the ids (JSON-RPC only; JSON-2 takes named arguments). */
  args?: unknown[];
  /** Named arguments. */
  kwargs?: Record<string, unknown>;
  context?: OdooContext;
}

export interface SearchOptions {
  limit?: number;
  offset?: number;
  order?: string;
  context?: OdooContext;
}

export interface SearchReadOptions extends SearchOptions {
  fields?: string[];
}

export interface OdooClient {
  /** The validated config (the API key is redacted). */
  readonly config: Omit<ResolvedOdooConfig, 'apiKey'>;
  /** Server version (probed once and cached). */
  version(): Promise<OdooVersionInfo>;
  /** The protocol in use (resolves `auto` by probing). */
  protocol(): Promise<OdooProtocol>;
  /** The user id the API key belongs to. */
  uid(): Promise<number>;
  call<T = unknown>(model: string, method: string, params?: OdooCallParams): Promise<T>;
  search(model: string, domain: OdooDomain, options?: SearchOptions): Promise<number[]>;
  searchRead<T = Record<string, unknown>>(model: string, domain: OdooDomain, options?: SearchReadOptions): Promise<T[]>;
  searchCount(model: string, domain: OdooDomain, context?: OdooContext): Promise<number>;
  read<T = Record<string, unknown>>(model: string, ids: number[], fields?: string[], context?: OdooContext): Promise<T[]>;
  create(model: string, vals: Record<string, unknown>, context?: OdooContext): Promise<number>;
  write(model: string, ids: number[], vals: Record<string, unknown>, context?: OdooContext): Promise<boolean>;
  unlink(model: string, ids: number[], context?: OdooContext): Promise<boolean>;
  /** Release keep-alive sockets. */
  close(): void;
}

export interface OdooClientOptions {
  /** Put Odoo's error message into failure details (off by default: messages may echo record data). */
  exposeMessages?: boolean;
  userAgent?: string;
  /** Max sockets per host for the keep-alive agents. */
  maxSockets?: number;
}

/** Extract the record id from what Odoo returns for a created record / a window action. */
function firstId(result: unknown): number | undefined {
  if (typeof result === 'number') return result;
  if (Array.isArray(result) && typeof result[0] === 'number') return result[0];
  return undefined;
}

export function createOdooClient(config: OdooConfig, options: OdooClientOptions = {}): OdooClient {
  const cfg = parseOdooConfig(config);
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
  const ax: AxiosInstance = axios.create({
    baseURL: cfg.url,
    timeout: cfg.timeoutMs,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    proxy: false,
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': options.userAgent ?? 'rcm-odoo-client/1' },
  });
  // One CLIENT span per request when tracing is on (the activity span is its parent).
  traceAxios(ax, 'odoo');

  let rpcId = 0;
  let versionPromise: Promise<OdooVersionInfo> | undefined;
  let protocolPromise: Promise<OdooProtocol> | undefined;
  let uidPromise: Promise<number> | undefined;

  const signal = () => asyncLocalStorage.getStore()?.cancellationSignal;

  const details = (protocol: OdooProtocol, status: number, body: any, model?: string, method?: string): OdooFailureDetails => ({
    odooError: typeof body?.name === 'string' ? body.name : null,
    status,
    model,
    method,
    protocol,
    ...(options.exposeMessages && typeof body?.message === 'string' ? { odooMessage: body.message.slice(0, 500) } : {}),
  });

  async function post(path: string, body: unknown, headers: Record<string, string>, context: string): Promise<AxiosResponse> {
    try {
      return await ax.post(path, body, { headers, signal: signal() });
    } catch (err) {
      throw failureFromAxios(err, context);
    }
  }

  /** One JSON-RPC call; returns `result` or throws the typed failure. */
  async function jsonRpc(service: string, method: string, args: unknown[], model?: string, modelMethod?: string): Promise<unknown> {
    const context = `odoo jsonrpc ${model ? `${model}.${modelMethod}` : `${service}.${method}`}`;
    const res = await post('/jsonrpc', { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: ++rpcId }, {}, context);
    const body = res.data;
    if (res.status !== 200 || !body || typeof body !== 'object') {
      // Proxies (502/503), a removed endpoint (404) or a broken body: classify by HTTP status.
      if (res.status === 200) throw transientFailure(FailureType.Unavailable, `${context}: malformed response`);
      throw failureFromJson2Error(res.status, undefined, context, details('jsonrpc', res.status, undefined, model, modelMethod), retryAfterMs(res.headers?.['retry-after']));
    }
    if (body.error) {
      const data = body.error.data ?? {};
      const failure = failureFromJsonRpcError(data, context, details('jsonrpc', res.status, data, model, modelMethod));
      if (failure.type === FailureType.Authentication) uidPromise = undefined; // re-login next time
      throw failure;
    }
    if (!('result' in body)) throw transientFailure(FailureType.Unavailable, `${context}: malformed response`);
    return body.result;
  }

  async function json2(model: string, method: string, body: Record<string, unknown>): Promise<unknown> {
    const context = `odoo json2 ${model}.${method}`;
    const res = await post(
      `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
      body,
      { Authorization: `bearer ${cfg.apiKey}`, 'X-Odoo-Database': cfg.db },
      context,
    );
    if (res.status === 200) return res.data;
    const errBody = res.data && typeof res.data === 'object' ? res.data : undefined;
    throw failureFromJson2Error(res.status, errBody, context, details('json2', res.status, errBody, model, method), retryAfterMs(res.headers?.['retry-after']));
  }

  async function probeVersion(): Promise<OdooVersionInfo> {
    try {
      const v = (await jsonRpc('common', 'version', [])) as { server_version?: string; server_version_info?: unknown[] };
      return toVersion(v.server_version, v.server_version_info);
    } catch (err) {
      // JSON-RPC removed (planned for Odoo 22): fall back to the JSON-2 era version endpoint.
      if ((err as { type?: string }).type !== FailureType.NotFound) throw err;
      const context = 'odoo version';
      let res: AxiosResponse;
      try {
        res = await ax.get('/json/version', { signal: signal() });
      } catch (e) {
        throw failureFromAxios(e, context);
      }
      if (res.status !== 200) throw failureFromJson2Error(res.status, res.data, context, details('json2', res.status, res.data));
      return toVersion(res.data?.version, res.data?.version_info);
    }
  }

  function toVersion(serverVersion: unknown, info: unknown): OdooVersionInfo {
    const versionInfo = Array.isArray(info) ? info : [];
    const major = typeof versionInfo[0] === 'number' ? versionInfo[0] : Number.parseInt(String(serverVersion ?? '').replace(/^saas~/, ''), 10);
    if (!Number.isFinite(major)) throw transientFailure(FailureType.Unavailable, 'odoo version: unrecognised version answer');
    return { serverVersion: String(serverVersion ?? major), major, versionInfo };
  }

  /** Cache a promise but forget it when it fails, so the next call tries again. */
  function memo<T>(get: () => Promise<T> | undefined, set: (p: Promise<T> | undefined) => void, make: () => Promise<T>): Promise<T> {
    const existing = get();
    if (existing) return existing;
    const p = make();
    set(p);
    p.catch(() => {
      if (get() === p) set(undefined);
    });
    return p;
  }

  const version = () => memo(() => versionPromise, (p) => (versionPromise = p), probeVersion);

  const protocol = () =>
    memo(
      () => protocolPromise,
      (p) => (protocolPromise = p),
      async () => (cfg.protocol !== 'auto' ? cfg.protocol : (await version()).major >= 19 ? 'json2' : 'jsonrpc'),
    );

  const login = () =>
    memo(
      () => uidPromise,
      (p) => (uidPromise = p),
      async () => {
        const uid = await jsonRpc('common', 'login', [cfg.db, cfg.login, cfg.apiKey]);
        if (typeof uid !== 'number') throw permanentFailure(FailureType.Authentication, 'odoo jsonrpc common.login: credentials refused', { protocol: 'jsonrpc', status: 200, odooError: null });
        return uid;
      },
    );

  async function call<T = unknown>(model: string, method: string, params: OdooCallParams = {}): Promise<T> {
    const { ids, args, kwargs = {}, context } = params;
    const proto = await protocol();
    if (proto === 'json2') {
      if (args && args.length) throw permanentFailure(FailureType.Validation, `odoo json2 ${model}.${method}: positional arguments are not supported, use kwargs`);
      const body: Record<string, unknown> = { ...kwargs };
      if (ids) body.ids = ids;
      if (context) body.context = context;
      return (await json2(model, method, body)) as T;
    }
    const uid = await login();
    const positional = ids ? [ids, ...(args ?? [])] : (args ?? []);
    const kw = context ? { ...kwargs, context } : kwargs;
    return (await jsonRpc('object', 'execute_kw', [cfg.db, uid, cfg.apiKey, model, method, positional, kw], model, method)) as T;
  }

  const uid = async (): Promise<number> => {
    if ((await protocol()) === 'jsonrpc') return login();
    return memo(
      () => uidPromise,
      (p) => (uidPromise = p),
      async () => {
        const [id] = await call<number[]>('res.users', 'search', { kwargs: { domain: [['login', '=', cfg.login]], limit: 1 } });
        if (typeof id !== 'number') throw permanentFailure(FailureType.Authentication, 'odoo json2: API key user not found by login');
        return id;
      },
    );
  };

  const { apiKey: _redacted, ...publicConfig } = cfg;

  return {
    config: publicConfig,
    version,
    protocol,
    uid,
    call,
    search: (model, domain, o = {}) =>
      call<number[]>(model, 'search', { kwargs: pick({ domain, limit: o.limit, offset: o.offset, order: o.order }), context: o.context }),
    searchRead: <T>(model: string, domain: OdooDomain, o: SearchReadOptions = {}) =>
      call<T[]>(model, 'search_read', { kwargs: pick({ domain, fields: o.fields, limit: o.limit, offset: o.offset, order: o.order }), context: o.context }),
    searchCount: (model, domain, context) => call<number>(model, 'search_count', { kwargs: { domain }, context }),
    read: <T>(model: string, ids: number[], fields?: string[], context?: OdooContext) =>
      call<T[]>(model, 'read', { ids, kwargs: pick({ fields }), context }),
    create: async (model, vals, context) => {
      const result = await call<unknown>(model, 'create', { kwargs: { vals_list: [vals] }, context });
      const id = firstId(result);
      if (id === undefined) throw transientFailure(FailureType.Unavailable, `odoo ${model}.create: unexpected result`);
      return id;
    },
    write: async (model, ids, vals, context) => Boolean(await call(model, 'write', { ids, kwargs: { vals }, context })),
    unlink: async (model, ids, context) => Boolean(await call(model, 'unlink', { ids, context })),
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function pick(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export { firstId };
