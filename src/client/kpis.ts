import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { JOURNEY_STAGES, TERMINAL_STATES } from '../domain';
import { BalanceCents, ExceptionQueue, SiteId, SlaState } from '../workflows/searchAttributes';

/**
 * Operational KPIs from Temporal visibility (search attributes only, which are PHI-free by contract) — what
 * `rcm kpis` prints. Exact counts come from `count()` queries; per-site / per-queue breakdowns, the open balance
 * and referral aging come from one scan of the open journeys (capped by `maxScan`; the note says when it was
 * truncated). The worker's Prometheus KPIs cover the event-based ones (turnaround, billing lag, denial rate).
 */
export interface KpiRow {
  kpi: string;
  value: number;
  unit: 'journeys' | 'cents' | 'days' | 'ratio' | 'exceptions';
  note: string;
}

export interface KpiReport {
  generatedAt: string;
  query: string;
  rows: KpiRow[];
}

export interface KpiReportOptions {
  now?: Date;
  /** only this site's journeys */
  siteId?: string;
  /** journey workflow type (default `referralJourney`) */
  workflowType?: string;
  /** at most this many open journeys are scanned for breakdowns (default 10000) */
  maxScan?: number;
}

const SAFE = /^[A-Za-z0-9._-]{1,64}$/;
const DAY_MS = 86_400_000;

function literal(name: string, value: string): string {
  if (!SAFE.test(value)) throw new Error(`${name} must be 1-64 characters of [A-Za-z0-9._-]`);
  return `'${value}'`;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function kpiReport(client: Client, opts: KpiReportOptions = {}): Promise<KpiReport> {
  const now = opts.now ?? new Date();
  const maxScan = opts.maxScan ?? 10_000;
  const base = [`WorkflowType = ${literal('workflowType', opts.workflowType ?? 'referralJourney')}`];
  if (opts.siteId) base.push(`SiteId = ${literal('siteId', opts.siteId)}`);
  const all = base.join(' AND ');
  const open = `${all} AND ExecutionStatus = 'Running'`;
  const count = async (q: string) => (await client.workflow.count(q)).count;

  const [openCount, breachedCount, ...stageCounts] = await Promise.all([
    count(open),
    count(`${open} AND SlaState = 'breached'`),
    ...JOURNEY_STAGES.map((s) => count(`${open} AND Stage = '${s}'`)),
    ...TERMINAL_STATES.map((s) => count(`${all} AND Stage = '${s}'`)),
  ]);
  const terminalCounts = stageCounts.splice(JOURNEY_STAGES.length);

  // One pass over the open journeys for the breakdowns visibility cannot aggregate.
  const breachedBySite = new Map<string, number>();
  const byQueue = new Map<string, number>();
  const agesDays: number[] = [];
  let balanceCents = 0;
  let scanned = 0;
  for await (const wf of client.workflow.list({ query: open, pageSize: 500 }) as AsyncIterable<WorkflowExecutionInfo>) {
    if (scanned >= maxScan) break;
    scanned += 1;
    const sa = wf.typedSearchAttributes;
    const site = sa.get(SiteId) ?? 'unknown';
    if (sa.get(SlaState) === 'breached') breachedBySite.set(site, (breachedBySite.get(site) ?? 0) + 1);
    for (const q of sa.get(ExceptionQueue) ?? []) byQueue.set(q, (byQueue.get(q) ?? 0) + 1);
    const bal = sa.get(BalanceCents);
    if (typeof bal === 'number' && Number.isSafeInteger(bal)) balanceCents += bal;
    agesDays.push(Math.max(0, now.getTime() - wf.startTime.getTime()) / DAY_MS);
  }
  agesDays.sort((a, b) => a - b);
  const truncated = scanned < openCount;
  const scanNote = truncated ? ` (first ${scanned} of ${openCount} open journeys)` : '';

  const rows: KpiRow[] = [{ kpi: 'journeys.open', value: openCount, unit: 'journeys', note: 'running referral journeys' }];
  JOURNEY_STAGES.forEach((s, i) => rows.push({ kpi: `journeys.open.stage.${s}`, value: stageCounts[i], unit: 'journeys', note: `open journeys at stage ${s}` }));
  TERMINAL_STATES.forEach((s, i) => rows.push({ kpi: `journeys.closed.${s}`, value: terminalCounts[i], unit: 'journeys', note: `journeys that ended ${s}` }));
  rows.push({ kpi: 'sla.breached', value: breachedCount, unit: 'journeys', note: "open journeys with SlaState = 'breached'" });
  rows.push({
    kpi: 'sla.breach_rate',
    value: openCount === 0 ? 0 : round(breachedCount / openCount, 4),
    unit: 'ratio',
    note: 'breached / open journeys',
  });
  for (const [site, n] of [...breachedBySite].sort()) rows.push({ kpi: `sla.breached.site.${site}`, value: n, unit: 'journeys', note: `breached open journeys at site ${site}${scanNote}` });
  for (const [queue, n] of [...byQueue].sort()) rows.push({ kpi: `exceptions.open.queue.${queue}`, value: n, unit: 'exceptions', note: `open journeys with an exception in queue ${queue}${scanNote}` });
  rows.push({ kpi: 'balance.open_cents', value: balanceCents, unit: 'cents', note: `sum of BalanceCents over open journeys${scanNote}` });
  const avg = agesDays.length ? agesDays.reduce((a, b) => a + b, 0) / agesDays.length : 0;
  rows.push({ kpi: 'referral_aging.avg_days', value: round(avg), unit: 'days', note: `mean age of open journeys (from StartTime)${scanNote}` });
  rows.push({ kpi: 'referral_aging.p90_days', value: round(percentile(agesDays, 90)), unit: 'days', note: `90th percentile age of open journeys${scanNote}` });
  rows.push({ kpi: 'referral_aging.max_days', value: round(agesDays.at(-1) ?? 0), unit: 'days', note: `oldest open journey${scanNote}` });
  return { generatedAt: now.toISOString(), query: all, rows };
}
