import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { DEMO_USERS, findUser, type DemoUser } from './users';
import { deviceCodePage, deviceConfirmPage, deviceDonePage, loginPage } from './views';

/**
 * A local OpenID Connect issuer for the demo and the tests, built on oidc-provider (the certified library): real
 * discovery, JWKS, authorization-code + PKCE (the inbox), device authorization (`rcm login`) and JWT access tokens
 * for the decisions API audience carrying `preferred_username` and the IdP role names in `rcm_roles`. Only the login
 * form is ours; every token is minted and signed by oidc-provider.
 */
export interface OidcIssuerOptions {
  host?: string;
  /** 0 (default) = any free port */
  port?: number;
  /** the access tokens' `aud` (a resource indicator) */
  audience?: string;
  /** the inbox's redirect URIs (authorization code + PKCE, public client `rcm-inbox`) */
  inboxRedirectUris?: string[];
  /** access token lifetime in seconds (default 900) */
  accessTokenTtlSeconds?: number;
  /** private signing keys (JWK, with `kid` and `alg`); default: a fresh RS256 key */
  signingKeys?: JWK[];
  users?: readonly DemoUser[];
}

export interface OidcIssuer {
  /** the issuer identifier (also its base URL) */
  url: string;
  audience: string;
  close(): Promise<void>;
}

export const DEFAULT_AUDIENCE = 'urn:rcm:decisions';
export const INBOX_CLIENT_ID = 'rcm-inbox';
export const CLI_CLIENT_ID = 'rcm-cli';
export const DECISIONS_SCOPE = 'decisions';

export async function newSigningKey(kid = `rcm-${randomBytes(4).toString('hex')}`): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

export async function startOidcIssuer(opts: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const host = opts.host ?? '127.0.0.1';
  const audience = opts.audience ?? DEFAULT_AUDIENCE;
  const users = opts.users ?? DEMO_USERS;
  const keys = opts.signingKeys ?? [await newSigningKey()];
  const ttl = opts.accessTokenTtlSeconds ?? 900;

  // Listen first: the issuer identifier must carry the real port.
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;

  const userById = (id: string) => users.find((u) => u.id === id);
  const configuration: Configuration = {
    clients: [
      {
        client_id: INBOX_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: opts.inboxRedirectUris ?? ['http://127.0.0.1:8790/callback'],
      },
      {
        client_id: CLI_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: keys as Configuration['jwks'] extends { keys: infer K } | undefined ? K : never },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
    async findAccount(_ctx, sub) {
      const user = userById(sub);
      if (!user) return undefined;
      return { accountId: user.id, claims: async () => ({ sub: user.id, preferred_username: user.username, name: user.displayName }) };
    },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        async userCodeInputSource(ctx, form, _out, err) {
          ctx.type = 'html';
          ctx.body = deviceCodePage(form, err ? 'That code is not valid or has expired; try again.' : undefined);
        },
        async userCodeConfirmSource(ctx, form, client, _deviceInfo, userCode) {
          ctx.type = 'html';
          ctx.body = deviceConfirmPage(form, client.clientId, userCode);
        },
        async successSource(ctx) {
          ctx.type = 'html';
          ctx.body = deviceDonePage();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({ scope: DECISIONS_SCOPE, audience, accessTokenTTL: ttl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      },
    },
    async extraTokenClaims(_ctx, token) {
      const user = 'accountId' in token && typeof token.accountId === 'string' ? userById(token.accountId) : undefined;
      return user ? { preferred_username: user.username, rcm_roles: user.roles } : undefined;
    },
    // First-party clients: no consent screen; the grant covers the decisions audience.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const oidc = ctx.oidc;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client!.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId! });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(audience, DECISIONS_SCOPE);
      await grant.save();
      return grant;
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: ttl, AuthorizationCode: 60, DeviceCode: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  };
  const provider = new Provider(url, configuration);

  // The login form: the only hand-written part of the issuer.
  provider.use(async (ctx, next) => {
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(ctx.path);
    if (!m) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (ctx.method === 'GET') {
      ctx.type = 'html';
      ctx.body = loginPage(details.uid, details.params.client_id as string);
      return;
    }
    if (ctx.method === 'POST' && m[2]) {
      const form = new URLSearchParams(await readBody(ctx.req));
      const user = findUser({ username: form.get('username') ?? '' });
      if (!user || user.password !== form.get('password') || !users.includes(user)) {
        ctx.status = 401;
        ctx.type = 'html';
        ctx.body = loginPage(details.uid, details.params.client_id as string, 'Unknown user or wrong password.');
        return;
      }
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
      ctx.respond = false;
      return;
    }
    ctx.status = 405;
  });

  handler = provider.callback();
  return {
    url,
    audience,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive clients (fetch) would otherwise hold the server open
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
