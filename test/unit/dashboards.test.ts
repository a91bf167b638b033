import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { dashboardQueries, exportedSeriesNames, metricNamesIn, unknownMetrics, type PanelQuery } from '../../src/observability/promql';
import { createKpiMetrics } from '../../src/workers/kpiMetrics';

/**
 * The Grafana provisioning, read as files: the PromQL name extraction, the business KPI names checked against the
 * registry the worker serves (src/workers/kpiMetrics.ts, the source of truth), and the datasource/collector wiring
 * against docker-compose.yml. test/integration/dashboards.metrics.test.ts checks the SDK names on a running worker.
 */
const ROOT = path.resolve(__dirname, '../..');
const DASHBOARDS = path.join(ROOT, 'deploy/grafana/dashboards');
const files = fs.readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'));
const dashboards = files.map((f) => ({ file: f, json: JSON.parse(fs.readFileSync(path.join(DASHBOARDS, f), 'utf8')) as Record<string, any> }));
const queries: PanelQuery[] = dashboards.flatMap((d) => dashboardQueries(d.json));

describe('metricNamesIn', () => {
  it.each([
    ['histogram_quantile(0.9, sum by (le, site) (rate(rcm_referral_aging_seconds_bucket{site=~"$site"}[$__rate_interval])))', ['rcm_referral_aging_seconds_bucket']],
    [
      'sum by (payer) (increase(rcm_claims_denied_total{site=~"$site"}[$__range])) / clamp_min(sum by (payer) (increase(rcm_claims_adjudicated_total[1h])), 1e-9)',
      ['rcm_claims_denied_total', 'rcm_claims_adjudicated_total'],
    ],
    ['label_values(rcm_journeys_started_total, site)', ['rcm_journeys_started_total']],
    ['sum without (instance) (temporal_sticky_cache_size) offset 5m', ['temporal_sticky_cache_size']],
    ['a_metric{job="worker", stage=~"eligibility|prior_auth"} > on (site) group_left (payer) b_metric', ['a_metric', 'b_metric']],
    ['rate(x_total[5m:1m]) and ignoring (le) y_total or vector(0)', ['x_total', 'y_total']],
  ])('%s', (expr, names) => {
    expect(metricNamesIn(expr).sort()).toEqual([...names].sort());
  });
});

describe('exportedSeriesNames', () => {
  it('offers histogram and counter series names from TYPE lines even before the first sample', () => {
    const names = exportedSeriesNames('# HELP h x\n# TYPE h histogram\n# TYPE c counter\n# TYPE g gauge\ng{site="a"} 1\n');
    expect([...names].sort()).toEqual(['c', 'c_total', 'g', 'h', 'h_bucket', 'h_count', 'h_sum']);
  });
});

