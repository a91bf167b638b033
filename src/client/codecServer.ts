import { timingSafeEqual, createHash } from 'node:crypto';
import cors from '@fastify/cors';
import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppConfig } from '../config';
import { payloadCodec } from './codec';

/**
 * Codec server for the Temporal Web UI and `temporal` CLI (`--codec-endpoint`): `POST /encode` and `POST /decode`
 * with Temporal's JSON protocol `{ "payloads": [{ "metadata": { "<key>": "<base64>" }, "data": "<base64>" }] }`.
 * Operators see decoded payloads only from an allowed browser origin (CORS) and, when a token is configured, only
 * with `Authorization: Bearer <token>` (Temporal UI: "Pass the user access token", or a proxy adding the header).
 * Requests are logged without payloads (no PHI).
 */
export interface CodecServerOptions {
  codec: PayloadCodec;
  /** when set, every /encode and /decode needs `Authorization: Bearer <authToken>` */
  authToken?: string;
  /** allowed browser origins (Temporal UI) */
  corsOrigins: string[];
  /** namespaces to serve (X-Namespace); any when empty */
  namespaces?: string[];
  /** request log lines (no payload content) */
  log?: (entry: Record<string, unknown>) => void;
  /** request body limit in bytes (default 32 MiB: a history page of large payloads) */
  bodyLimit?: number;
}

const JsonPayloadSchema = z.object({
  metadata: z.record(z.string()).nullish(),
  data: z.string().nullish(),
});
const BodySchema = z.object({ payloads: z.array(JsonPayloadSchema) });
type JsonPayload = z.infer<typeof JsonPayloadSchema>;

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromBase64(s: string, where: string): Uint8Array {
  if (!B64.test(s)) throw new BadRequest(`${where}: not base64`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

class BadRequest extends Error {}

export function fromJsonPayload(p: JsonPayload, i: number): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = fromBase64(v, `payloads[${i}].metadata.${k}`);
  return { metadata, data: p.data ? fromBase64(p.data, `payloads[${i}].data`) : new Uint8Array() };
}

export function toJsonPayload(p: Payload): { metadata: Record<string, string>; data: string } {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) if (v) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') };
}

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison is constant-time regardless of length.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export async function buildCodecServer(opts: CodecServerOptions): Promise<FastifyInstance> {
  const log = opts.log ?? (() => undefined);
  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimit ?? 32 * 1024 * 1024 });
  await app.register(cors, {
    origin: opts.corsOrigins,
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
    credentials: true,
    maxAge: 600,
  });

  const authorize = async (req: FastifyRequest, reply: FastifyReply) => {
    const namespace = req.headers['x-namespace'];
    if (opts.authToken) {
      const header = req.headers.authorization ?? '';
      const m = /^Bearer\s+(.+)$/i.exec(header);
      if (!m || !sameSecret(m[1].trim(), opts.authToken)) {
        log({ msg: 'codec request rejected', reason: 'unauthorized', path: req.url, namespace });
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      }
    }
    if (opts.namespaces?.length && (typeof namespace !== 'string' || !opts.namespaces.includes(namespace))) {
      log({ msg: 'codec request rejected', reason: 'namespace', path: req.url, namespace });
      return reply.code(403).send({ error: 'namespace not served by this codec server' });
    }
  };

  const route = (op: 'encode' | 'decode') => async (req: FastifyRequest, reply: FastifyReply) => {
    const parsed = BodySchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'expected { payloads: [{ metadata, data }] }' });
    let payloads: Payload[];
    try {
      payloads = parsed.data.payloads.map(fromJsonPayload);
    } catch (err) {
      if (err instanceof BadRequest) return reply.code(400).send({ error: err.message });
      throw err;
    }
    try {
      const out = op === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
      log({ msg: `codec ${op}`, namespace: req.headers['x-namespace'], payloads: payloads.length });
      return reply.send({ payloads: out.map(toJsonPayload) });
    } catch (err) {
      // Key/integrity errors carry key ids only, never payload content.
      log({ msg: `codec ${op} failed`, namespace: req.headers['x-namespace'], error: (err as Error).name });
      return reply.code(422).send({ error: (err as Error).message });
    }
  };

  app.post('/encode', { preHandler: authorize }, route('encode'));
  app.post('/decode', { preHandler: authorize }, route('decode'));
  app.get('/healthz', async () => ({ ok: true }));
  return app;
}

export interface RunningCodecServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Start the codec server from the app config (needs codec keys). */
export async function startCodecServer(
  config: Pick<AppConfig, 'codec' | 'codecServer'>,
  overrides: { host?: string; port?: number; log?: CodecServerOptions['log'] } = {},
): Promise<RunningCodecServer> {
  const codec = payloadCodec(config);
  if (!codec) throw new Error('codec server needs RCM_CODEC_KEYS (no payload codec is configured)');
  const app = await buildCodecServer({
    codec,
    authToken: config.codecServer.authToken,
    corsOrigins: config.codecServer.corsOrigins,
    namespaces: config.codecServer.namespaces,
    log: overrides.log,
  });
  const host = overrides.host ?? config.codecServer.host;
  await app.listen({ host, port: overrides.port ?? config.codecServer.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.codecServer.port;
  return { app, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close: () => app.close() };
}

async function main(): Promise<void> {
  const { loadConfig } = await import('../config');
  const { createLogger } = await import('../workers/logger');
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, base: { service: 'codec-server' } });
  const server = await startCodecServer(config, { log: (e) => logger.info(String(e.msg ?? 'codec'), e) });
  logger.info('codec server listening', { url: server.url, auth: Boolean(config.codecServer.authToken), origins: config.codecServer.corsOrigins });
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
