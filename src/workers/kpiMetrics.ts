import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InjectedSinks } from '@temporalio/worker';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import type { KpiEvent, KpiEventName, KpiSink } from '../activities/notify';
import type { KpiWorkflowSinks } from '../workflows/proxies';

/**
 * Business KPIs as Prometheus metrics, fed by the workflows' `kpi` sink (new executions, see `kpiWorkflowSinks`) or
 * the `recordKpi` activity (executions started before; workflows cannot touch registries).
 * Labels are bounded, PHI-free ids only: site, stage, payer, queue. Durations arrive in ms and are exported in
 * seconds. Event contract (what the journey emits):
 *
 * | event | metric(s) |
 * |---|---|
 * | journey_started | rcm_journeys_started_total, rcm_referrals_open (+1) |
 * | journey_closed (valueMs = age, outcome = terminal state) | rcm_referral_aging_seconds, rcm_journeys_closed_total{stage=outcome}, rcm_referrals_open (−1) |
 * | stage_entered | rcm_stage_entries_total |
 * | sla_warning / sla_escalated / sla_breach | rcm_sla_warnings_total / rcm_sla_escalations_total / rcm_sla_breaches_total |
 * | auth_decided (valueMs = submission → decision) | rcm_auth_turnaround_seconds |
 * | claim_submitted (valueMs = service completed → claim submitted) | rcm_claims_submitted_total, rcm_billing_lag_seconds |
 * | claim_adjudicated (every adjudication, paid or denied) | rcm_claims_adjudicated_total, rcm_denial_rate |
 * | claim_denied | rcm_claims_denied_total, rcm_denial_rate |
 * | unknown_denial_code | rcm_unknown_denial_codes_total |
 * | exception_opened / exception_closed (valueMs = age) | rcm_exceptions_open, rcm_exception_aging_seconds |
 */

const H = 3600;
const D = 24 * H;
const AGING_BUCKETS = [H, 6 * H, D, 2 * D, 3 * D, 7 * D, 14 * D, 30 * D, 60 * D, 90 * D, 180 * D, 365 * D];
const TURNAROUND_BUCKETS = [H, 4 * H, 12 * H, D, 2 * D, 3 * D, 5 * D, 7 * D, 14 * D, 30 * D];

/** Label values: bounded length, `[A-Za-z0-9._-]` only, `unknown` when absent. */
export function labelValue(v: string | undefined): string {
  if (!v) return 'unknown';
  return v.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
}

export interface KpiMetrics {
  registry: Registry;
  sink: KpiSink;
}

