import type { Client } from '@temporalio/client';
import { createDecisionsService } from '../../src/client/decisions/server';
import type { JourneyClient } from '../../src/client/journeyClient';
import type { ApprovalPolicy } from '../../src/domain/approvals/policy';
import { loadDecisionsConfig } from '../../src/config/decisions';
import { spawnOidcIssuer, type IssuerProcess } from '../../sim/oidc/process';
import { DEMO_USERS } from '../../sim/oidc/users';
import { preferredOrFreePort } from '../temporal/ports';

/**
 * The inbox and decisions API for the demo. With RCM_OIDC_ISSUER set (e.g. Keycloak from docker-compose) that issuer
 * is trusted; otherwise the local demo issuer (sim/oidc, oidc-provider) runs with the demo users. Port 8790 when free
 * (RCM_DECISIONS_PORT pins it).
 */
export interface DemoDecisions {
  inboxUrl: string;
  issuerUrl: string;
  /** the local issuer's users (absent when an external issuer is used) */
  users?: { username: string; password: string; id: string; roles: string[] }[];
  close(): Promise<void>;
}

export async function startDemoDecisions(opts: { env: NodeJS.ProcessEnv; client: Client; journeys: JourneyClient; temporalUiUrl?: string; sites: string[]; approvalPolicyFor?: (siteId: string | undefined) => ApprovalPolicy; log: (line: string) => void }): Promise<DemoDecisions> {
  const { env } = opts;
  const host = env.RCM_DECISIONS_HOST?.trim() || '127.0.0.1';
  // The login callback URL must be known before listening, so port 0 means "pick a free one now".
  const pinned = env.RCM_DECISIONS_PORT?.trim() ? Number(env.RCM_DECISIONS_PORT) : undefined;
  const port = pinned ? pinned : await preferredOrFreePort(pinned === 0 ? undefined : 8790, host);
  const publicUrl = env.RCM_DECISIONS_PUBLIC_URL?.trim() || `http://${host}:${port}`;
  let issuer: IssuerProcess | undefined;
  if (!env.RCM_OIDC_ISSUER?.trim()) issuer = await spawnOidcIssuer({ redirectUris: [`${publicUrl}/callback`], stderr: 'ignore' });
  try {
    const config = loadDecisionsConfig({
      ...env,
      ...(issuer ? { RCM_OIDC_ISSUER: issuer.url, RCM_OIDC_AUDIENCE: issuer.audience } : {}),
      RCM_DECISIONS_HOST: host,
      RCM_DECISIONS_PORT: String(port),
      RCM_DECISIONS_PUBLIC_URL: publicUrl,
      ...(opts.temporalUiUrl ? { RCM_TEMPORAL_UI_URL: opts.temporalUiUrl } : {}),
    });
    const app = await createDecisionsService({ config, journeys: opts.journeys, client: opts.client, sites: opts.sites, ...(opts.approvalPolicyFor ? { approvalPolicyFor: opts.approvalPolicyFor } : {}), logger: { level: 'info', stream: { write: opts.log } } });
    await app.listen({ host, port });
    return {
      inboxUrl: `${publicUrl}/inbox`,
      issuerUrl: config.issuer,
      ...(issuer ? { users: DEMO_USERS.map((u) => ({ username: u.username, password: u.password, id: u.id, roles: u.roles })) } : {}),
      async close() {
        await app.close();
        await issuer?.close();
      },
    };
  } catch (err) {
    await issuer?.close();
    throw err;
  }
}
