import { patched } from '@temporalio/workflow';

/**
 * Patch levels (issue 15, cost). Every patch id a new execution meets records a marker and, through the SDK, a
 * TemporalChangeVersion search-attribute upsert: two billable actions per id, in each workflow that meets it.
 * A level names the patch ids that existed when it was cut. The journey asks for its level once, at start (one
 * marker); its children get the level in their input, which is history, so replay sees it too, and record none.
 * An execution without a level (started by older code, or one of our recorded histories) asks each id as before,
 * and an id added after the newest level is asked individually until a new level includes it.
 * Workflow code calls `isPatched`, never `patched` directly (eslint enforces it).
 */
export const PATCH_LEVEL_1 = 'patch-level-1';

/**
 * Level 1: every patch id of the workflows in src/workflows on 2026-12-03 (cut before any level-1 execution ran). Frozen: level-1 histories exist, so an id
 * added here later would replay as taken where they ran the old branch. Newer ids go in PATCHES_AFTER_NEWEST_LEVEL
 * (asked one by one) until a new level lists them; a unit test checks both lists against the code.
 */
export const LEVEL_1_PATCHES: ReadonlySet<string> = new Set([
  'kpi-auth-turnaround',
  'pa-clock-from-receipt',
  'kpi-denial-adjudicated',
  'settle-after-empty-batch',
  'register-net-per-trace',
  'remit-classification-v2',
  'claim-acknowledgments-and-corrections',
  'appeal-window-from-notice',
  'close-clears-exceptions',
  'close-keeps-open-exceptions',
  'action-budget',
  'sla-rungs-once-per-deadline',
  'exception-kpis-on-child-reports',
  'self-pay-journey',
  'eligibility-counts-early-results',
  'eligibility-recheck-for-date-of-service',
  'secondary-coverage',
  'dispute-hold-eligibility',
  'r501-eca-notice',
  'reconciliation-parses-in-activities',
  'child-reports-deferred',
]);

/** Patch ids declared after the newest level: level-1 executions ask each of these with its own marker. */
export const PATCHES_AFTER_NEWEST_LEVEL: ReadonlySet<string> = new Set();

const LEVELS: ReadonlyArray<ReadonlySet<string>> = [new Set(), LEVEL_1_PATCHES];
export const NEWEST_PATCH_LEVEL = LEVELS.length - 1;

// Module state is per workflow execution (the SDK isolates each run's module globals).
let level = 0;

/**
 * Fix this execution's level: the one its starter handed down (a child's input, a continue-as-new), else the
 * newest level if this is a new execution (one marker), else 0. Call first thing in the workflow function.
 */
export function adoptPatchLevel(handedDown?: number): number {
  level = handedDown ?? (patched(PATCH_LEVEL_1) ? NEWEST_PATCH_LEVEL : 0);
  return level;
}

/** Spread into a child's input: nothing at level 0, so older executions start their children exactly as recorded. */
export function handDownPatchLevel(): { patchLevel?: number } {
  return level > 0 ? { patchLevel: level } : {};
}

/** `patched(id)` without the marker when this execution's level already includes the id. */
export function isPatched(id: string): boolean {
  return LEVELS[level]?.has(id) === true || patched(id);
}
