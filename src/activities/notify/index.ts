/**
 * Notifications and KPI events. Workflows cannot touch metrics registries or loggers (determinism), so they emit
 * these through activities; the worker wires the sinks (Prometheus registry, structured log). No PHI: ids, codes,
 * stages and amounts only.
 */
export type KpiEventName =
  | 'journey_started'
  | 'stage_entered'
  | 'sla_warning'
  | 'sla_escalated'
  | 'sla_breach'
  | 'auth_decided'
  | 'claim_submitted'
  | 'claim_adjudicated'
  | 'claim_denied'
  | 'unknown_denial_code'
  | 'exception_opened'
  | 'exception_closed'
  | 'journey_closed';

export interface KpiEvent {
  name: KpiEventName;
  siteId: string;
  stage?: string;
  payerId?: string;
  queue?: string;
  /** durations (auth turnaround, billing lag, exception age) in milliseconds */
  valueMs?: number;
  /** amounts in integer cents */
  valueCents?: number;
  /** a closing state or outcome code */
  outcome?: string;
}

export interface KpiSink {
  record(event: KpiEvent): void;
}

export interface OwnerNotification {
  journeyId: string;
  siteId: string;
  stage: string;
  owner: string;
  level: 'warning' | 'escalated' | 'breached' | 'info';
  message: string;
}

export interface NotifyDeps {
  kpi: KpiSink;
  /** structured logger (JSON line per call) */
  log: (entry: Record<string, unknown>) => void;
}

export function createNotifyActivities(deps: NotifyDeps) {
  return {
    async notifyOwner(n: OwnerNotification): Promise<void> {
      deps.log({ msg: 'owner notified', ...n });
    },
    async recordKpi(event: KpiEvent): Promise<void> {
      deps.kpi.record(event);
    },
  };
}

export type NotifyActivities = ReturnType<typeof createNotifyActivities>;

/** An in-memory sink (tests, CLI): keeps events for inspection. */
export function memoryKpiSink(): KpiSink & { events: KpiEvent[] } {
  const events: KpiEvent[] = [];
  return { events, record: (e) => void events.push(e) };
}
