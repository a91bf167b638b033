import { Runtime } from '@temporalio/worker';
import type { LogLevel } from '../config';
import { temporalLogger, type Logger } from './logger';

/**
 * The Temporal Runtime is a per-process singleton that can be installed once, before any connection or worker
 * exists. `installRuntime` routes SDK, workflow and activity logs (and Core's native logs, forwarded) into our JSON
 * logger and, when an address is given, exposes the SDK's own metrics (task latencies, slots, sticky cache, …)
 * for Prometheus at `http://<bindAddress>/metrics`. Signal handling is ours (main.ts), so the Runtime installs none.
 * Returns false (and changes nothing) when a Runtime already exists in this process.
 */
export interface RuntimeInstallOptions {
  logger: Logger;
  /** `host:port` for the SDK's Prometheus exporter; omit to disable */
  sdkMetricsBindAddress?: string;
  /** verbosity of Core's native logs (default warn) */
  coreLogLevel?: LogLevel;
}

const CORE_LEVEL: Record<LogLevel, 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };

export function installRuntime(opts: RuntimeInstallOptions): boolean {
  try {
    Runtime.install({
      logger: temporalLogger(opts.logger),
      shutdownSignals: [],
      telemetryOptions: {
        logging: { filter: { core: CORE_LEVEL[opts.coreLogLevel ?? 'warn'], other: 'ERROR' }, forward: {} },
        ...(opts.sdkMetricsBindAddress
          ? { metrics: { prometheus: { bindAddress: opts.sdkMetricsBindAddress, countersTotalSuffix: true, useSecondsForDurations: true } } }
          : {}),
      },
    });
    return true;
  } catch (err) {
    opts.logger.warn('temporal runtime already installed; keeping the existing one', { error: err });
    return false;
  }
}
