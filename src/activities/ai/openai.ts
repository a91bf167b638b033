import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import { FailureType, failureFromAxios, permanentFailure } from '../errors';
import { codingFacts, denialFacts, documentFacts } from './facts';
import { CODING_LABELS, DENIAL_LABELS, DOCUMENT_LABELS, type Classification, type Classifier } from './types';
import { traceAxios } from '../../observability/http';

/**
 * Classifier backed by any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, vLLM, Ollama,
 * LiteLLM…) using Structured Outputs: `response_format: { type: 'json_schema', json_schema: { strict: true } }`.
 * The model's JSON is still validated with zod; anything off-contract is a non-retryable ValidationError.
 * HTTP failures go through failureFromAxios: 429 → RateLimitedError honouring Retry-After, 5xx/timeouts retryable.
 *
 * PHI: unless `allowPhi` is set (a BAA covers the endpoint), no free text is sent. The request carries only coded
 * facts: keyword-family counts, counts of code-like tokens, word count and an "unclear" flag for documents; the
 * CARC/RARC lists for denials; CPT/ICD-10 lists and the note's word count for coding checks. Document ids and site
 * ids are not sent either.
 */
export interface OpenAiClassifierConfig {
  /** Base URL including the API version path, e.g. https://api.openai.com/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  allowPhi: boolean;
}

export interface OpenAiClassifier extends Classifier {
  /** Release keep-alive sockets. */
  close(): void;
}

export const AI_TASKS = {
  document: 'document_classification',
  denial: 'denial_categorisation',
  coding: 'coding_checks',
} as const;
export type AiTask = (typeof AI_TASKS)[keyof typeof AI_TASKS];

const INSTRUCTIONS: Record<AiTask, string> = {
  document_classification:
    'You classify healthcare revenue-cycle documents. Decide whether the document is a referral letter, clinical notes, a payer denial letter, or other. ' +
    'You may receive only derived facts (keyword counts, word count, an "uncertain" flag) instead of the text. Give a calibrated confidence in [0,1]; ' +
    'lower it when the facts are thin or marked uncertain. The rationale must not quote the document.',
  denial_categorisation:
    'You route claim denials to work queues from CARC (group-reason, e.g. CO-197) and RARC codes. Pick the queue for the adjustment that needs work ' +
    '(patient-responsibility and contractual lines only explain the rest). Give a calibrated confidence in [0,1] and list per-code findings in issues.',
  coding_checks:
    'You review professional-claim coding: CPT/HCPCS and ICD-10-CM formats, NCCI-style bundling pairs, duplicate E/M levels and whether a high E/M ' +
    'level is plausible for the note length. Label clean or needs_review, list findings in issues, and give a calibrated confidence in [0,1].',
};

function jsonSchema(labels: readonly string[]) {
  return {
    type: 'object',
    properties: {
      label: { type: 'string', enum: [...labels] },
      confidence: { type: 'number', description: 'calibrated probability that the label is right, 0..1' },
      rationale: { type: 'string', description: 'one or two sentences; no quotes from the source' },
      issues: { type: 'array', items: { type: 'string' } },
    },
    required: ['label', 'confidence', 'rationale', 'issues'],
    additionalProperties: false,
  };
}

const ChatCompletionSchema = z.object({
  model: z.string().optional(),
  system_fingerprint: z.string().nullable().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable(), refusal: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
});

function outputSchema<L extends string>(labels: readonly [L, ...L[]]) {
  return z.object({
    label: z.enum(labels),
    confidence: z.number().min(0).max(1),
    rationale: z.string().max(2000),
    issues: z.array(z.string().max(500)).max(50),
  });
}

function invalid(context: string, what: string, issues: string[] = []): never {
  throw permanentFailure(FailureType.Validation, `${context}: ${what}`, { issues: issues.slice(0, 20) });
}

export function createOpenAiCompatibleClassifier(config: OpenAiClassifierConfig): OpenAiClassifier {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });
  const api: AxiosInstance = axios.create({
    baseURL: config.baseUrl.replace(/\/+$/, ''),
    timeout: config.timeoutMs,
    httpAgent,
    httpsAgent,
    headers: { 'Content-Type': 'application/json', ...(config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {}) },
  });
  // One CLIENT span per request when tracing is on (the activity span is its parent).
  traceAxios(api, 'ai');

  async function complete<L extends string>(task: AiTask, labels: readonly [L, ...L[]], payload: unknown): Promise<Classification<L>> {
    const context = `ai ${task}`;
    let body: unknown;
    try {
      const res = await api.post('/chat/completions', {
        model: config.model,
        temperature: 0,
        messages: [
          { role: 'system', content: INSTRUCTIONS[task] },
          { role: 'user', content: JSON.stringify(payload) },
        ],
        response_format: { type: 'json_schema', json_schema: { name: task, strict: true, schema: jsonSchema(labels) } },
      });
      body = res.data;
    } catch (err) {
      throw failureFromAxios(err, context);
    }
    const completion = ChatCompletionSchema.safeParse(body);
    if (!completion.success) invalid(context, 'response is not a chat completion', completion.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    const choice = completion.data.choices[0];
    if (choice.message.refusal) invalid(context, 'model refused the request');
    if (choice.finish_reason === 'length') invalid(context, 'model output was truncated');
    let json: unknown;
    try {
      json = JSON.parse(choice.message.content ?? '');
    } catch {
      invalid(context, 'model output is not JSON');
    }
    const out = outputSchema(labels).safeParse(json);
    if (!out.success) invalid(context, 'model output does not match the schema', out.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    const { label, confidence, rationale, issues } = out.data;
    const modelId = completion.data.model ?? config.model;
    return {
      label: label as L,
      confidence,
      rationale,
      modelId,
      modelVersion: completion.data.system_fingerprint ?? modelId,
      ...(issues.length ? { issues } : {}),
    };
  }

  return {
    classifyDocument(input) {
      const facts = documentFacts(input.text);
      return complete(AI_TASKS.document, DOCUMENT_LABELS, config.allowPhi ? { facts, documentText: input.text } : { facts });
    },
    categoriseDenial(input) {
      const facts = denialFacts(input);
      return complete(AI_TASKS.denial, DENIAL_LABELS, config.allowPhi && input.text ? { facts, letterText: input.text } : { facts });
    },
    suggestCodingChecks(input) {
      const facts = codingFacts(input);
      return complete(AI_TASKS.coding, CODING_LABELS, config.allowPhi && input.text ? { facts, notesText: input.text } : { facts });
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