describe('Grafana dashboards', () => {
  it('there are the business and the SDK dashboards, with unique uids and queries on every panel', () => {
    expect(files.sort()).toEqual(['business-kpis.json', 'temporal-worker.json']);
    expect(new Set(dashboards.map((d) => d.json.uid)).size).toBe(dashboards.length);
    for (const d of dashboards) {
      const panels = (d.json.panels as Array<Record<string, any>>).filter((p) => p.type !== 'row');
      expect(panels.length).toBeGreaterThan(5);
      for (const p of panels) expect({ panel: p.title, targets: (p.targets ?? []).length > 0 }).toEqual({ panel: p.title, targets: true });
    }
  });

  it('the business KPI panels cover aging, auth turnaround, billing lag, denials, exception aging and SLA breaches by stage and site', () => {
    const business = queries.filter((q) => q.dashboard.includes('business')).map((q) => q.expr).join('\n');
    for (const m of ['rcm_referral_aging_seconds_bucket', 'rcm_auth_turnaround_seconds_bucket', 'rcm_billing_lag_seconds_bucket', 'rcm_claims_denied_total', 'rcm_exception_aging_seconds_bucket']) {
      expect(business).toContain(m);
    }
    expect(business).toContain('sum by (site, stage) (increase(rcm_sla_breaches_total');
    const sdk = queries.filter((q) => q.dashboard.includes('SDK')).map((q) => q.expr).join('\n');
    for (const m of ['schedule_to_start_latency_bucket', 'temporal_worker_task_slots_available', 'temporal_worker_task_slots_used', 'temporal_sticky_cache']) expect(sdk).toContain(m);
  });

  it('every rcm_ metric a query names is served by the KPI registry, and every KPI is on a panel', async () => {
    const { registry } = createKpiMetrics();
    const exported = exportedSeriesNames(await registry.metrics());
    const business = queries.filter((q) => metricNamesIn(q.expr).some((n) => n.startsWith('rcm_')));
    expect(business.length).toBeGreaterThan(15);
    expect(unknownMetrics(business, exported).map((m) => `${m.panel}: ${m.metric}`)).toEqual([]);
    const shown = new Set(queries.flatMap((q) => metricNamesIn(q.expr)));
    const families = registry.getMetricsAsArray().map((m) => m.name);
    const unshown = families.filter((f) => ![f, `${f}_bucket`].some((n) => shown.has(n)));
    expect(unshown).toEqual([]);
  });

  it('negative control: a misspelt KPI name is reported with its panel', async () => {
    const exported = exportedSeriesNames(await createKpiMetrics().registry.metrics());
    const bad = unknownMetrics([{ dashboard: 'd', panel: 'Denials', expr: 'sum(rate(rcm_claim_denied_total[5m]))' }], exported);
    expect(bad).toEqual([{ dashboard: 'd', panel: 'Denials', expr: 'sum(rate(rcm_claim_denied_total[5m]))', metric: 'rcm_claim_denied_total' }]);
  });

  it('panels use provisioned datasources; Grafana, the collector and Jaeger are wired to compose services', () => {
    const provisioned = parseYaml(fs.readFileSync(path.join(ROOT, 'deploy/grafana/provisioning/datasources/datasources.yml'), 'utf8')) as { datasources: Array<{ uid: string; url: string }> };
    const uids = new Set(provisioned.datasources.map((d) => d.uid));
    for (const d of dashboards) {
      const used = JSON.stringify(d.json).match(/"uid":\s*"([^"]+)"/g) ?? [];
      for (const u of used.map((s) => s.replace(/.*"([^"]+)"$/, '$1')).filter((u) => u !== d.json.uid)) expect(uids).toContain(u);
    }
    const compose = parseYaml(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, any> };
    expect(provisioned.datasources.find((d) => d.uid === 'prometheus')?.url).toBe('http://prometheus:9090');
    expect(compose.services.prometheus.ports).toContain('9090:9090');
    const grafanaMounts: string[] = compose.services.grafana.volumes;
    expect(grafanaMounts).toEqual(expect.arrayContaining(['./deploy/grafana/provisioning:/etc/grafana/provisioning:ro', './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro']));
    const providers = parseYaml(fs.readFileSync(path.join(ROOT, 'deploy/grafana/provisioning/dashboards/dashboards.yml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
    expect(providers.providers[0].options.path).toBe('/var/lib/grafana/dashboards');

    const collector = parseYaml(fs.readFileSync(path.join(ROOT, 'deploy/otel-collector.yaml'), 'utf8')) as Record<string, any>;
    expect(collector.service.pipelines.traces).toMatchObject({ receivers: ['otlp'], exporters: ['otlp/jaeger'] });
    expect(collector.exporters['otlp/jaeger'].endpoint).toBe('jaeger:4317');
    expect(compose.services.jaeger.environment.COLLECTOR_OTLP_ENABLED).toBe('true');
    expect(compose.services['otel-collector'].volumes).toContain('./deploy/otel-collector.yaml:/etc/otelcol/config.yaml:ro');
    for (const svc of ['worker', 'ingress', 'decisions']) {
      expect(compose.services[svc].environment.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
      expect(compose.services[svc].environment.OTEL_SERVICE_NAME).toBe(`rcm-${svc}`);
    }
  });
});
