import { trace } from '@opentelemetry/api';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
  type OpenTelemetryWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';
import { currentCorrelationId } from '../client/correlation';
import { CORRELATION_ATTRIBUTE, type Tracing } from './tracing';

/**
 * Temporal's OpenTelemetry interceptors wired for this product. The client span carries the W3C context in the
 * Temporal headers; the workflow interceptors (bundled from src/workflows/otelInterceptors.ts) continue it and stamp
 * it on scheduled activities; the activity inbound interceptor opens the activity span under it, so HTTP spans made
 * inside an activity (http.ts) join the same trace.
 */

/** The module the workflow bundle needs for workflow-side spans (an interceptor module, not a workflow). */
export const WORKFLOW_TRACING_MODULE = require.resolve('../workflows/otelInterceptors');

/** Present in a bundle that carries the workflow interceptors (the tracer name the SDK's module uses). */
const BUNDLE_MARKER = '@temporalio/interceptor-workflow';
export function bundleHasTracing(code: string): boolean {
  return code.includes(BUNDLE_MARKER);
}

/** Marks the active client span (the OTel interceptor's, it runs first) with the caller's correlation id. */
const correlationSpanInterceptor: WorkflowClientInterceptor = {
  startWithDetails: (input, next) => (mark(), next(input)),
  signal: (input, next) => (mark(), next(input)),
  signalWithStart: (input, next) => (mark(), next(input)),
  startUpdate: (input, next) => (mark(), next(input)),
  startUpdateWithStart: (input, next) => (mark(), next(input)),
};
function mark(): void {
  const id = currentCorrelationId();
  if (id) trace.getActiveSpan()?.setAttribute(CORRELATION_ATTRIBUTE, id);
}

/** Client interceptors to put before the others (empty when tracing is off). */
export function tracingClientInterceptors(tracing: Tracing | undefined): WorkflowClientInterceptor[] {
  return tracing ? [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer }), correlationSpanInterceptor] : [];
}

/** Worker interceptors: activity spans, and trace ids on activity log lines. */
export function tracingWorkerInterceptors(tracing: Tracing): Required<Pick<NonNullable<WorkerOptions['interceptors']>, 'activity'>> {
  return {
    activity: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
  };
}

/** The sink workflow spans leave the sandbox through (the SDK's module calls `exporter.export`). */
export function tracingSinks(tracing: Tracing): InjectedSinks<{ exporter: OpenTelemetryWorkflowExporter }> {
  return { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
}
