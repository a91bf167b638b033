import { z } from 'zod';

function isHttpUrl(u: string): boolean {
  try {
    const parsed = new URL(u);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Which external API to speak. `auto` probes the server version: JSON-2 from Odoo 19, JSON-RPC before. */
export const OdooProtocolSchema = z.enum(['auto', 'jsonrpc', 'json2']);
export type OdooProtocolSetting = z.infer<typeof OdooProtocolSchema>;

export const OdooConfigSchema = z.object({
  /** Base URL of the Odoo server, e.g. `https://odoo.example.com` (no path). */
  url: z
    .string()
    .refine(isHttpUrl, { message: 'must be an http(s) URL' })
    .transform((u) => u.replace(/\/+$/, '')),
  db: z.string().min(1),
  login: z.string().min(1),
  /** API key (used as the password for JSON-RPC and as the bearer token for JSON-2). Never logged. */
  apiKey: z.string().min(1),
  protocol: OdooProtocolSchema.default('auto'),
  /** Per-request timeout; keep it well below the activity's startToCloseTimeout. */
  timeoutMs: z.number().int().min(100).max(300_000).default(15_000),
});

/** What callers pass (protocol and timeoutMs optional). */
export type OdooConfig = z.input<typeof OdooConfigSchema>;
/** After validation and defaults. */
export type ResolvedOdooConfig = z.output<typeof OdooConfigSchema>;

const ENV_NAMES: Record<keyof ResolvedOdooConfig, string> = {
  url: 'ODOO_URL',
  db: 'ODOO_DB',
  login: 'ODOO_LOGIN',
  apiKey: 'ODOO_API_KEY',
  protocol: 'ODOO_PROTOCOL',
  timeoutMs: 'ODOO_TIMEOUT_MS',
};

export class OdooConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Odoo configuration: ${problems.join('; ')}`);
    this.name = 'OdooConfigError';
  }
}

function describeIssues(error: z.ZodError, names: (key: string) => string): string[] {
  // Messages name the setting and the rule, never the value (the API key must not end up in logs).
  return error.issues.map((i) => `${names(String(i.path[0] ?? '?'))}: ${i.message}`);
}

/** Validate a config object; throws one OdooConfigError listing every problem. */
export function parseOdooConfig(config: OdooConfig): ResolvedOdooConfig {
  const r = OdooConfigSchema.safeParse(config);
  if (!r.success) throw new OdooConfigError(describeIssues(r.error, (k) => k));
  return r.data;
}

/**
 * Read ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_API_KEY, ODOO_PROTOCOL (auto|jsonrpc|json2) and optional
 * ODOO_TIMEOUT_MS. Throws one OdooConfigError naming every missing/invalid variable.
 */
export function odooConfigFromEnv(env: Record<string, string | undefined> = process.env): ResolvedOdooConfig {
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const timeout = blank(env.ODOO_TIMEOUT_MS);
  const candidate = {
    url: blank(env.ODOO_URL),
    db: blank(env.ODOO_DB),
    login: blank(env.ODOO_LOGIN),
    apiKey: blank(env.ODOO_API_KEY),
    protocol: blank(env.ODOO_PROTOCOL)?.toLowerCase(),
    timeoutMs: timeout === undefined ? undefined : /^\d+$/.test(timeout) ? Number(timeout) : Number.NaN,
  };
  const r = OdooConfigSchema.safeParse(candidate);
  if (!r.success) throw new OdooConfigError(describeIssues(r.error, (k) => ENV_NAMES[k as keyof ResolvedOdooConfig] ?? k));
  return r.data;
}
