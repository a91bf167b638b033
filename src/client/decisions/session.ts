import { createHash, randomBytes } from 'node:crypto';
import type { VerifiedIdentity } from './auth';

/**
 * Browser sessions of the inbox: an opaque random id in an HttpOnly, SameSite=Lax cookie → the user's access token
 * (kept server-side only) and a CSRF token for the decision forms. The token is verified again on every request,
 * so an expired token ends the session. In memory: a restart means signing in again.
 */
export interface Session {
  id: string;
  accessToken: string;
  identity: VerifiedIdentity;
  csrf: string;
}

export interface PendingLogin {
  codeVerifier: string;
  returnTo: string;
  createdAt: number;
}

export const SESSION_COOKIE = 'rcm_inbox';
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Map<string, PendingLogin>();

  create(accessToken: string, identity: VerifiedIdentity): Session {
    const session = { id: token(), accessToken, identity, csrf: token() };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | undefined {
    return id ? this.sessions.get(id) : undefined;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** Start an authorization-code + PKCE login: returns the state and the S256 challenge. */
  begin(returnTo: string, now = Date.now()): { state: string; codeChallenge: string } {
    for (const [state, p] of this.pending) if (now - p.createdAt > PENDING_TTL_MS || this.pending.size > MAX_PENDING) this.pending.delete(state);
    const state = token();
    const codeVerifier = token();
    this.pending.set(state, { codeVerifier, returnTo, createdAt: now });
    return { state, codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url') };
  }

  /** The pending login for `state`, once (a replayed callback finds nothing). */
  take(state: string, now = Date.now()): PendingLogin | undefined {
    const p = this.pending.get(state);
    this.pending.delete(state);
    return p && now - p.createdAt <= PENDING_TTL_MS ? p : undefined;
  }
}

function token(): string {
  return randomBytes(32).toString('base64url');
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** Only same-site paths: never an absolute or protocol-relative URL (no open redirect). */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : '/inbox';
}
