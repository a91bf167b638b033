import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { APPROVAL_KINDS, ROLES, validateCalendar, type ApprovalKind, type Role } from '../domain';
import { payerConfigFromEnv, type PayerConfig } from '../activities/payer/config';
import { temporalTarget, type TemporalTarget } from './temporal';
import { integrationSections, type IntegrationSections } from './integrations';

/**
 * The application's one configuration object, validated with zod from the environment and an optional JSON file
 * (`RCM_CONFIG_FILE`; the environment wins). With no environment at all the demo defaults apply: the embedded
 * dev server (envconfig default `localhost:7233`), one shared task queue, one demo site, no payload codec and no
 * integration sections (the demo fills in the emulators' URLs by passing their env, e.g. `PAYER_BASE_URL`).
 *
 * Secrets (codec keys, codec-server token, ingress secrets, integration API keys) come from the environment only,
 * and no error message ever echoes a value.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type TaskQueueStrategy = 'shared' | 'per-site';
/** Per-site approval limit overrides in integer cents: `{ billing_release: { billing_supervisor: 2500000 } }`. */
export type ApprovalLimits = Partial<Record<ApprovalKind, Partial<Record<Role, number>>>>;

export interface SiteConfig {
  /** business id (`[A-Za-z0-9._-]`, no PHI): part of workflow ids and the `SiteId` search attribute */
  id: string;
  /** IANA time zone of the site's business calendar */
  timeZone: string;
  /** one-off closures and extra holidays, YYYY-MM-DD */
  closures: string[];
  holidays: string[];
  /** 0 = Sunday … 6 = Saturday (default Saturday + Sunday) */
  weekendDays?: number[];
  /** AI coding confidence below this goes to human review */
  codingConfidenceThreshold: number;
  approvalLimits: ApprovalLimits;
  /** the task queue this site's journeys run on (shared queue unless the per-site strategy or an override says so) */
  taskQueue: string;
}

export interface CodecKey {
  id: string;
  /** 32 bytes (AES-256) */
  key: Buffer;
}

export interface CodecConfig {
  keys: CodecKey[];
  /** new payloads are encrypted with this key; every listed key still decrypts */
  activeKeyId: string;
}

export interface AppConfig {
  /** true when nothing but defaults was configured (no RCM_/TEMPORAL_ variables, no file) */
  demo: boolean;
  temporal: TemporalTarget;
  taskQueue: { strategy: TaskQueueStrategy; shared: string };
  sites: SiteConfig[];
  odoo?: IntegrationSections['odoo'];
  payer?: PayerConfig;
  ai?: IntegrationSections['ai'];
  codec?: CodecConfig;
  codecServer: {
    host: string;
    port: number;
    /** `Authorization: Bearer <token>` required when set */
    authToken?: string;
    /** browser origins allowed by CORS (the Temporal UI) */
    corsOrigins: string[];
    /** namespaces the codec server answers for (X-Namespace); any when empty */
    namespaces: string[];
  };
  ingress: { host: string; port: number; secrets: Record<string, string> };
  metrics: {
    host: string;
    /** business KPI endpoint (prom-client) */
    port: number;
    /** Temporal SDK (Core) Prometheus exporter `host:port`; undefined = off */
    sdkBindAddress?: string;
  };
  worker: {
    maxCachedWorkflows: number;
    maxConcurrentWorkflowTaskExecutions: number;
    maxConcurrentActivityTaskExecutions: number;
    shutdownGraceTimeMs: number;
  };
  logLevel: LogLevel;
}

export const DEFAULT_TASK_QUEUE = 'rcm-journeys';
export const DEFAULT_SITE_ID = 'demo';
export const DEFAULT_TIME_ZONE = 'America/New_York';
export const DEFAULT_CODING_THRESHOLD = 0.8;
/** The demo UI runs on 8233 (see scripts/demo.ts); compose publishes the UI on 8080. */
export const DEFAULT_CORS_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233', 'http://localhost:8080'];

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const idSchema = z.string().regex(ID, 'expected 1-64 of [A-Za-z0-9._-]');
const taskQueueSchema = z.string().regex(/^[A-Za-z0-9._:/-]{1,200}$/, 'expected 1-200 of [A-Za-z0-9._:/-]');
const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const thresholdSchema = z.number().min(0).max(1);
const port = z.number().int().min(0).max(65535);
const positiveInt = (max: number) => z.number().int().min(1).max(max);
const logLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);

