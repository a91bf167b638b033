import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { freePort } from '../../scripts/temporal/ports';
import { spawnOidcIssuer, type IssuerProcess } from '../../sim/oidc/process';
import { loadDecisionsConfig, type DecisionsConfig } from '../../src/config/decisions';
import { createDecisionsService } from '../../src/client/decisions/server';
import { createJourneyClient, type JourneyClient } from '../../src/client/journeyClient';
import type { JourneyHarness } from './journeyHarness';
import { loginForToken } from './oidcLogin';

/**
 * The decisions service as it runs in the demo, over a journey harness: the demo OIDC issuer (its own process, with a
 * signing key made here so tests can also sign deliberately bad tokens with it) and the service on a real port.
 */
export interface DecisionsStack {
  issuer: IssuerProcess;
  /** the issuer's private signing key (for expired / wrong-audience tokens signed by the right key) */
  signingKey: JWK;
  config: DecisionsConfig;
  url: string;
  journeys: JourneyClient;
  /** a real issuer token for a demo user (authorization code + PKCE through the issuer's login form) */
  tokenFor(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startDecisionsStack(h: JourneyHarness, opts: { accessTokenTtlSeconds?: number } = {}): Promise<DecisionsStack> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey: JWK = { ...(await exportJWK(privateKey)), kid: 'test-issuer-key', alg: 'RS256', use: 'sig' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-oidc-'));
  const keysFile = path.join(dir, 'keys.json');
  fs.writeFileSync(keysFile, JSON.stringify([signingKey]), { mode: 0o600 });

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const issuer = await spawnOidcIssuer({ redirectUris: [`${url}/callback`], signingKeysFile: keysFile, stderr: 'ignore', ...(opts.accessTokenTtlSeconds ? { accessTokenTtlSeconds: opts.accessTokenTtlSeconds } : {}) });
  const config = loadDecisionsConfig({ RCM_OIDC_ISSUER: issuer.url, RCM_DECISIONS_PORT: String(port), RCM_TEMPORAL_UI_URL: 'http://127.0.0.1:8233' });
  const journeys = createJourneyClient({ client: h.client, taskQueueFor: () => h.taskQueue });
  let app: FastifyInstance | undefined;
  try {
    app = await createDecisionsService({ config, journeys, client: h.client, sites: ['site-a'] });
    await app.listen({ host: '127.0.0.1', port });
  } catch (err) {
    await issuer.close();
    throw err;
  }
  const passwords: Record<string, string> = { preparer: 'preparer-pass', coder: 'coder-pass', approver: 'approver-pass', supervisor: 'supervisor-pass', cfo: 'cfo-pass', viewer: 'viewer-pass' };
  return {
    issuer,
    signingKey,
    config,
    url,
    journeys,
    tokenFor: (username, password) =>
      loginForToken({ issuer: issuer.url, clientId: config.inboxClientId, redirectUri: `${url}/callback`, audience: config.audience, username, password: password ?? passwords[username] }),
    async close() {
      await app?.close();
      await issuer.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
