import { z } from 'zod';
import type { OpenAiClassifierConfig } from './openai';

/**
 * AI endpoint settings:
 * - AI_BASE_URL, AI_MODEL: an OpenAI-compatible chat-completions endpoint (both or neither).
 * - AI_API_KEY (optional): bearer token.
 * - AI_ALLOW_PHI (default false): send document text; only when a BAA covers the endpoint.
 * - AI_TIMEOUT_MS (default 20000).
 * Neither AI_BASE_URL nor AI_MODEL set → `undefined`: use the local baseline classifier.
 */
export class AiConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AiConfigError';
  }
}

const Bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((s) => ['true', 'false', '1', '0', 'yes', 'no'].includes(s), 'expected true/false')
  .transform((s) => ['true', '1', 'yes'].includes(s));

const EnvSchema = z.object({
  AI_BASE_URL: z.string().url().optional(),
  AI_MODEL: z.string().min(1).max(200).optional(),
  AI_API_KEY: z.string().min(1).optional(),
  AI_ALLOW_PHI: Bool.default('false'),
  AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
});

export function aiConfigFromEnv(env: Record<string, string | undefined> = process.env): OpenAiClassifierConfig | undefined {
  const defined = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('AI_') && e[1] !== undefined && e[1].trim() !== ''));
  const parsed = EnvSchema.safeParse(defined);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (parsed.success && Boolean(parsed.data.AI_BASE_URL) !== Boolean(parsed.data.AI_MODEL)) problems.push('AI_BASE_URL and AI_MODEL must be set together');
  if (problems.length) throw new AiConfigError(`invalid AI configuration: ${problems.join('; ')}`);
  const e = parsed.data!;
  if (!e.AI_BASE_URL || !e.AI_MODEL) return undefined;
  return {
    baseUrl: e.AI_BASE_URL.replace(/\/+$/, ''),
    model: e.AI_MODEL,
    ...(e.AI_API_KEY ? { apiKey: e.AI_API_KEY } : {}),
    timeoutMs: e.AI_TIMEOUT_MS,
    allowPhi: e.AI_ALLOW_PHI,
  };
}
