/**
 * Workflow interceptor module (not a workflow): bundled only when tracing is on (see src/observability/temporal.ts).
 * Continues the caller's trace in the workflow and passes it on to activities and children through headers; spans
 * leave the sandbox through the `exporter` sink, which is not called during replay.
 */
export { interceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
