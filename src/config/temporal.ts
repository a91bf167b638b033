import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';

/**
 * Temporal connection settings come from @temporalio/envconfig (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE and the TOML config file), so the same code talks
 * to the embedded dev server, a self-hosted cluster or Temporal Cloud with env vars only.
 */
export interface TemporalTarget {
  connectionOptions: ConnectionOptions;
  namespace: string;
}

export function temporalTarget(overrides: { address?: string; namespace?: string } = {}, env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const cfg = loadClientConnectConfig({ overrideEnvVars: definedOnly(env) });
  const connectionOptions = { ...(cfg.connectionOptions as ConnectionOptions) };
  if (overrides.address) connectionOptions.address = overrides.address;
  return { connectionOptions, namespace: overrides.namespace ?? cfg.namespace ?? 'default' };
}

export async function connectClient(target: TemporalTarget, dataConverter?: DataConverter): Promise<Client> {
  const connection = await Connection.connect(target.connectionOptions);
  return new Client({ connection, namespace: target.namespace, dataConverter });
}

export async function connectWorkerConnection(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect(target.connectionOptions as Parameters<typeof NativeConnection.connect>[0]);
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
