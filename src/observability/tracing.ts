import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { z } from 'zod';

/**
 * OpenTelemetry tracing for every process (worker, ingress, CLI). Off by default; the standard OTel env turns it on:
 * `OTEL_TRACES_EXPORTER=otlp|console` or an `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT` (the OTLP/HTTP exporter reads its
 * own endpoint/header variables). `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` wins. One provider per
 * process, registered globally (W3C trace-context propagation, AsyncLocalStorage context).
 */
export const TRACER_NAME = 'referral-journeys';
/** span attribute for the ingress correlation id (an opaque token, never PHI) */
export const CORRELATION_ATTRIBUTE = 'rcm.correlation_id';

const TracingEnvSchema = z.object({
  OTEL_SDK_DISABLED: z.string().optional(),
  OTEL_TRACES_EXPORTER: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
});

export type TracesExporterKind = 'otlp' | 'console';
export interface TracingEnvConfig {
  exporter: TracesExporterKind;
  serviceName?: string;
}

/** The exporter the env asks for, or undefined when tracing is off. */
export function tracingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TracingEnvConfig | undefined {
  const e = TracingEnvSchema.parse(env);
  if (e.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  // OTEL_TRACES_EXPORTER may be a list; the first known exporter wins.
  const kinds = (e.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (kinds.includes('none')) return undefined;
  const serviceName = e.OTEL_SERVICE_NAME?.trim() || undefined;
  const named = kinds.find((k): k is TracesExporterKind => k === 'otlp' || k === 'console');
  if (named) return { exporter: named, serviceName };
  if (kinds.length === 0 && (e.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim())) return { exporter: 'otlp', serviceName };
  return undefined;
}

export interface Tracing {
  /** feeds workflow spans (exported from the sandbox through a sink) into the same pipeline */
  spanProcessor: SpanProcessor;
  resource: Resource;
  tracer: Tracer;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/** The process's tracing, if started. */
export function currentTracing(): Tracing | undefined {
  return active;
}

export interface StartTracingOptions {
  serviceName: string;
  /** export here instead of the env's exporter (tests: InMemorySpanExporter); exported synchronously */
  exporter?: SpanExporter;
}

/** Start (once per process) and register the global tracer provider. A second call returns the first one. */
export function startTracing(opts: StartTracingOptions, env: NodeJS.ProcessEnv = process.env): Tracing {
  if (active) return active;
  const resource = new Resource({ 'service.name': opts.serviceName });
  // Simple (synchronous) export for an injected exporter so tests see spans as they end; batched over the network.
  const spanProcessor: SpanProcessor = opts.exporter
    ? new SimpleSpanProcessor(opts.exporter)
    : new BatchSpanProcessor(tracingConfigFromEnv(env)?.exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const tracing: Tracing = {
    spanProcessor,
    resource,
    tracer: trace.getTracer(TRACER_NAME),
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      if (active === tracing) {
        active = undefined;
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
  active = tracing;
  return tracing;
}

/**
 * Tracing as the env asks: starts it on first use (service name from OTEL_SERVICE_NAME, else `fallbackServiceName`),
 * returns the running one, or undefined when tracing is off and nothing started it.
 */
export function ensureTracing(fallbackServiceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (active) return active;
  const cfg = tracingConfigFromEnv(env);
  return cfg ? startTracing({ serviceName: cfg.serviceName ?? fallbackServiceName }, env) : undefined;
}
