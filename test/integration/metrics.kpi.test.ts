import { createNotifyActivities, type KpiEvent } from '../../src/activities/notify';
import { createKpiMetrics, startMetricsServer, type MetricsServer } from '../../src/workers/kpiMetrics';
import { createLogger } from '../../src/workers/logger';

/** Business KPIs: events through the real `recordKpi` activity function, scraped over HTTP as Prometheus text. */
const H = 3_600_000;
const D = 24 * H;

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([^{\s]+)(?:\{([^}]*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] ?? '').split(',').filter(Boolean).sort();
    if (got.length === want.length && got.every((g, i) => g === want[i])) return Number(m[3]);
  }
  return undefined;
}

describe('KPI metrics endpoint', () => {
  let server: MetricsServer;
  const lines: string[] = [];
  const kpis = createKpiMetrics({ defaultMetrics: true });
  const notify = createNotifyActivities({ kpi: kpis.sink, log: (e) => createLogger({ write: (l) => lines.push(l) }).info(String(e.msg), e) });

  beforeAll(async () => {
    server = await startMetricsServer(kpis.registry, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('exposes every business KPI with the values the events imply', async () => {
    const events: KpiEvent[] = [
      { name: 'journey_started', siteId: 'north' },
      { name: 'journey_started', siteId: 'north' },
      { name: 'journey_started', siteId: 'south' },
      { name: 'stage_entered', siteId: 'north', stage: 'eligibility' },
      { name: 'sla_warning', siteId: 'north', stage: 'prior_auth' },
      { name: 'sla_escalated', siteId: 'north', stage: 'prior_auth' },
      { name: 'sla_breach', siteId: 'north', stage: 'prior_auth' },
      { name: 'sla_breach', siteId: 'north', stage: 'prior_auth' },
      { name: 'sla_breach', siteId: 'south', stage: 'coding' },
      { name: 'auth_decided', siteId: 'north', payerId: 'acme', valueMs: 2 * D },
      { name: 'auth_decided', siteId: 'north', payerId: 'acme', valueMs: 6 * H },
      { name: 'claim_submitted', siteId: 'north', payerId: 'acme', valueMs: 3 * D },
      { name: 'claim_submitted', siteId: 'north', payerId: 'acme', valueMs: 1 * D },
      { name: 'claim_submitted', siteId: 'north', payerId: 'acme', valueMs: 2 * D },
      { name: 'claim_submitted', siteId: 'north', payerId: 'acme', valueMs: 2 * D },
      { name: 'claim_adjudicated', siteId: 'north', payerId: 'acme' },
      { name: 'claim_adjudicated', siteId: 'north', payerId: 'acme' },
      { name: 'claim_adjudicated', siteId: 'north', payerId: 'acme' },
      { name: 'claim_adjudicated', siteId: 'north', payerId: 'acme' },
      { name: 'claim_denied', siteId: 'north', payerId: 'acme', outcome: 'CO-16' },
      { name: 'unknown_denial_code', siteId: 'north', payerId: 'acme', outcome: 'CO-999' },
      { name: 'exception_opened', siteId: 'north', queue: 'denials' },
      { name: 'exception_opened', siteId: 'north', queue: 'denials' },
      { name: 'exception_closed', siteId: 'north', queue: 'denials', valueMs: 5 * D },
      { name: 'journey_closed', siteId: 'north', outcome: 'paid', valueMs: 20 * D },
    ];
    for (const e of events) await notify.recordKpi(e);
    await notify.notifyOwner({ journeyId: 'referral/north/R1', siteId: 'north', stage: 'prior_auth', owner: 'prior_auth_team', level: 'warning', message: 'auth pending' });

    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();

    expect(sample(text, 'rcm_journeys_started_total', { site: 'north' })).toBe(2);
    expect(sample(text, 'rcm_referrals_open', { site: 'north' })).toBe(1);
    expect(sample(text, 'rcm_referrals_open', { site: 'south' })).toBe(1);
    expect(sample(text, 'rcm_journeys_closed_total', { site: 'north', stage: 'paid' })).toBe(1);
    expect(sample(text, 'rcm_referral_aging_seconds_count', { site: 'north', stage: 'paid' })).toBe(1);
    expect(sample(text, 'rcm_referral_aging_seconds_sum', { site: 'north', stage: 'paid' })).toBe(20 * 86_400);
    expect(sample(text, 'rcm_stage_entries_total', { site: 'north', stage: 'eligibility' })).toBe(1);
    expect(sample(text, 'rcm_sla_warnings_total', { site: 'north', stage: 'prior_auth' })).toBe(1);
    expect(sample(text, 'rcm_sla_escalations_total', { site: 'north', stage: 'prior_auth' })).toBe(1);
    expect(sample(text, 'rcm_sla_breaches_total', { site: 'north', stage: 'prior_auth' })).toBe(2);
    expect(sample(text, 'rcm_sla_breaches_total', { site: 'south', stage: 'coding' })).toBe(1);
    expect(sample(text, 'rcm_auth_turnaround_seconds_count', { site: 'north', payer: 'acme' })).toBe(2);
    expect(sample(text, 'rcm_auth_turnaround_seconds_sum', { site: 'north', payer: 'acme' })).toBe(2 * 86_400 + 6 * 3600);
    expect(sample(text, 'rcm_auth_turnaround_seconds_bucket', { site: 'north', payer: 'acme', le: '43200' })).toBe(1);
    expect(sample(text, 'rcm_billing_lag_seconds_count', { site: 'north', payer: 'acme' })).toBe(4);
    expect(sample(text, 'rcm_billing_lag_seconds_sum', { site: 'north', payer: 'acme' })).toBe(8 * 86_400);
    expect(sample(text, 'rcm_claims_submitted_total', { site: 'north', payer: 'acme' })).toBe(4);
    expect(sample(text, 'rcm_claims_adjudicated_total', { site: 'north', payer: 'acme' })).toBe(4);
    expect(sample(text, 'rcm_claims_denied_total', { site: 'north', payer: 'acme' })).toBe(1);
    expect(sample(text, 'rcm_denial_rate', { site: 'north', payer: 'acme' })).toBe(0.25);
    expect(sample(text, 'rcm_unknown_denial_codes_total', { site: 'north', payer: 'acme' })).toBe(1);
    expect(sample(text, 'rcm_exceptions_open', { site: 'north', queue: 'denials' })).toBe(1);
    expect(sample(text, 'rcm_exception_aging_seconds_count', { site: 'north', queue: 'denials' })).toBe(1);
    expect(sample(text, 'rcm_exception_aging_seconds_sum', { site: 'north', queue: 'denials' })).toBe(5 * 86_400);
    expect(text).toContain('rcm_worker_process_cpu_seconds_total');

    // Only the allowed label names ever appear on rcm_ business metrics.
    const labelNames = new Set<string>();
    for (const line of text.split('\n')) {
      const m = /^rcm_(?!worker_)[a-z_]+\{([^}]*)\}/.exec(line);
      if (m) for (const pair of m[1].split(',')) labelNames.add(pair.split('=')[0]);
    }
    expect([...labelNames].sort()).toEqual(['le', 'payer', 'queue', 'site', 'stage']);

    // The notify log sink wrote one JSON line with the journey id as correlation id.
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual(
      expect.objectContaining({ level: 'info', msg: 'owner notified', correlationId: 'referral/north/R1', event_level: 'warning', owner: 'prior_auth_team' }),
    );
  });

  it('sanitises label values and answers health checks', async () => {
    await notify.recordKpi({ name: 'sla_breach', siteId: 'we ird/site"', stage: undefined });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(sample(text, 'rcm_sla_breaches_total', { site: 'we_ird_site_', stage: 'unknown' })).toBe(1);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });
});
