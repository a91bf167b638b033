import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import type { Duration } from '@temporalio/common';

/**
 * The daily reconciliation run per site as a Temporal Schedule (durable, visible in the UI, pausable; no cron
 * process of our own). Idempotent: a second call updates the existing schedule to the requested spec and action
 * instead of failing, so deploy scripts and `npm start` can call it every time. One schedule per site: the default id
 * suits a single-site install; updating a schedule that belongs to another site fails with ScheduleSiteConflictError.
 */
export const RECONCILIATION_WORKFLOW_TYPE = 'reconciliation';
export const DEFAULT_RECONCILE_SCHEDULE_ID = 'rcm-reconcile-daily';

export interface ReconcileScheduleOptions {
  scheduleId?: string;
  /** cron expression (default `0 6 * * *`: 06:00 every day in `timeZone`); ignored when `interval` is set */
  cron?: string;
  /** alternatively, every `interval` (e.g. `'1 day'`, `'6 hours'`) */
  interval?: Duration;
  /** IANA zone the cron is read in (the site's zone; default UTC) */
  timeZone?: string;
  taskQueue: string;
  siteId: string;
  /** days of remittances/payments each run reconciles (default 1) */
  periodDays?: number;
  /** create paused (e.g. until the site goes live) */
  paused?: boolean;
}

export interface ReconcileScheduleResult {
  scheduleId: string;
  /** false when the schedule existed and was updated */
  created: boolean;
}

export interface ReconciliationInput {
  siteId: string;
  periodDays: number;
}

const SAFE = /^[A-Za-z0-9._-]{1,64}$/;

export class ScheduleSiteConflictError extends Error {
  constructor(scheduleId: string, existingSite: string, requestedSite: string) {
    super(`schedule "${scheduleId}" reconciles site "${existingSite}", not "${requestedSite}": pass a scheduleId per site (e.g. rcm-reconcile-daily-${requestedSite})`);
    this.name = 'ScheduleSiteConflictError';
  }
}

export async function ensureReconcileSchedule(client: Client, opts: ReconcileScheduleOptions): Promise<ReconcileScheduleResult> {
  if (!SAFE.test(opts.siteId)) throw new Error('siteId must be 1-64 characters of [A-Za-z0-9._-]');
  const periodDays = opts.periodDays ?? 1;
  if (!Number.isInteger(periodDays) || periodDays < 1 || periodDays > 366) throw new Error('periodDays must be an integer from 1 to 366');
  const scheduleId = opts.scheduleId ?? DEFAULT_RECONCILE_SCHEDULE_ID;

  const spec: ScheduleSpec = opts.interval
    ? { intervals: [{ every: opts.interval }] }
    : { cronExpressions: [opts.cron ?? '0 6 * * *'], ...(opts.timeZone ? { timezone: opts.timeZone } : {}) };
  const input: ReconciliationInput = { siteId: opts.siteId, periodDays };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: RECONCILIATION_WORKFLOW_TYPE,
    taskQueue: opts.taskQueue,
    args: [input],
    // The server appends the scheduled time, so each run has its own PHI-free id.
    workflowId: `reconcile/${opts.siteId}`,
  };
  // A run still going when the next is due is skipped; a missed run is caught up within a day.
  const policies: { overlap: ScheduleOverlapPolicy; catchupWindow: Duration } = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' };
  const note = `daily reconciliation for site ${opts.siteId}`;

  try {
    await client.schedule.create({ scheduleId, spec, action, policies, state: { paused: opts.paused ?? false, note } });
    return { scheduleId, created: true };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => {
    // The default id is shared: never silently repoint another site's schedule.
    const prevArgs = previous.action.type === 'startWorkflow' ? (previous.action.args as unknown[] | undefined) : undefined;
    const prevSite = (prevArgs?.[0] as Partial<ReconciliationInput> | undefined)?.siteId;
    if (prevSite && prevSite !== opts.siteId) {
      throw new ScheduleSiteConflictError(scheduleId, prevSite, opts.siteId);
    }
    return {
      spec,
      action,
      policies,
      state: { paused: opts.paused ?? previous.state.paused, note, remainingActions: previous.state.remainingActions },
    };
  });
  return { scheduleId, created: false };
}
