import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { ID_PATTERN } from '../../domain/schemas/common';

/**
 * Bearer token verification with jose against the issuer's JWKS (from its discovery document): signature by a key
 * the issuer publishes, asymmetric algorithms only (no `none`, no HS* with a guessed secret), exact issuer, our
 * audience, not expired / not before. The actor comes from the verified token, never from a request body.
 */
export interface VerifiedIdentity {
  /** the journey actorId: the token's `sub` or `preferred_username` (per config) */
  actorId: string;
  subject: string;
  issuer: string;
  username?: string;
  /** the IdP role names from the configured claim (mapped to product roles per site by policy.ts) */
  idpRoles: string[];
  /** seconds since the epoch */
  expiresAt: number;
}

export class AuthError extends Error {
  constructor(
    readonly reason: 'missing_token' | 'invalid_token' | 'expired_token' | 'wrong_issuer' | 'wrong_audience' | 'unsigned_token' | 'bad_subject',
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  jwksUri?: string;
  /** default `<issuer>/.well-known/openid-configuration` */
  discoveryUrl?: string;
  actorClaim: 'sub' | 'preferred_username';
  /** dotted path, e.g. `rcm_roles` or Keycloak's `realm_access.roles` */
  roleClaim: string;
  /** clock skew allowed on exp/nbf (default 5 s) */
  clockToleranceSeconds?: number;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedIdentity>;
  /** the issuer's discovery document (endpoints for the inbox login and `rcm login`) */
  discovery(): Promise<Discovery>;
}

const DiscoverySchema = z
  .object({
    issuer: z.string(),
    jwks_uri: z.string().url(),
    authorization_endpoint: z.string().url(),
    token_endpoint: z.string().url(),
    device_authorization_endpoint: z.string().url().optional(),
    end_session_endpoint: z.string().url().optional(),
  })
  .passthrough();
export type Discovery = z.infer<typeof DiscoverySchema>;

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export function createTokenVerifier(opts: VerifierOptions): TokenVerifier {
  let discovered: Promise<Discovery> | undefined;
  let jwks: JWTVerifyGetKey | undefined;

  const discovery = (): Promise<Discovery> =>
    (discovered ??= (async () => {
      const res = await fetch(opts.discoveryUrl ?? `${opts.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`issuer discovery answered ${res.status}`);
      const doc = DiscoverySchema.parse(await res.json());
      if (doc.issuer !== opts.issuer) throw new Error(`issuer discovery names ${doc.issuer}, expected ${opts.issuer}`);
      return doc;
    })().catch((err) => {
      discovered = undefined; // try again on the next request
      throw err;
    }));

  async function keys(): Promise<JWTVerifyGetKey> {
    if (jwks) return jwks;
    const uri = opts.jwksUri ?? (await discovery()).jwks_uri;
    jwks = createRemoteJWKSet(new URL(uri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    return jwks;
  }

  return {
    discovery,
    async verify(token) {
      if (!token) throw new AuthError('missing_token', 'a bearer token is required');
      if (isUnsigned(token)) throw new AuthError('unsigned_token', 'unsigned tokens are not accepted');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keys(), {
          issuer: opts.issuer,
          audience: opts.audience,
          algorithms: ALGORITHMS,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: opts.clockToleranceSeconds ?? 5,
        }));
      } catch (err) {
        throw toAuthError(err);
      }
      const actor = opts.actorClaim === 'sub' ? payload.sub : payload.preferred_username;
      if (typeof actor !== 'string' || !ID_PATTERN.test(actor)) {
        throw new AuthError('bad_subject', `the token's ${opts.actorClaim} is not a usable actor id (1-64 of [A-Za-z0-9._-])`);
      }
      const roles = claimAt(payload, opts.roleClaim);
      return {
        actorId: actor,
        subject: payload.sub as string,
        issuer: payload.iss as string,
        ...(typeof payload.preferred_username === 'string' ? { username: payload.preferred_username } : {}),
        idpRoles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
        expiresAt: payload.exp as number,
      };
    },
  };
}

/** `alg: none` (or no signature part) is refused before any key lookup. */
function isUnsigned(token: string): boolean {
  const [header, , signature] = token.split('.');
  try {
    const alg = (JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')) as { alg?: unknown }).alg;
    return typeof alg === 'string' && alg.toLowerCase() === 'none' ? true : !signature;
  } catch {
    return false; // not even a JWS header: jwtVerify reports it as invalid
  }
}

function toAuthError(err: unknown): AuthError {
  if (err instanceof joseErrors.JWTExpired) return new AuthError('expired_token', 'the token has expired');
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return new AuthError('wrong_issuer', 'the token was not issued by the trusted issuer');
    if (err.claim === 'aud') return new AuthError('wrong_audience', 'the token is not meant for this service (audience)');
    return new AuthError('invalid_token', `token claim ${err.claim} is invalid`);
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return new AuthError('unsigned_token', 'the token algorithm is not accepted');
  if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new AuthError('invalid_token', 'the token signature does not verify with the issuer keys');
  }
  if (err instanceof joseErrors.JOSEError) return new AuthError('invalid_token', 'the token is malformed or invalid');
  // Discovery / JWKS fetch problems are not the caller's fault: let them surface as 5xx.
  throw err;
}

function claimAt(payload: JWTPayload, dotted: string): unknown {
  let node: unknown = payload;
  for (const part of dotted.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
