import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';

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

/**
 * Worker Deployment Versioning (`RCM_WORKER_DEPLOYMENT_NAME` + `RCM_WORKER_BUILD_ID`, both or neither; the chart sets
 * the build id from the image tag). Off when neither is set: the worker is unversioned, as in the demo and compose.
 * `RCM_WORKER_DEFAULT_VERSIONING` (`pinned` | `auto_upgrade`, default pinned) applies to workflow types that declare
 * no behaviour of their own (see src/workers/versioning.ts for the per-type choice).
 */
export type VersioningBehaviorSetting = 'PINNED' | 'AUTO_UPGRADE';

export interface WorkerDeploymentSettings {
  deploymentName: string;
  buildId: string;
  defaultVersioningBehavior: VersioningBehaviorSetting;
}

// Temporal rejects '.' and ':' in deployment names (they delimit version strings); build ids follow image tags.
const deploymentNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/, "expected 1-200 of [A-Za-z0-9_-] (no '.' or ':')");
const buildIdSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'expected an image tag: 1-128 of [A-Za-z0-9_.-]');
const behaviorSchema = z
  .enum(['pinned', 'auto_upgrade', 'PINNED', 'AUTO_UPGRADE'])
  .transform((v) => v.toUpperCase() as VersioningBehaviorSetting);

/** The worker's deployment version from the environment, undefined when versioning is off; throws listing problems. */
export function workerDeploymentFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerDeploymentSettings | undefined {
  const get = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const name = get('RCM_WORKER_DEPLOYMENT_NAME');
  const buildId = get('RCM_WORKER_BUILD_ID');
  const behavior = get('RCM_WORKER_DEFAULT_VERSIONING');
  if (!name && !buildId) {
    if (behavior) throw new Error('RCM_WORKER_DEFAULT_VERSIONING: set RCM_WORKER_DEPLOYMENT_NAME and RCM_WORKER_BUILD_ID too');
    return undefined;
  }
  const issues: string[] = [];
  if (!name) issues.push('RCM_WORKER_DEPLOYMENT_NAME: required when RCM_WORKER_BUILD_ID is set');
  if (!buildId) issues.push('RCM_WORKER_BUILD_ID: required when RCM_WORKER_DEPLOYMENT_NAME is set');
  const check = <T>(label: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, raw: string | undefined): T | undefined => {
    if (raw === undefined) return undefined;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) issues.push(`${label}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    return parsed.success ? parsed.data : undefined;
  };
  const deploymentName = check('RCM_WORKER_DEPLOYMENT_NAME', deploymentNameSchema, name);
  const build = check('RCM_WORKER_BUILD_ID', buildIdSchema, buildId);
  const defaultVersioningBehavior = check('RCM_WORKER_DEFAULT_VERSIONING', behaviorSchema, behavior) ?? 'PINNED';
  if (issues.length || !deploymentName || !build) throw new Error(issues.join('\n'));
  return { deploymentName, buildId: build, defaultVersioningBehavior };
}