const centsSchema = z.number().int().nonnegative().refine(Number.isSafeInteger, 'not a safe integer');
const approvalLimitsSchema = z
  .record(z.enum(APPROVAL_KINDS), z.record(z.enum(ROLES), centsSchema))
  .default({}) as z.ZodType<ApprovalLimits, z.ZodTypeDef, unknown>;

const siteFileSchema = z
  .object({
    id: idSchema,
    timeZone: z.string().min(1).default(DEFAULT_TIME_ZONE),
    closures: z.array(dateSchema).default([]),
    holidays: z.array(dateSchema).default([]),
    weekendDays: z.array(z.number().int().min(0).max(6)).max(6).optional(),
    codingConfidenceThreshold: thresholdSchema.optional(),
    approvalLimits: approvalLimitsSchema,
    taskQueue: taskQueueSchema.optional(),
  })
  .strict();
type SiteInput = z.infer<typeof siteFileSchema>;

/** What `RCM_CONFIG_FILE` may hold: tunables and sites, never secrets. */
const fileSchema = z
  .object({
    taskQueue: taskQueueSchema.optional(),
    taskQueueStrategy: z.enum(['shared', 'per-site']).optional(),
    codingConfidenceThreshold: thresholdSchema.optional(),
    sites: z.array(siteFileSchema).min(1).optional(),
    codecServer: z
      .object({ host: z.string().min(1), port, corsOrigins: z.array(z.string().url()), namespaces: z.array(z.string().min(1)) })
      .partial()
      .strict()
      .optional(),
    ingress: z.object({ host: z.string().min(1), port }).partial().strict().optional(),
    metrics: z.object({ host: z.string().min(1), port, sdkBindAddress: z.string().min(1) }).partial().strict().optional(),
    worker: z
      .object({
        maxCachedWorkflows: positiveInt(100_000),
        maxConcurrentWorkflowTaskExecutions: positiveInt(10_000),
        maxConcurrentActivityTaskExecutions: positiveInt(10_000),
        shutdownGraceTimeMs: positiveInt(3_600_000),
      })
      .partial()
      .strict()
      .optional(),
    logLevel: logLevelSchema.optional(),
  })
  .strict();
type FileConfig = z.infer<typeof fileSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Loading

export interface LoadConfigOptions {
  /** overrides RCM_CONFIG_FILE */
  file?: string;
}

