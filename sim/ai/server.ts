import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { answerTask as answer, TASKS as AI_TASKS } from './model';
import { installFaults, type FaultOptions } from '../payer/faults';

/**
 * OpenAI-compatible model emulator: `POST /v1/chat/completions` with Structured Outputs and `GET /v1/models`.
 * The "model" (model.ts, the emulator's own rules) answers from the facts in the user message (or the text, when sent),
 * so answers are deterministic; an "unclear"/"illegible" marker lowers the confidence. It can be told to rate-limit
 * (429 + Retry-After), answer malformed JSON or off-schema output, or be slow.
 */
export interface AiEmulatorOptions {
  port?: number;
  host?: string;
  /** The first N completions answer 429 with Retry-After. */
  failFirstN429?: number;
  retryAfterSeconds?: number;
  apiKey?: string;
  modelId?: string;
}

export type MalformedMode = 'not-json' | 'off-schema' | 'truncated' | 'refusal';

export interface AiEmulatorControl {
  readonly modelId: string;
  rateLimitNext(count?: number, retryAfterSeconds?: number): void;
  malformedNext(count?: number, mode?: MalformedMode): void;
  slowNext(ms: number, count?: number): void;
  failNext(status: number, count?: number, opts?: FaultOptions): void;
  /** Raw bodies of the chat-completion requests received (to assert what left the client). */
  requests(): string[];
}

export interface AiEmulator {
  url: string;
  close(): Promise<void>;
  control: AiEmulatorControl;
}

const ChatRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant', 'developer']), content: z.string() })).min(1),
  response_format: z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.enum([AI_TASKS.document, AI_TASKS.denial, AI_TASKS.coding]),
      strict: z.literal(true),
      schema: z.object({ properties: z.object({ label: z.object({ enum: z.array(z.string()).min(1) }) }) }).passthrough(),
    }),
  }),
});

const openAiError = (message: string, type: string, code: string | null = null) => ({ error: { message, type, param: null, code } });

export async function startAiEmulator(opts: AiEmulatorOptions = {}): Promise<AiEmulator> {
  const modelId = opts.modelId ?? 'rcm-sim-classifier';
  const received: string[] = [];
  const malformed: { mode: MalformedMode; remaining: number }[] = [];
  let completions = 0;

  const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 2 * 1024 * 1024 });
  // Keep the raw body so tests can check exactly what the client sent.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, { raw: body as string, json: JSON.parse(body as string) });
    } catch {
      const err = new Error('request body is not valid JSON') as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  const faults = installFaults(app, (status) =>
    status === 429 ? openAiError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded') : openAiError(`injected HTTP ${status}`, 'server_error'),
  );
  if (opts.failFirstN429) faults.failNext(429, opts.failFirstN429, { retryAfterSeconds: opts.retryAfterSeconds ?? 1, pathPrefix: '/v1/chat/completions' });

  if (opts.apiKey) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.headers.authorization !== `Bearer ${opts.apiKey}`) return reply.code(401).send(openAiError('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'));
    });
  }

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply: FastifyReply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    void reply.code(status).send(openAiError(status === 500 ? 'internal error' : err.message, status === 500 ? 'server_error' : 'invalid_request_error'));
  });

  app.get('/v1/models', async () => ({ object: 'list', data: [{ id: modelId, object: 'model', created: 1_767_225_600, owned_by: 'rcm-sim' }] }));

  app.post('/v1/chat/completions', async (req, reply) => {
    const { raw, json } = req.body as { raw: string; json: unknown };
    received.push(raw);
    const request = ChatRequestSchema.safeParse(json);
    if (!request.success) return reply.code(400).send(openAiError(`invalid request: ${request.error.issues.map((i) => i.path.join('.')).join(', ')}`, 'invalid_request_error'));
    const { json_schema } = request.data.response_format;
    const user = [...request.data.messages].reverse().find((m) => m.role === 'user');
    let payload: Record<string, unknown>;
    let result: ReturnType<typeof answer>;
    try {
      payload = JSON.parse(user?.content ?? '') as Record<string, unknown>;
      result = answer(json_schema.name, payload);
    } catch {
      return reply.code(400).send(openAiError('user message must be the JSON facts document', 'invalid_request_error'));
    }
    if (!json_schema.schema.properties.label.enum.includes(result.label)) return reply.code(400).send(openAiError('label enum in the schema does not cover the task', 'invalid_request_error'));

    let content: string | null = JSON.stringify({ label: result.label, confidence: result.confidence, rationale: result.rationale, issues: result.issues ?? [] });
    let finish = 'stop';
    let refusal: string | null = null;
    const bad = malformed[0];
    if (bad) {
      if (--bad.remaining <= 0) malformed.shift();
      if (bad.mode === 'not-json') content = `Sure! Here is the classification: ${result.label}`;
      if (bad.mode === 'off-schema') content = JSON.stringify({ category: result.label, score: 87 });
      if (bad.mode === 'truncated') {
        content = content.slice(0, Math.floor(content.length / 2));
        finish = 'length';
      }
      if (bad.mode === 'refusal') {
        content = null;
        refusal = 'I cannot help with that request.';
      }
    }
    completions++;
    const promptTokens = Math.ceil(raw.length / 4);
    const completionTokens = Math.ceil((content ?? refusal ?? '').length / 4);
    return reply.send({
      id: `chatcmpl-sim-${completions}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.data.model,
      system_fingerprint: 'fp_rcm_sim_1',
      choices: [{ index: 0, message: { role: 'assistant', content, refusal }, logprobs: null, finish_reason: finish }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  });

  await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const url = `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}/v1`;

  return {
    url,
    control: {
      modelId,
      rateLimitNext: (count = 1, retryAfterSeconds = 1) => faults.failNext(429, count, { retryAfterSeconds, pathPrefix: '/v1/chat/completions' }),
      malformedNext: (count = 1, mode = 'not-json') => void malformed.push({ mode, remaining: count }),
      slowNext: (ms, count = 1) => faults.delayNext(ms, count, { pathPrefix: '/v1/chat/completions' }),
      failNext: (status, count, o) => faults.failNext(status, count, o),
      requests: () => [...received],
    },
    async close() {
      faults.cancelSleeps();
      await app.close();
    },
  };
}
