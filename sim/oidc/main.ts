import fs from 'node:fs';
import { DEFAULT_AUDIENCE, startOidcIssuer } from './issuer';

/**
 * `tsx sim/oidc/main.ts`: run the demo issuer as its own process (oidc-provider is ESM-only, so tests and the demo
 * reach it over HTTP). Settings: OIDC_PORT (0 = any), OIDC_AUDIENCE, OIDC_REDIRECT_URIS (comma-separated),
 * OIDC_ACCESS_TOKEN_TTL (seconds), OIDC_SIGNING_KEYS_FILE (a JSON array of private JWKs).
 * Prints one JSON line `{"issuer": url}` on stdout when ready; stops on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const env = process.env;
  const issuer = await startOidcIssuer({
    port: Number(env.OIDC_PORT ?? 0),
    audience: env.OIDC_AUDIENCE || DEFAULT_AUDIENCE,
    ...(env.OIDC_REDIRECT_URIS ? { inboxRedirectUris: env.OIDC_REDIRECT_URIS.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    ...(env.OIDC_ACCESS_TOKEN_TTL ? { accessTokenTtlSeconds: Number(env.OIDC_ACCESS_TOKEN_TTL) } : {}),
    ...(env.OIDC_SIGNING_KEYS_FILE ? { signingKeys: JSON.parse(fs.readFileSync(env.OIDC_SIGNING_KEYS_FILE, 'utf8')) } : {}),
  });
  process.stdout.write(`${JSON.stringify({ issuer: issuer.url, audience: issuer.audience })}\n`);
  const stop = () => void issuer.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`oidc issuer: ${err.message}\n`);
  process.exit(1);
});
