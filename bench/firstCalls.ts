import { activityInfo } from '@temporalio/activity';
import { performance } from 'node:perf_hooks';

/**
 * Wraps an activity object so the first invocation per workflow id is timestamped (performance.now()): the far end
 * of "start-to-first-activity". The same wrapper goes round the product's and the baseline's activities, so both
 * sides pay the same overhead.
 */
export function recordFirstCalls<T extends object>(activities: T): { activities: T; firstCallAt: Map<string, number> } {
  const firstCallAt = new Map<string, number>();
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    if (typeof fn !== 'function') continue;
    wrapped[name] = (...args: unknown[]) => {
      const id = activityInfo().workflowExecution?.workflowId ?? '';
      if (!firstCallAt.has(id)) firstCallAt.set(id, performance.now());
      return (fn as (...a: unknown[]) => unknown).apply(activities, args);
    };
  }
  return { activities: wrapped as T, firstCallAt };
}