export function createKpiMetrics(opts: { registry?: Registry; defaultMetrics?: boolean } = {}): KpiMetrics {
  const registry = opts.registry ?? new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'rcm_worker_' });
  const registers = [registry];

  const started = new Counter({ name: 'rcm_journeys_started_total', help: 'Referral journeys started', labelNames: ['site'], registers });
  const closed = new Counter({ name: 'rcm_journeys_closed_total', help: 'Referral journeys closed, by terminal state (stage)', labelNames: ['site', 'stage'], registers });
  const open = new Gauge({ name: 'rcm_referrals_open', help: 'Referral journeys open (started − closed since this worker started)', labelNames: ['site'], registers });
  const aging = new Histogram({
    name: 'rcm_referral_aging_seconds',
    help: 'Referral age from intake to close',
    labelNames: ['site', 'stage'],
    buckets: AGING_BUCKETS,
    registers,
  });
  const stageEntries = new Counter({ name: 'rcm_stage_entries_total', help: 'Journeys entering a stage', labelNames: ['site', 'stage'], registers });
  const slaWarnings = new Counter({ name: 'rcm_sla_warnings_total', help: 'SLA warnings (owner notified)', labelNames: ['site', 'stage'], registers });
  const slaEscalations = new Counter({ name: 'rcm_sla_escalations_total', help: 'SLA escalations to the supervisor queue', labelNames: ['site', 'stage'], registers });
  const slaBreaches = new Counter({ name: 'rcm_sla_breaches_total', help: 'SLA breaches', labelNames: ['site', 'stage'], registers });
  const authTurnaround = new Histogram({
    name: 'rcm_auth_turnaround_seconds',
    help: 'Prior authorization turnaround, submission to payer decision',
    labelNames: ['site', 'payer'],
    buckets: TURNAROUND_BUCKETS,
    registers,
  });
  const billingLag = new Histogram({
    name: 'rcm_billing_lag_seconds',
    help: 'Billing lag, service completed to claim submitted',
    labelNames: ['site', 'payer'],
    buckets: TURNAROUND_BUCKETS,
    registers,
  });
  const submitted = new Counter({ name: 'rcm_claims_submitted_total', help: 'Claims submitted to payers', labelNames: ['site', 'payer'], registers });
  const adjudicated = new Counter({ name: 'rcm_claims_adjudicated_total', help: 'Claims adjudicated (paid or denied)', labelNames: ['site', 'payer'], registers });
  const denied = new Counter({ name: 'rcm_claims_denied_total', help: 'Claims denied', labelNames: ['site', 'payer'], registers });
  const denialRate = new Gauge({ name: 'rcm_denial_rate', help: 'Denied / adjudicated claims since this worker started (0..1)', labelNames: ['site', 'payer'], registers });
  const unknownCodes = new Counter({ name: 'rcm_unknown_denial_codes_total', help: 'Denials with CARC/RARC codes the routing table does not know', labelNames: ['site', 'payer'], registers });
  const exceptionsOpen = new Gauge({ name: 'rcm_exceptions_open', help: 'Open work-queue exceptions', labelNames: ['site', 'queue'], registers });
  const exceptionAging = new Histogram({
    name: 'rcm_exception_aging_seconds',
    help: 'Exception age from opened to closed, by work queue',
    labelNames: ['site', 'queue'],
    buckets: AGING_BUCKETS,
    registers,
  });

  // Denial-rate inputs per (site, payer), kept here so the gauge needs no registry reads.
  const claimCounts = new Map<string, { site: string; payer: string; adjudicated: number; denied: number }>();
  const updateDenialRate = (site: string, payer: string, kind: 'adjudicated' | 'denied') => {
    const key = `${site}\u0000${payer}`;
    const c = claimCounts.get(key) ?? { site, payer, adjudicated: 0, denied: 0 };
    c[kind] += 1;
    claimCounts.set(key, c);
    const base = Math.max(c.adjudicated, c.denied);
    denialRate.set({ site, payer }, base === 0 ? 0 : c.denied / base);
  };
  const seconds = (e: KpiEvent) => (typeof e.valueMs === 'number' && Number.isFinite(e.valueMs) && e.valueMs >= 0 ? e.valueMs / 1000 : undefined);

  const sink: KpiSink = {
    record(e: KpiEvent) {
      const site = labelValue(e.siteId);
      const stage = labelValue(e.stage);
      const payer = labelValue(e.payerId);
      const queue = labelValue(e.queue);
      const s = seconds(e);
      switch (e.name) {
        case 'journey_started':
          started.inc({ site });
          open.inc({ site });
          break;
        case 'journey_closed': {
          const terminal = labelValue(e.outcome ?? e.stage);
          closed.inc({ site, stage: terminal });
          open.dec({ site });
          if (s !== undefined) aging.observe({ site, stage: terminal }, s);
          break;
        }
        case 'stage_entered':
          stageEntries.inc({ site, stage });
          break;
        case 'sla_warning':
          slaWarnings.inc({ site, stage });
          break;
        case 'sla_escalated':
          slaEscalations.inc({ site, stage });
          break;
        case 'sla_breach':
          slaBreaches.inc({ site, stage });
          break;
        case 'auth_decided':
          if (s !== undefined) authTurnaround.observe({ site, payer }, s);
          break;
        case 'claim_submitted':
          submitted.inc({ site, payer });
          if (s !== undefined) billingLag.observe({ site, payer }, s);
          break;
        case 'claim_adjudicated':
          adjudicated.inc({ site, payer });
          updateDenialRate(site, payer, 'adjudicated');
          break;
        case 'claim_denied':
          denied.inc({ site, payer });
          updateDenialRate(site, payer, 'denied');
          break;
        case 'unknown_denial_code':
          unknownCodes.inc({ site, payer });
          break;
        case 'exception_opened':
          exceptionsOpen.inc({ site, queue });
          break;
        case 'exception_closed':
          exceptionsOpen.dec({ site, queue });
          if (s !== undefined) exceptionAging.observe({ site, queue }, s);
          break;
        default: {
          const never: never = e.name;
          void never;
        }
      }
    },
  };
  return { registry, sink };
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * `GET /metrics` (Prometheus text), `GET /healthz` (liveness: the process serves) and `GET /readyz` (readiness:
 * 200 only while `ready()` says so, 503 before the workers poll and once they shut down) on node http.
 * Port 0 picks a free port.
 */
