import fc from 'fast-check';
import { SignJWT, importJWK, type JWK, type JWTPayload } from 'jose';

/**
 * Generators of bearer tokens the decisions API must refuse (401, or 403 when only the role claim is missing): each
 * kind isolates one defect on an otherwise well-formed token signed by the issuer's real key, so a refusal proves that
 * check, not a neighbour's. Used by test/integration/decisions.fuzz.test.ts (fixed seed in npm test, anew in chaos).
 */
export interface TokenContext {
  issuer: string;
  audience: string;
  /** the issuer's real private signing key */
  signingKey: JWK;
  /** a key the issuer never published, with the same kid */
  foreignKey: JWK;
}

export type HostileKind = 'forged' | 'tampered' | 'expired' | 'not_yet_valid' | 'wrong_audience' | 'wrong_issuer' | 'alg_none' | 'alg_hs256' | 'missing_claims' | 'garbage';
export interface HostileToken {
  kind: HostileKind;
  make(ctx: TokenContext): Promise<string>;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
// preferred_username is optional (the actor is `sub`): a token without it is valid, so it is never dropped.
const CLAIMS = ['sub', 'exp', 'iss', 'aud', 'rcm_roles'] as const;
type Claim = (typeof CLAIMS)[number] | 'preferred_username';

function baseClaims(ctx: TokenContext): Record<Claim | 'iat', unknown> {
  const t = now();
  return { sub: 'biller-2', preferred_username: 'approver', rcm_roles: ['billing-specialist', 'cfo'], iss: ctx.issuer, aud: ctx.audience, iat: t, exp: t + 300 };
}

async function sign(claims: Record<string, unknown>, key: JWK, alg = 'RS256'): Promise<string> {
  return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg, kid: key.kid as string, typ: 'at+jwt' }).sign(await importJWK(key, alg));
}

/** Header-safe printable ASCII (fetch refuses control characters in a header before anything is sent). */
const headerChars = fc.constantFrom(...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)));
const headerString = (max: number) => fc.array(headerChars, { maxLength: max }).map((cs) => cs.join(''));
const b64Segment = fc.array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), { maxLength: 200 }).map((cs) => cs.join(''));
const foreignText = fc.string({ unit: 'grapheme', maxLength: 40 });

export const hostileToken: fc.Arbitrary<HostileToken> = fc.oneof(
  fc.constant<HostileToken>({ kind: 'forged', make: (c) => sign(baseClaims(c), c.foreignKey) }),
  // A real signature over other claims: the payload escalated to CFO after signing.
  fc.constant<HostileToken>({
    kind: 'tampered',
    make: async (c) => {
      const [h, , s] = (await sign({ ...baseClaims(c), rcm_roles: ['billing-specialist'] }, c.signingKey)).split('.');
      return `${h}.${b64({ ...baseClaims(c), rcm_roles: ['cfo'] })}.${s}`;
    },
  }),
  fc.integer({ min: 60, max: 10 * 365 * 86_400 }).map<HostileToken>((ago) => ({ kind: 'expired', make: (c) => sign({ ...baseClaims(c), iat: now() - ago - 600, exp: now() - ago }, c.signingKey) })),
  fc.integer({ min: 120, max: 86_400 }).map<HostileToken>((ahead) => ({ kind: 'not_yet_valid', make: (c) => sign({ ...baseClaims(c), nbf: now() + ahead }, c.signingKey) })),
  fc.oneof(foreignText, fc.array(foreignText, { maxLength: 3 })).map<HostileToken>((aud) => ({ kind: 'wrong_audience', make: (c) => sign({ ...baseClaims(c), aud: aud === c.audience ? `${aud}x` : aud }, c.signingKey) })),
  foreignText.map<HostileToken>((iss) => ({ kind: 'wrong_issuer', make: (c) => sign({ ...baseClaims(c), iss: iss === c.issuer ? `${iss}x` : iss }, c.signingKey) })),
  fc.tuple(fc.constantFrom('none', 'None', 'NONE', 'nOnE'), fc.constantFrom('', 'sig', '.')).map<HostileToken>(([alg, sig]) => ({ kind: 'alg_none', make: async (c) => `${b64({ alg, typ: 'JWT' })}.${b64(baseClaims(c))}.${sig}` })),
  // Algorithm confusion: HMAC keyed with the issuer's public modulus.
  fc.constant<HostileToken>({ kind: 'alg_hs256', make: (c) => new SignJWT(baseClaims(c) as JWTPayload).setProtectedHeader({ alg: 'HS256', kid: c.signingKey.kid as string }).sign(Buffer.from(String(c.signingKey.n))) }),
  fc.subarray([...CLAIMS], { minLength: 1 }).map<HostileToken>((drop) => ({
    kind: 'missing_claims',
    make: (c) => {
      const claims: Record<string, unknown> = baseClaims(c);
      for (const k of drop) delete claims[k];
      return sign(claims, c.signingKey);
    },
  })),
  fc.oneof(
    headerString(300),
    fc.tuple(b64Segment, b64Segment, b64Segment).map(([a, b, s]) => `${a}.${b}.${s}`),
    fc.tuple(fc.jsonValue(), fc.jsonValue(), b64Segment).map(([a, b, s]) => `${b64(a)}.${b64(b)}.${s}`),
    fc.tuple(headerString(40), headerString(40)).map(([a, b]) => `${a}.${b}`),
  ).map<HostileToken>((t) => ({ kind: 'garbage', make: async () => t })),
);
