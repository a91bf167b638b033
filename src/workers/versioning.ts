/**
 * Which workflow types stay on the worker deployment version they started on (PINNED) and which move to the
 * current version at their next workflow task (AUTO_UPGRADE). Pure data: the workflow bundle entry
 * (versionedWorkflows.ts) imports it, so nothing here may touch Node.
 *
 * - The journey family is pinned. A referral journey and its children (prior auth, claim lifecycle, patient
 *   balance) park for days to months on timers and payer messages; pinning means a new build never replays their
 *   histories, so a change in journey code cannot break a journey already parked. The price: a version's workers
 *   keep running until its journeys drain (docs/OPERATIONS.md "Deploying workflow code"). A fix that must reach
 *   parked journeys ships behind `patched()` and is applied by moving them with a versioning override.
 *   Children inherit the parent's pinned version, so a journey's family always runs one build.
 * - Short workflows auto-upgrade: reconciliation (a scheduled run of minutes), cash posting of one 835
 *   transaction and the smoke check finish quickly,
 *   so they simply start on the current version, and one in flight during a deploy moves to it (behind `patched()`
 *   if its change touches code it has already run) instead of holding an old version's workers up.
 */
import type { VersioningBehavior } from '@temporalio/common';

export const WORKFLOW_VERSIONING = {
  referralJourney: 'PINNED',
  priorAuth: 'PINNED',
  claimLifecycle: 'PINNED',
  patientBalance: 'PINNED',
  reconciliation: 'AUTO_UPGRADE',
  cashPosting: 'AUTO_UPGRADE',
  smokeCheck: 'AUTO_UPGRADE',
} as const satisfies Record<string, VersioningBehavior>;

export type VersionedWorkflowType = keyof typeof WORKFLOW_VERSIONING;
