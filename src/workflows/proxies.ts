import { proxyActivities, proxySinks, type Sinks } from '@temporalio/workflow';
import type { createAiActivities } from '../activities/ai';
import type { KpiEvent, NotifyActivities } from '../activities/notify';
import type { createOdooActivities } from '../activities/odoo';
import type { PayerActivities } from '../activities/payer/types';
import { actionBudget, tracked } from './runtime/actionBudget';

/**
 * Activity proxies with timeouts and retry policies suited to each integration. Permanent failures (validation,
 * access, missing record) are raised by the activities as non-retryable ApplicationFailures, so these policies only
 * retry what can succeed: 5xx, 409 conflicts, 429s (honouring Retry-After) and network faults.
 * `tracked`: the runtime knows when the workflow is between activities (it publishes search attributes then).
 */
export type OdooActivities = ReturnType<typeof createOdooActivities>;
export type AiActivities = ReturnType<typeof createAiActivities>;

export const odoo = tracked(proxyActivities<OdooActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 20 },
}));

export const payer = tracked(proxyActivities<PayerActivities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
}));

export const ai = tracked(proxyActivities<AiActivities>({
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
}));

const notifyActivities = proxyActivities<NotifyActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumAttempts: 5 },
});

/** The worker side registers this (src/workers/kpiMetrics.ts `kpiWorkflowSinks`) with `callDuringReplay: false`. */
export interface KpiWorkflowSinks extends Sinks {
  kpi: { record(event: KpiEvent): void };
}

const kpiSink = proxySinks<KpiWorkflowSinks>().kpi;

/**
 * `notify.recordKpi` costs no action on new executions: the event leaves through a workflow sink, which the worker
 * calls once when the task completes (never in replay, so counters are not doubled). Executions that started before
 * keep the activity so their histories replay.
 */
export const notify: NotifyActivities = {
  notifyOwner: (n) => notifyActivities.notifyOwner(n),
  async recordKpi(event) {
    if (actionBudget()) kpiSink.record(event);
    else await notifyActivities.recordKpi(event);
  },
};
