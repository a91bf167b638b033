import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * `rcm`'s side of the decisions API: sign in with the OAuth device authorization grant (RFC 8628) against the issuer
 * the service names, cache the access token in a file only the user can read (0600), and send decisions with it.
 * `rcm` needs no Temporal or integration settings for decisions: only where the service is (RCM_DECISIONS_URL).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface CachedToken {
  decisionsUrl: string;
  issuer: string;
  accessToken: string;
  /** ISO instant */
  expiresAt: string;
}

const CachedTokenSchema = z.object({ decisionsUrl: z.string().url(), issuer: z.string(), accessToken: z.string().min(1), expiresAt: z.string() });

export function tokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.RCM_TOKEN_FILE || path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'rcm', 'token.json');
}

export function decisionsUrl(env: NodeJS.ProcessEnv = process.env, override?: string): string {
  const url = (override ?? env.RCM_DECISIONS_URL ?? 'http://127.0.0.1:8790').replace(/\/+$/, '');
  if (!z.string().url().safeParse(url).success) throw new ApiError(0, 'config', 'RCM_DECISIONS_URL: must be a URL');
  return url;
}

export function saveToken(file: string, token: CachedToken): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify(token, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // an existing file keeps its old mode on write
}

export function loadToken(file: string): CachedToken | undefined {
  try {
    const parsed = CachedTokenSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const OidcInfoSchema = z.object({ issuer: z.string(), audience: z.string(), cliClientId: z.string(), tokenEndpoint: z.string().url(), deviceAuthorizationEndpoint: z.string().url().optional() });
const DeviceSchema = z.object({ device_code: z.string(), user_code: z.string(), verification_uri: z.string(), verification_uri_complete: z.string().optional(), expires_in: z.number(), interval: z.number().optional() });

export interface DeviceLoginPrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
}

/** The device flow: ask for a code, let the user approve it in a browser, poll the token endpoint until done. */
export async function deviceLogin(baseUrl: string, prompt: (p: DeviceLoginPrompt) => void, opts: { sleep?: (ms: number) => Promise<void> } = {}): Promise<CachedToken> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const info = OidcInfoSchema.parse(await getJson(`${baseUrl}/api/oidc`));
  if (!info.deviceAuthorizationEndpoint) throw new ApiError(0, 'unsupported', `the issuer ${info.issuer} offers no device authorization endpoint`);
  const device = DeviceSchema.parse(await postForm(info.deviceAuthorizationEndpoint, { client_id: info.cliClientId, scope: 'openid profile decisions', resource: info.audience }));
  prompt({ userCode: device.user_code, verificationUri: device.verification_uri, ...(device.verification_uri_complete ? { verificationUriComplete: device.verification_uri_complete } : {}) });
  let interval = (device.interval ?? 5) * 1000;
  const deadline = Date.now() + device.expires_in * 1000;
  while (Date.now() < deadline) {
    await sleep(interval); // RFC 8628 §3.5: the client must wait `interval` between polls
    const res = await fetch(info.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code, client_id: info.cliClientId, resource: info.audience }),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (body.access_token) {
      return { decisionsUrl: baseUrl, issuer: info.issuer, accessToken: body.access_token, expiresAt: new Date(Date.now() + (body.expires_in ?? 300) * 1000).toISOString() };
    }
    if (body.error === 'authorization_pending') continue;
    if (body.error === 'slow_down') {
      interval += 5000;
      continue;
    }
    throw new ApiError(res.status, body.error ?? 'login_failed', body.error_description ?? body.error ?? `token endpoint answered ${res.status}`);
  }
  throw new ApiError(0, 'expired_token', 'the device code expired before it was approved');
}

/** Call the decisions API with the cached token; errors carry the API's status and message. */
export async function callApi<T>(token: CachedToken, method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<T> {
  const res = await fetch(`${token.decisionsUrl}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${token.accessToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!res.ok) throw new ApiError(res.status, json.error ?? 'error', json.message ?? `HTTP ${res.status}`);
  return json as T;
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new ApiError(res.status, 'unavailable', `${url} answered ${res.status}`);
  return res.json();
}

async function postForm(url: string, form: Record<string, string>): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form), signal: AbortSignal.timeout(10_000) });
  const json = (await res.json()) as { error?: string; error_description?: string };
  if (!res.ok) throw new ApiError(res.status, json.error ?? 'error', json.error_description ?? `${url} answered ${res.status}`);
  return json;
}