export function startMetricsServer(
  registry: Registry,
  opts: { host?: string; port?: number; ready?: () => { ready: boolean } } = {},
): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && url === '/metrics') {
      registry
        .metrics()
        .then((body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        })
        .catch(() => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('metrics collection failed\n');
        });
      return;
    }
    if (req.method === 'GET' && url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      return;
    }
    if (req.method === 'GET' && url === '/readyz') {
      const r = opts.ready ? opts.ready() : { ready: false, reason: 'no workers attached' };
      res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}

const KPI_NAMES = [
  'journey_started',
  'stage_entered',
  'sla_warning',
  'sla_escalated',
  'sla_breach',
  'auth_decided',
  'claim_submitted',
  'claim_adjudicated',
  'claim_denied',
  'unknown_denial_code',
  'exception_opened',
  'exception_closed',
  'journey_closed',
] as const satisfies readonly KpiEventName[];

/** What a workflow may hand the sink: ids, codes and numbers only (the registry's labels are bounded again). */
export const kpiEventSchema = z
  .object({
    name: z.enum(KPI_NAMES),
    siteId: z.string().max(200),
    stage: z.string().max(200).optional(),
    payerId: z.string().max(200).optional(),
    queue: z.string().max(200).optional(),
    valueMs: z.number().finite().optional(),
    valueCents: z.number().int().optional(),
    outcome: z.string().max(200).optional(),
  })
  .strip();

/**
 * The worker half of the workflows' `kpi` sink. `callDuringReplay: false`: a workflow replayed after a cache eviction
 * or a worker restart re-runs its code but its KPIs were already counted when the task first completed.
 * An event that fails validation is dropped and reported to `onInvalid` (a workflow bug must not stop the task).
 */
export function kpiWorkflowSinks(sink: KpiSink, onInvalid: (issue: string) => void = () => undefined): InjectedSinks<KpiWorkflowSinks> {
  return {
    kpi: {
      record: {
        fn(_info, event) {
          const parsed = kpiEventSchema.safeParse(event);
          if (parsed.success) sink.record(parsed.data as KpiEvent);
          else onInvalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        },
        callDuringReplay: false,
      },
    },
  };
}

/**
 * The KPI sink a composed activity object already feeds (`recordKpi` of createNotifyActivities needs no activity
 * context), so a worker built from the activities gets the workflow sink without more wiring.
 */
export function kpiSinkFromActivities(activities: object): KpiSink | undefined {
  const recordKpi = (activities as { recordKpi?: unknown }).recordKpi;
  if (typeof recordKpi !== 'function') return undefined;
  return { record: (e) => void Promise.resolve(recordKpi.call(activities, e)).catch(() => undefined) };
}
