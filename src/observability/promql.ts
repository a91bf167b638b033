/**
 * Just enough PromQL reading to check dashboards against what the worker exports: the metric names a query selects,
 * and the names a Prometheus text exposition offers. Not a parser — label matchers, grouping clauses, ranges and
 * strings are removed, then any identifier that is not a function, keyword or aggregation is a metric name.
 */
const NOT_METRICS = new Set([
  // aggregations and their modifiers
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless', 'atan2',
  // functions (the common ones; anything followed by `(` is skipped anyway)
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'histogram_quantile', 'clamp_min', 'clamp_max', 'clamp', 'abs', 'ceil', 'floor',
  'round', 'sort', 'sort_desc', 'label_replace', 'label_join', 'vector', 'scalar', 'time', 'timestamp', 'absent', 'changes', 'resets',
  'avg_over_time', 'max_over_time', 'min_over_time', 'sum_over_time', 'count_over_time', 'last_over_time', 'quantile_over_time',
  'inf', 'nan',
]);

/** Metric names a PromQL expression (or a Grafana `label_values(metric, label)` variable query) selects. */
export function metricNamesIn(expr: string): string[] {
  const s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // strings (label values, regexes)
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // grouping label lists
    .replace(/\blabel_values\s*\(\s*([A-Za-z_:][\w:]*)\s*,[^)]*\)/g, ' $1 ') // Grafana variable: keep the metric
    .replace(/\$\{?\w+\}?/g, ' '); // Grafana variables ($__rate_interval, $site)
  const names = new Set<string>();
  for (const m of s.matchAll(/(?<![\w.:])([A-Za-z_:][\w:]*)(\s*\()?/g)) {
    if (m[2]) continue; // a function call
    if (NOT_METRICS.has(m[1].toLowerCase())) continue;
    if (/^\d/.test(m[1])) continue;
    names.add(m[1]);
  }
  return [...names];
}

export interface PanelQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

interface DashboardJson {
  title?: string;
  panels?: Array<{ title?: string; targets?: Array<{ expr?: string }>; panels?: DashboardJson['panels'] }>;
  templating?: { list?: Array<{ name?: string; query?: string | { query?: string } }> };
}

/** Every PromQL query of a dashboard: panel targets (rows included) and query variables. */
export function dashboardQueries(json: unknown): PanelQuery[] {
  const d = json as DashboardJson;
  const dashboard = d.title ?? '(untitled)';
  const out: PanelQuery[] = [];
  const walk = (panels: DashboardJson['panels']) => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ dashboard, panel: p.title ?? '(untitled)', expr: t.expr });
      walk(p.panels);
    }
  };
  walk(d.panels);
  for (const v of d.templating?.list ?? []) {
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    if (q) out.push({ dashboard, panel: `$${v.name ?? '?'}`, expr: q });
  }
  return out;
}

/**
 * Series names a Prometheus text exposition offers: every sample name, and for each `# TYPE` family the names a
 * query may use (histogram/summary `_bucket`/`_sum`/`_count`, counter with or without `_total`) — a family with no
 * samples yet (a labelled prom-client histogram before its first observation) still counts as exported.
 */
export function exportedSeriesNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE ([A-Za-z_:][\w:]*) (\w+)/.exec(line);
    if (type) {
      const [, family, kind] = type;
      names.add(family);
      if (kind === 'histogram' || kind === 'summary') for (const sfx of ['_bucket', '_sum', '_count']) names.add(family + sfx);
      if (kind === 'counter') names.add(family.endsWith('_total') ? family : `${family}_total`);
      continue;
    }
    const sample = /^([A-Za-z_:][\w:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]);
  }
  return names;
}

/** The queries naming a metric absent from `exported`, one entry per (query, name). */
export function unknownMetrics(queries: PanelQuery[], exported: Set<string>): Array<PanelQuery & { metric: string }> {
  return queries.flatMap((q) => metricNamesIn(q.expr).filter((m) => !exported.has(m)).map((metric) => ({ ...q, metric })));
}