/**
 * Build the AppConfig from `env` (default `process.env`) and the optional JSON file. Throws one ConfigError listing
 * every invalid variable (names and problems, never values).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: LoadConfigOptions = {}): AppConfig {
  const e = nonEmpty(env);
  const issues: string[] = [];
  const file = readFile(opts.file ?? e.RCM_CONFIG_FILE, issues);

  const temporal = attempt(issues, 'TEMPORAL_* (envconfig)', () => temporalTarget({}, env));

  const sharedQueue = envValue(e, 'RCM_TASK_QUEUE', taskQueueSchema, issues) ?? file.taskQueue ?? DEFAULT_TASK_QUEUE;
  const strategy =
    envValue(e, 'RCM_TASK_QUEUE_STRATEGY', z.enum(['shared', 'per-site']), issues) ?? file.taskQueueStrategy ?? 'shared';
  const defaultThreshold =
    envValue(e, 'RCM_CODING_CONFIDENCE_THRESHOLD', z.coerce.number().pipe(thresholdSchema), issues) ??
    file.codingConfidenceThreshold ??
    DEFAULT_CODING_THRESHOLD;

  const siteInputs = parseSitesEnv(e.RCM_SITES, issues) ?? file.sites ?? [{ id: DEFAULT_SITE_ID, timeZone: DEFAULT_TIME_ZONE, closures: [], holidays: [], approvalLimits: {} }];
  const sites = siteInputs.map((s, i) => finishSite(s, i, { strategy, sharedQueue, defaultThreshold }, issues));
  const seen = new Set<string>();
  for (const s of sites) {
    if (seen.has(s.id)) issues.push(`sites: duplicate site id "${s.id}"`);
    seen.add(s.id);
  }

  const codec = parseCodec(e, issues);
  const codecServerToken = e.RCM_CODEC_SERVER_TOKEN;
  if (codecServerToken !== undefined && codecServerToken.length < 16) issues.push('RCM_CODEC_SERVER_TOKEN: must be at least 16 characters');
  const corsOrigins = e.RCM_CODEC_CORS_ORIGINS
    ? envList(e, 'RCM_CODEC_CORS_ORIGINS', z.string().url(), issues)
    : (file.codecServer?.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  const namespaces = e.RCM_CODEC_NAMESPACES
    ? envList(e, 'RCM_CODEC_NAMESPACES', z.string().min(1), issues)
    : (file.codecServer?.namespaces ?? []);

  const integrations = integrationSections(env, issues);
  const payer = hasPrefix(e, 'PAYER_') ? attempt(issues, 'PAYER_*', () => payerConfigFromEnv(env)) : undefined;

  const sdkMetrics = e.RCM_SDK_METRICS_ADDRESS ?? file.metrics?.sdkBindAddress;
  if (sdkMetrics !== undefined && sdkMetrics !== 'off' && !/^[^:\s]+:\d{1,5}$/.test(sdkMetrics)) {
    issues.push('RCM_SDK_METRICS_ADDRESS: expected host:port (e.g. 0.0.0.0:9465) or "off"');
  }

  const config: AppConfig = {
    demo: !Object.keys(e).some((k) => k.startsWith('RCM_') || k.startsWith('TEMPORAL_')),
    temporal: temporal ?? { connectionOptions: {}, namespace: 'default' },
    taskQueue: { strategy, shared: sharedQueue },
    sites,
    ...(integrations.odoo ? { odoo: integrations.odoo } : {}),
    ...(payer ? { payer } : {}),
    ...(integrations.ai ? { ai: integrations.ai } : {}),
    ...(codec ? { codec } : {}),
    codecServer: {
      host: e.RCM_CODEC_SERVER_HOST ?? file.codecServer?.host ?? '127.0.0.1',
      port: envValue(e, 'RCM_CODEC_SERVER_PORT', z.coerce.number().pipe(port), issues) ?? file.codecServer?.port ?? 8888,
      ...(codecServerToken ? { authToken: codecServerToken } : {}),
      corsOrigins,
      namespaces,
    },
    ingress: {
      host: e.RCM_INGRESS_HOST ?? file.ingress?.host ?? '127.0.0.1',
      port: envValue(e, 'RCM_INGRESS_PORT', z.coerce.number().pipe(port), issues) ?? file.ingress?.port ?? 8787,
      secrets: parseIngressSecrets(e.RCM_INGRESS_SECRETS, issues),
    },
    metrics: {
      host: e.RCM_METRICS_HOST ?? file.metrics?.host ?? '127.0.0.1',
      port: envValue(e, 'RCM_METRICS_PORT', z.coerce.number().pipe(port), issues) ?? file.metrics?.port ?? 9464,
      ...(sdkMetrics && sdkMetrics !== 'off' ? { sdkBindAddress: sdkMetrics } : {}),
    },
    worker: {
      maxCachedWorkflows:
        envValue(e, 'RCM_MAX_CACHED_WORKFLOWS', z.coerce.number().pipe(positiveInt(100_000)), issues) ?? file.worker?.maxCachedWorkflows ?? 1000,
      maxConcurrentWorkflowTaskExecutions:
        envValue(e, 'RCM_MAX_CONCURRENT_WORKFLOW_TASKS', z.coerce.number().pipe(positiveInt(10_000)), issues) ??
        file.worker?.maxConcurrentWorkflowTaskExecutions ??
        40,
      maxConcurrentActivityTaskExecutions:
        envValue(e, 'RCM_MAX_CONCURRENT_ACTIVITIES', z.coerce.number().pipe(positiveInt(10_000)), issues) ??
        file.worker?.maxConcurrentActivityTaskExecutions ??
        50,
      shutdownGraceTimeMs:
        envValue(e, 'RCM_SHUTDOWN_GRACE_MS', z.coerce.number().pipe(positiveInt(3_600_000)), issues) ?? file.worker?.shutdownGraceTimeMs ?? 30_000,
    },
    logLevel: envValue(e, 'RCM_LOG_LEVEL', logLevelSchema, issues) ?? file.logLevel ?? 'info',
  };
  if (issues.length) throw new ConfigError(issues);
  return config;
}

/** The site's config, or an error naming the configured sites. */
export function siteConfig(config: AppConfig, siteId: string): SiteConfig {
  const site = config.sites.find((s) => s.id === siteId);
  if (!site) throw new ConfigError([`unknown site "${siteId}" (configured: ${config.sites.map((s) => s.id).join(', ')})`]);
  return site;
}

