import type { WorkerOptions } from '@temporalio/worker';
import { tracingSinks, tracingWorkerInterceptors } from './temporal';
import type { Tracing } from './tracing';

/**
 * Add tracing to finished worker options: activity interceptors appended to the caller's, the workflow span sink
 * merged with the caller's sinks (KPI sink). Unchanged when tracing is off.
 */
export function withTracing(options: WorkerOptions, tracing: Tracing | undefined): WorkerOptions {
  if (!tracing) return options;
  const interceptors = options.interceptors ?? {};
  return {
    ...options,
    interceptors: { ...interceptors, activity: [...(interceptors.activity ?? []), ...tracingWorkerInterceptors(tracing).activity] },
    sinks: { ...options.sinks, ...tracingSinks(tracing) },
  };
}
