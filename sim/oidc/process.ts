import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

/** The demo issuer in a child process (see main.ts), for callers that cannot load ESM-only oidc-provider in-process. */
export interface IssuerProcess {
  url: string;
  audience: string;
  close(): Promise<void>;
}

export interface IssuerProcessOptions {
  port?: number;
  audience?: string;
  redirectUris?: string[];
  accessTokenTtlSeconds?: number;
  signingKeysFile?: string;
  /** where the issuer's stderr goes (default: inherited) */
  stderr?: 'inherit' | 'ignore';
}

export function spawnOidcIssuer(opts: IssuerProcessOptions = {}): Promise<IssuerProcess> {
  const root = path.resolve(__dirname, '../..');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OIDC_PORT: String(opts.port ?? 0),
    ...(opts.audience ? { OIDC_AUDIENCE: opts.audience } : {}),
    ...(opts.redirectUris ? { OIDC_REDIRECT_URIS: opts.redirectUris.join(',') } : {}),
    ...(opts.accessTokenTtlSeconds ? { OIDC_ACCESS_TOKEN_TTL: String(opts.accessTokenTtlSeconds) } : {}),
    ...(opts.signingKeysFile ? { OIDC_SIGNING_KEYS_FILE: opts.signingKeysFile } : {}),
  };
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(__dirname, 'main.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', opts.stderr ?? 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('OIDC issuer did not start within 30 s')), 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(err);
    };
    const onEarlyExit = (code: number | null) => fail(new Error(`OIDC issuer exited with code ${code}`));
    child.once('exit', onEarlyExit);
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      const { issuer, audience } = JSON.parse(line) as { issuer: string; audience: string };
      resolve({
        url: issuer,
        audience,
        close: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const force = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(force);
        },
      });
    });
  });
}