/** The task queue journeys of `siteId` run on. */
export function taskQueueForSite(config: AppConfig, siteId: string): string {
  return siteConfig(config, siteId).taskQueue;
}

/** Every distinct task queue the workers must poll (one for the shared strategy). */
export function distinctTaskQueues(config: AppConfig): string[] {
  return [...new Set(config.sites.map((s) => s.taskQueue))];
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** Empty strings mean "unset" (docker-compose writes `FOO=`). */
function nonEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => typeof kv[1] === 'string' && kv[1].trim() !== ''));
}

function hasPrefix(env: Record<string, string>, prefix: string): boolean {
  return Object.keys(env).some((k) => k.startsWith(prefix));
}

function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

function envValue<T>(env: Record<string, string>, name: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, issues: string[]): T | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw.trim());
  if (!parsed.success) {
    issues.push(`${name}: ${describeIssues(parsed.error)}`);
    return undefined;
  }
  return parsed.data;
}

function envList<T>(env: Record<string, string>, name: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, issues: string[]): T[] {
  const out: T[] = [];
  for (const [i, item] of splitList(env[name] ?? '').entries()) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else issues.push(`${name}[${i}]: ${describeIssues(parsed.error)}`);
  }
  return out;
}

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function attempt<T>(issues: string[], label: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    issues.push(`${label}: ${(err as Error).message}`);
    return undefined;
  }
}

function readFile(file: string | undefined, issues: string[]): FileConfig {
  if (!file) return {};
  const where = `RCM_CONFIG_FILE (${path.basename(file)})`;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    issues.push(`${where}: cannot read JSON: ${(err as NodeJS.ErrnoException).code ?? (err as Error).name}`);
    return {};
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push(`${where} ${i.path.join('.') || '(root)'}: ${i.message}`);
    return {};
  }
  return parsed.data;
}

/**
 * `RCM_SITES`: a JSON array of site objects (same shape as the file's `sites`), or the compact form
 * `id[:IANA zone][@task-queue],…`, e.g. `north:America/Chicago,south:America/New_York@rcm-south`.
 */
function parseSitesEnv(raw: string | undefined, issues: string[]): SiteInput[] | undefined {
  if (raw === undefined) return undefined;
  let candidates: unknown[];
  if (raw.trim().startsWith('[')) {
    try {
      candidates = JSON.parse(raw);
    } catch {
      issues.push('RCM_SITES: not valid JSON');
      return undefined;
    }
    if (!Array.isArray(candidates)) return void issues.push('RCM_SITES: expected a JSON array'), undefined;
  } else {
    candidates = splitList(raw).map((item) => {
      const [head, queue] = item.split('@');
      const sep = head.indexOf(':');
      const id = sep < 0 ? head : head.slice(0, sep);
      const timeZone = sep < 0 ? undefined : head.slice(sep + 1);
      return { id, ...(timeZone ? { timeZone } : {}), ...(queue ? { taskQueue: queue } : {}) };
    });
  }
  if (candidates.length === 0) return void issues.push('RCM_SITES: at least one site is required'), undefined;
  const out: SiteInput[] = [];
  candidates.forEach((c, i) => {
    const parsed = siteFileSchema.safeParse(c);
    if (parsed.success) out.push(parsed.data);
    else for (const issue of parsed.error.issues) issues.push(`RCM_SITES[${i}]${issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue.message}`);
  });
  return out.length === candidates.length ? out : undefined;
}

