import fs from 'node:fs';
import path from 'node:path';

/**
 * The chaos summary: counters each chaos/fuzz test adds to (a JSON file named by RCM_CHAOS_SUMMARY, which
 * `npm run chaos` sets and prints as `name: value` lines; without it the counters are only printed by each test).
 */
export const SUMMARY_KEYS = [
  'journeys run',
  'kills',
  'faults injected',
  'restarts',
  'outages',
  'out-of-order deliveries',
  'concurrent decisions',
  'payloads fuzzed',
  'duplicates',
  'lost journeys',
  'ledger mismatches',
  'PHI hits',
  'PHI hits with codec',
  'histories replayed',
] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

export function readSummary(file: string): Partial<Record<SummaryKey, number>> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Record<SummaryKey, number>>;
  } catch {
    return {};
  }
}

/** Adds to the counters (jest runs files one at a time with --runInBand, so read-modify-write is safe). */
export function addToSummary(counts: Partial<Record<SummaryKey, number>>): void {
  process.stdout.write(`${formatSummary(counts, Object.keys(counts) as SummaryKey[])}\n`);
  const file = process.env.RCM_CHAOS_SUMMARY;
  if (!file) return;
  const current = readSummary(file);
  for (const [k, v] of Object.entries(counts) as [SummaryKey, number][]) current[k] = (current[k] ?? 0) + v;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
}

export function formatSummary(s: Partial<Record<SummaryKey, number>>, keys: readonly SummaryKey[] = SUMMARY_KEYS): string {
  return keys.map((k) => `${k}: ${s[k] ?? 0}`).join('\n');
}
