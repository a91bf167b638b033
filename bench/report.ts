import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One line of the table and of latest.json. `detail` says what was measured (sizes, units, p50 beside a p99). */
export interface Row {
  metric: string;
  ours: number;
  baseline: number;
  ratio: number;
  goal: string;
  meetsGoal: boolean;
  detail?: string;
}

export interface BenchResult {
  rows: Row[];
  machine: { cpus: number; model: string; memGB: number; node: string; loadavg: number[] };
  date: string;
  mode: 'quick' | 'full';
  /** metric groups that failed (their rows are missing) */
  failures?: string[];
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** A row where more is better (throughput): ratio ours/baseline must reach `min`. */
export function atLeast(metric: string, ours: number, baseline: number, min: number, detail?: string): Row {
  const ratio = ours / baseline;
  return { metric, ours: round(ours), baseline: round(baseline), ratio: round(ratio), goal: `≥ ${min}×`, meetsGoal: ratio >= min, ...(detail ? { detail } : {}) };
}

/** A row where less is better (latency, memory): ratio ours/baseline must stay within `max`. */
export function atMost(metric: string, ours: number, baseline: number, max: number, detail?: string, extra?: { goal: string; ok: boolean }): Row {
  const ratio = ours / baseline;
  const ok = ratio <= max && (extra?.ok ?? true);
  return { metric, ours: round(ours), baseline: round(baseline), ratio: round(ratio), goal: extra?.goal ?? `≤ ${max}×`, meetsGoal: ok, ...(detail ? { detail } : {}) };
}

export function machine(): BenchResult['machine'] {
  const cpus = os.cpus();
  return { cpus: cpus.length, model: cpus[0]?.model ?? 'unknown', memGB: round(os.totalmem() / 1024 ** 3, 1), node: process.version, loadavg: os.loadavg().map((x) => round(x, 2)) };
}

export function printTable(rows: Row[]): void {
  const header = ['metric', 'ours', 'baseline', 'ratio', 'goal', 'meets goal'];
  const lines = rows.map((r) => [r.metric, fmt(r.ours), fmt(r.baseline), `${r.ratio}×`, r.goal, r.meetsGoal ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(line(l));
  for (const r of rows) if (r.detail) console.log(`  ${r.metric}: ${r.detail}`);
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2);
}

export function writeResult(file: string, result: BenchResult): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}
