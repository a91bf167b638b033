import { proxyActivities } from '@temporalio/workflow';
import type { createAiActivities } from '../activities/ai';
import type { NotifyActivities } from '../activities/notify';
import type { createOdooActivities } from '../activities/odoo';
import type { PayerActivities } from '../activities/payer/types';

/**
 * Activity proxies with timeouts and retry policies suited to each integration. Permanent failures (validation,
 * access, missing record) are raised by the activities as non-retryable ApplicationFailures, so these policies only
 * retry what can succeed: 5xx, 409 conflicts, 429s (honouring Retry-After) and network faults.
 */
export type OdooActivities = ReturnType<typeof createOdooActivities>;
export type AiActivities = ReturnType<typeof createAiActivities>;

export const odoo = proxyActivities<OdooActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 20 },
});

export const payer = proxyActivities<PayerActivities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

export const ai = proxyActivities<AiActivities>({
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
});

export const notify = proxyActivities<NotifyActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumAttempts: 5 },
});
