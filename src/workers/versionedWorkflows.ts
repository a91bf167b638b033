/**
 * Workflow bundle entry for the product: every workflow type of src/workflows, each declaring its versioning
 * behaviour from WORKFLOW_VERSIONING (ignored by an unversioned worker). Runs inside the workflow sandbox: imports
 * only @temporalio/workflow, the workflows and the pure policy table. A type that sets its own behaviour in its
 * module keeps it.
 */
import { setWorkflowOptions } from '@temporalio/workflow';
import * as workflows from '../workflows';
import { WORKFLOW_VERSIONING } from './versioning';

export * from '../workflows';

type WithOptions = { workflowDefinitionOptions?: unknown };

for (const [type, versioningBehavior] of Object.entries(WORKFLOW_VERSIONING)) {
  const fn = (workflows as Record<string, unknown>)[type] as ((...args: any[]) => Promise<unknown>) & WithOptions;
  // A type no longer exported is skipped here (test/integration/versioning.test.ts keeps the table in step).
  if (typeof fn !== 'function') continue;
  const own = fn.workflowDefinitionOptions;
  if (typeof own === 'function') continue;
  if (own && typeof own === 'object' && 'versioningBehavior' in own) continue;
  setWorkflowOptions({ ...(own as object | undefined), versioningBehavior }, fn);
}
