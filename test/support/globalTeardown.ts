import type { DevServer } from '../../scripts/temporal/devServer';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __RCM_DEV_SERVER__?: DevServer };
  const server = g.__RCM_DEV_SERVER__;
  g.__RCM_DEV_SERVER__ = undefined;
  await server?.stop();
}
