import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_REGISTRY } from '../../src/workflows/searchAttributes';
import type { WorkflowBundleOption } from '@temporalio/worker';
import { kpiWorkflowSinks } from '../../src/workers/kpiMetrics';

let runtimeInstalled = false;
/** Keep worker logs quiet in tests (warnings and errors only). */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* already installed in this process */
  }
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests through jest (globalSetup starts the Temporal dev server)`);
  return v;
}

/** The shared real dev server started by globalSetup. */
export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createFromExistingServer({ address: required('TEMPORAL_TEST_ADDRESS') });
}

/** A fresh time-skipping test server (the provisioned binary) for long durable timers, with our search attributes. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: required('TEMPORAL_TEST_SERVER_PATH') } },
  });
  // The time-skipping server takes no --search-attribute flag; register through the operator service instead.
  const types = temporal.api.enums.v1.IndexedValueType;
  const byName = { Keyword: types.INDEXED_VALUE_TYPE_KEYWORD, Datetime: types.INDEXED_VALUE_TYPE_DATETIME, KeywordList: types.INDEXED_VALUE_TYPE_KEYWORD_LIST, Int: types.INDEXED_VALUE_TYPE_INT };
  await (env.client.connection as Connection).operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_REGISTRY).map(([name, type]) => [name, byName[type]])),
  });
  return env;
}

/** The product's workflow bundle, built once per run by globalSetup. */
export function workflowBundle(): { codePath: string } {
  return { codePath: required('RCM_WORKFLOW_BUNDLE') };
}

export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Worker options that keep tests light on 2 cores. */
/**
 * Replay options for the product bundle: the KPI sink registered (replay never calls it, but an unregistered sink
 * is logged as an error for every KPI the workflow code reaches).
 */
export function replayOptions<B extends WorkflowBundleOption>(bundle?: B): { workflowBundle: B | { codePath: string }; sinks: ReturnType<typeof kpiWorkflowSinks> } {
  return { workflowBundle: bundle ?? workflowBundle(), sinks: kpiWorkflowSinks({ record: () => undefined }) };
}

export const testWorkerLimits = { maxCachedWorkflows: 50, maxConcurrentActivityTaskExecutions: 20 } as const;
