import fs from 'node:fs';
import path from 'node:path';
import type { SimReport } from './report';

/**
 * report.html: one self-contained page (Chart.js inlined, data embedded as JSON) that opens from disk with no network.
 * Animations are off so the canvases are drawn by the time the page has loaded; `window.__chartsDrawn` counts the
 * charts that rendered (the browser test reads it).
 */
function chartJsSource(): string {
  // the UMD build is not an export of the package: find it beside the package's main file (dist/)
  return fs.readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON inside <script>: `<` escaped so no value can close the tag. */
const embedJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
const dollars = (c: number) => `$${(c / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export interface ChartSpec {
  id: string;
  title: string;
  type: 'bar' | 'doughnut';
  labels: string[];
  datasets: { label: string; data: number[] }[];
  horizontal?: boolean;
  stacked?: boolean;
}

export function chartSpecs(r: SimReport): ChartSpec[] {
  const entries = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]);
  const one = (id: string, title: string, o: Record<string, number>, type: ChartSpec['type'] = 'bar', label = title): ChartSpec => {
    const e = entries(o);
    return { id, title, type, labels: e.map(([k]) => k), datasets: [{ label, data: e.map(([, v]) => v) }] };
  };
  const stages = Object.keys(r.slaBreaches.byStageAndSite);
  const sites = [...new Set(stages.flatMap((s) => Object.keys(r.slaBreaches.byStageAndSite[s])))].sort();
  const m = r.money;
  return [
    one('outcomes', 'Journey outcomes', r.journeys.byOutcome, 'doughnut', 'journeys'),
    one('openByStage', 'Open journeys by stage', r.journeys.openByStage, 'bar', 'journeys'),
    one('denialsByCarc', 'Denials by CARC', r.claims.deniedByCarc, 'bar', 'denials'),
    {
      id: 'slaBreaches',
      title: 'SLA breaches by stage and site',
      type: 'bar',
      stacked: true,
      labels: stages,
      datasets: sites.map((site) => ({ label: site, data: stages.map((s) => r.slaBreaches.byStageAndSite[s][site] ?? 0) })),
    },
    {
      id: 'money',
      title: 'Money (dollars)',
      type: 'bar',
      labels: ['charged', 'payer paid', 'patient paid', 'contractual', 'written off', 'recovered after denial', 'open balance', 'never billed'],
      datasets: [{ label: 'dollars', data: [m.chargedCents, m.payerPaidCents, m.patientPaidCents, m.contractualCents, m.writtenOffCents, m.recoveredAfterDenialCents, m.openBalanceCents, m.neverBilledCents].map((c) => c / 100) }],
    },
    {
      id: 'leaks',
      title: 'Top leak points (dollars)',
      type: 'bar',
      horizontal: true,
      labels: r.leakPoints.slice(0, 10).map((l) => l.point),
      datasets: [{ label: 'dollars', data: r.leakPoints.slice(0, 10).map((l) => l.cents / 100) }],
    },
    { id: 'authTurnaround', title: 'Prior-auth turnaround', type: 'bar', labels: r.authTurnaroundHours.histogram.map((b) => b.label), datasets: [{ label: 'decisions', data: r.authTurnaroundHours.histogram.map((b) => b.count) }] },
    { id: 'billingLag', title: 'Billing lag (service → claim)', type: 'bar', labels: r.billingLagDays.histogram.map((b) => b.label), datasets: [{ label: 'claims', data: r.billingLagDays.histogram.map((b) => b.count) }] },
  ];
}

function kpiTable(r: SimReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rows: [string, string][] = [
    ['Journeys / simulated days / seed', `${r.meta.journeys} / ${r.meta.days} / ${r.meta.seed}`],
    ['Referral aging (open), days', `mean ${r.referralAgingDays.mean} · p90 ${r.referralAgingDays.p90} · max ${r.referralAgingDays.max}`],
    ['Auth turnaround, hours', `mean ${r.authTurnaroundHours.mean} · p90 ${r.authTurnaroundHours.p90}`],
    ['Billing lag, days', `mean ${r.billingLagDays.mean} · p90 ${r.billingLagDays.p90}`],
    ['Clean-claim rate', pct(r.claims.cleanClaimRate)],
    ['Denial rate', `${pct(r.claims.denialRate)} (${r.claims.denied} of ${r.claims.adjudicated})`],
    ['Secondary coverage', `${r.claims.secondary.billed} billed · paid ${dollars(r.claims.secondary.paidCents)}`],
    ['Days in A/R', String(r.daysInAR.daysInAR)],
    ['SLA breaches', String(r.slaBreaches.total)],
    ['Written off', dollars(r.money.writtenOffCents)],
    ['Recovered after denial', dollars(r.money.recoveredAfterDenialCents)],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

export function renderHtml(r: SimReport): string {
  const specs = chartSpecs(r);
  const boxes = specs.map((s) => `<figure><figcaption>${escapeHtml(s.title)}</figcaption><div class="box"><canvas id="${s.id}" data-chart></canvas></div></figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Revenue-leak simulation — ${r.meta.journeys} journeys, ${r.meta.days} days, seed ${r.meta.seed}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#1f2933;background:#fff}
h1{font-size:20px}table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #d9e2ec;padding:4px 10px;text-align:left}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}figure{margin:0;border:1px solid #d9e2ec;padding:8px}
figcaption{font-weight:600;margin-bottom:6px}.box{position:relative;height:280px}
</style></head><body>
<h1>Revenue-leak simulation</h1>
<p>Simulated ${escapeHtml(r.meta.simStart.slice(0, 10))} → ${escapeHtml(r.meta.simEnd.slice(0, 10))} on the Temporal time-skipping server in ${r.meta.wallSeconds} s. Figures are read from the journeys' own status and timeline.</p>
${kpiTable(r)}
<div class="grid">
${boxes}
</div>
<script>${chartJsSource()}</script>
<script type="application/json" id="specs">${embedJson(specs)}</script>
<script>
(function () {
  var specs = JSON.parse(document.getElementById('specs').textContent);
  var palette = ['#2f6fde', '#e0573e', '#2bb07f', '#f2a541', '#8f5bd6', '#4fb3d9', '#d94f8a', '#7a8a99'];
  var drawn = 0;
  specs.forEach(function (s) {
    var ds = s.datasets.map(function (d, i) {
      var colors = s.type === 'doughnut' ? d.data.map(function (_, j) { return palette[j % palette.length]; }) : palette[i % palette.length];
      return { label: d.label, data: d.data, backgroundColor: colors };
    });
    new Chart(document.getElementById(s.id), {
      type: s.type,
      data: { labels: s.labels, datasets: ds },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, indexAxis: s.horizontal ? 'y' : 'x',
        plugins: { legend: { display: s.type === 'doughnut' || s.datasets.length > 1 } },
        scales: s.type === 'doughnut' ? {} : { x: { stacked: !!s.stacked }, y: { stacked: !!s.stacked, beginAtZero: true } }
      }
    });
    drawn += 1;
  });
  window.__chartsDrawn = drawn;
})();
</script>
</body></html>
`;
}
