import { z } from 'zod';
import { ROLES, type Role } from '../domain/schemas/common';
import { DEFAULT_APPROVAL_POLICY, approvalPolicyFor, type ApprovalPolicy } from '../domain/approvals/policy';
import { ConfigError, type AppConfig } from './index';
import { journeyOptionsFor } from './journeyOptions';

/**
 * The decisions service (authenticated decisions API + inbox): who issues the tokens it trusts and how the token's
 * role claim maps to product roles, per site. Read only by the commands that use it (`rcm decisions`, `rcm login`,
 * the demo), so nothing else needs these variables.
 *
 *   RCM_OIDC_ISSUER          issuer identifier (its discovery document gives the JWKS and endpoints) — required
 *   RCM_OIDC_AUDIENCE        the access tokens' `aud` (default `urn:rcm:decisions`)
 *   RCM_OIDC_DISCOVERY_URL   where to read the discovery document (default <issuer>/.well-known/openid-configuration;
 *                            in compose the service reaches Keycloak by its container name while tokens name localhost)
 *   RCM_OIDC_JWKS_URI        override the discovered JWKS URI
 *   RCM_OIDC_ACTOR_CLAIM     `sub` (default) or `preferred_username`: the claim that becomes the journey actorId
 *   RCM_OIDC_ROLE_CLAIM      dotted path of the role-name array in the token (default `rcm_roles`; Keycloak: `realm_access.roles`)
 *   RCM_OIDC_ROLE_MAP        JSON `{ "<siteId>|*": { "<IdP role>": "<product role>" } }`; a site's map replaces `*` for that site
 *   RCM_OIDC_INBOX_CLIENT_ID public client of the inbox's authorization-code + PKCE login (default `rcm-inbox`)
 *   RCM_OIDC_CLI_CLIENT_ID   public client of `rcm login`'s device flow (default `rcm-cli`)
 *   RCM_DECISIONS_HOST/PORT  where the service listens (default 127.0.0.1:8790)
 *   RCM_DECISIONS_PUBLIC_URL its URL as browsers reach it (default http://HOST:PORT); the login callback is <url>/callback
 *   RCM_TEMPORAL_UI_URL      Temporal UI base for the journey page's run link (default http://localhost:8233)
 *   RCM_DECISIONS_URL        where `rcm` sends decisions (default the public URL)
 */
export type RoleMap = Record<string, Record<string, Role>>;

export interface DecisionsConfig {
  issuer: string;
  audience: string;
  jwksUri?: string;
  discoveryUrl?: string;
  actorClaim: 'sub' | 'preferred_username';
  roleClaim: string;
  roleMap: RoleMap;
  inboxClientId: string;
  cliClientId: string;
  host: string;
  port: number;
  publicUrl: string;
  temporalUiUrl: string;
}

/** IdP role names of the demo issuer and the Keycloak realm, valid for every site unless a site has its own map. */
export const DEFAULT_ROLE_MAP: RoleMap = {
  '*': {
    'intake-coordinator': 'intake_coordinator',
    scheduler: 'scheduler',
    coder: 'coder',
    'coding-supervisor': 'coding_supervisor',
    'billing-specialist': 'billing_specialist',
    'billing-supervisor': 'billing_supervisor',
    'revenue-cycle-manager': 'revenue_cycle_manager',
    cfo: 'cfo',
  },
};

const humanRoles = ROLES.filter((r) => r !== 'system') as [Role, ...Role[]];
const roleMapSchema = z.record(z.string().regex(/^(\*|[A-Za-z0-9._-]{1,64})$/), z.record(z.string().min(1).max(200), z.enum(humanRoles)));
const urlSchema = z.string().url();

export function loadDecisionsConfig(env: NodeJS.ProcessEnv = process.env): DecisionsConfig {
  const issues: string[] = [];
  const get = (name: string) => env[name]?.trim() || undefined;
  const url = (name: string, fallback?: string): string => {
    const v = get(name) ?? fallback;
    if (v === undefined) {
      issues.push(`${name}: Required`);
      return '';
    }
    if (!urlSchema.safeParse(v).success) issues.push(`${name}: must be a URL`);
    return v.replace(/\/+$/, '');
  };

  const issuer = url('RCM_OIDC_ISSUER');
  const actorClaim = get('RCM_OIDC_ACTOR_CLAIM') ?? 'sub';
  if (actorClaim !== 'sub' && actorClaim !== 'preferred_username') issues.push('RCM_OIDC_ACTOR_CLAIM: must be sub or preferred_username');
  let roleMap = DEFAULT_ROLE_MAP;
  const rawMap = get('RCM_OIDC_ROLE_MAP');
  if (rawMap) {
    try {
      const parsed = roleMapSchema.safeParse(JSON.parse(rawMap));
      if (parsed.success) roleMap = parsed.data;
      else issues.push(`RCM_OIDC_ROLE_MAP: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    } catch {
      issues.push('RCM_OIDC_ROLE_MAP: not JSON');
    }
  }
  const host = get('RCM_DECISIONS_HOST') ?? '127.0.0.1';
  const port = Number(get('RCM_DECISIONS_PORT') ?? 8790);
  if (!Number.isInteger(port) || port < 0 || port > 65535) issues.push('RCM_DECISIONS_PORT: must be a port number');
  const publicUrl = url('RCM_DECISIONS_PUBLIC_URL', `http://${host}:${port}`);
  const temporalUiUrl = url('RCM_TEMPORAL_UI_URL', 'http://localhost:8233');
  const jwksUri = get('RCM_OIDC_JWKS_URI') ? url('RCM_OIDC_JWKS_URI') : undefined;
  const discoveryUrl = get('RCM_OIDC_DISCOVERY_URL') ? url('RCM_OIDC_DISCOVERY_URL') : undefined;
  if (issues.length) throw new ConfigError(issues);
  return {
    issuer,
    audience: get('RCM_OIDC_AUDIENCE') ?? 'urn:rcm:decisions',
    ...(jwksUri ? { jwksUri } : {}),
    ...(discoveryUrl ? { discoveryUrl } : {}),
    actorClaim: actorClaim as DecisionsConfig['actorClaim'],
    roleClaim: get('RCM_OIDC_ROLE_CLAIM') ?? 'rcm_roles',
    roleMap,
    inboxClientId: get('RCM_OIDC_INBOX_CLIENT_ID') ?? 'rcm-inbox',
    cliClientId: get('RCM_OIDC_CLI_CLIENT_ID') ?? 'rcm-cli',
    host,
    port,
    publicUrl,
    temporalUiUrl,
  };
}

/** The product roles a token's IdP role names grant at one site (the site's own map, else `*`). */
export function rolesForSite(roleMap: RoleMap, siteId: string, idpRoles: readonly string[]): Role[] {
  const map = roleMap[siteId] ?? roleMap['*'] ?? {};
  const out = new Set<Role>();
  for (const name of idpRoles) {
    const role = Object.prototype.hasOwnProperty.call(map, name) ? map[name] : undefined;
    if (role) out.add(role);
  }
  return ROLES.filter((r) => out.has(r));
}

/** The approval policy a journey at this site starts with (defaults + the site's limits), for the inbox's "mine" queue. */
export function sitePolicies(config: Pick<AppConfig, 'sites'>): (siteId: string | undefined) => ApprovalPolicy {
  return (siteId) => (siteId ? approvalPolicyFor(DEFAULT_APPROVAL_POLICY, journeyOptionsFor(config, siteId)?.approvalPolicy) : DEFAULT_APPROVAL_POLICY);
}
