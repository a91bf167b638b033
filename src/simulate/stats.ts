/** Small descriptive statistics for the report (inputs in any unit; rounding to 2 decimals). */
export interface Distribution {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  max: number;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export function distribution(values: number[]): Distribution {
  const v = [...values].sort((a, b) => a - b);
  const pct = (p: number) => (v.length === 0 ? 0 : v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))]);
  const mean = v.length === 0 ? 0 : v.reduce((s, x) => s + x, 0) / v.length;
  return { count: v.length, mean: round2(mean), p50: round2(pct(0.5)), p90: round2(pct(0.9)), max: round2(v.at(-1) ?? 0) };
}

/** Counts of values into labelled buckets by upper bound (the last bucket is open-ended). */
export function histogram(values: number[], bounds: number[], unit: string): { label: string; count: number }[] {
  const labels = bounds.map((b, i) => `${i === 0 ? 0 : bounds[i - 1]}–${b} ${unit}`).concat(`> ${bounds.at(-1)} ${unit}`);
  const counts = new Array<number>(labels.length).fill(0);
  for (const x of values) {
    const i = bounds.findIndex((b) => x <= b);
    counts[i === -1 ? bounds.length : i] += 1;
  }
  return labels.map((label, i) => ({ label, count: counts[i] }));
}

export function increment(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}