function finishSite(
  s: SiteInput,
  index: number,
  ctx: { strategy: TaskQueueStrategy; sharedQueue: string; defaultThreshold: number },
  issues: string[],
): SiteConfig {
  try {
    validateCalendar({ timeZone: s.timeZone, closures: s.closures, holidays: s.holidays, weekendDays: s.weekendDays });
  } catch (err) {
    issues.push(`sites[${index}] (${s.id}): ${(err as Error).message}`);
  }
  return {
    id: s.id,
    timeZone: s.timeZone,
    closures: s.closures,
    holidays: s.holidays,
    ...(s.weekendDays ? { weekendDays: s.weekendDays } : {}),
    codingConfidenceThreshold: s.codingConfidenceThreshold ?? ctx.defaultThreshold,
    approvalLimits: s.approvalLimits,
    taskQueue: s.taskQueue ?? (ctx.strategy === 'per-site' ? `${ctx.sharedQueue}-${s.id}` : ctx.sharedQueue),
  };
}

/** `RCM_CODEC_KEYS=keyId:base64key,…` (32-byte keys) and `RCM_CODEC_ACTIVE_KEY` (required when several keys). */
function parseCodec(env: Record<string, string>, issues: string[]): CodecConfig | undefined {
  const raw = env.RCM_CODEC_KEYS;
  if (raw === undefined) {
    if (env.RCM_CODEC_ACTIVE_KEY) issues.push('RCM_CODEC_ACTIVE_KEY: set but RCM_CODEC_KEYS is empty');
    return undefined;
  }
  const keys: CodecKey[] = [];
  for (const [i, item] of splitList(raw).entries()) {
    const sep = item.indexOf(':');
    const id = sep < 0 ? '' : item.slice(0, sep).trim();
    const b64 = sep < 0 ? '' : item.slice(sep + 1).trim();
    if (!ID.test(id)) {
      issues.push(`RCM_CODEC_KEYS[${i}]: expected keyId:base64key with keyId of [A-Za-z0-9._-]`);
      continue;
    }
    const key = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) {
      issues.push(`RCM_CODEC_KEYS[${i}] (${id}): key must be 32 bytes of base64 (got ${key.length} bytes)`);
      continue;
    }
    if (keys.some((k) => k.id === id)) {
      issues.push(`RCM_CODEC_KEYS[${i}]: duplicate key id "${id}"`);
      continue;
    }
    keys.push({ id, key });
  }
  if (keys.length === 0) {
    if (!issues.some((i) => i.startsWith('RCM_CODEC_KEYS'))) issues.push('RCM_CODEC_KEYS: no keys');
    return undefined;
  }
  const active = env.RCM_CODEC_ACTIVE_KEY ?? (keys.length === 1 ? keys[0].id : undefined);
  if (!active) {
    issues.push('RCM_CODEC_ACTIVE_KEY: required when RCM_CODEC_KEYS holds several keys');
    return undefined;
  }
  if (!keys.some((k) => k.id === active)) {
    issues.push(`RCM_CODEC_ACTIVE_KEY: "${active}" is not one of the key ids in RCM_CODEC_KEYS (${keys.map((k) => k.id).join(', ')})`);
    return undefined;
  }
  return { keys, activeKeyId: active };
}

/** `RCM_INGRESS_SECRETS=sender:secret,…` — the HMAC secret per webhook sender. */
function parseIngressSecrets(raw: string | undefined, issues: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  for (const [i, item] of splitList(raw).entries()) {
    const sep = item.indexOf(':');
    const sender = sep < 0 ? '' : item.slice(0, sep).trim();
    const secret = sep < 0 ? '' : item.slice(sep + 1).trim();
    if (!ID.test(sender)) issues.push(`RCM_INGRESS_SECRETS[${i}]: expected sender:secret with sender of [A-Za-z0-9._-]`);
    else if (secret.length < 16) issues.push(`RCM_INGRESS_SECRETS[${i}] (${sender}): secret must be at least 16 characters`);
    else if (sender in out) issues.push(`RCM_INGRESS_SECRETS[${i}]: duplicate sender "${sender}"`);
    else out[sender] = secret;
  }
  return out;
}
