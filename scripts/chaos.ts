/**
 * `npm run chaos`: the long chaos and hostile-input run — 500 journeys through killed worker processes, server
 * restarts with the codec on, an Odoo outage past the retry budget, out-of-order payer deliveries, concurrent
 * approvers, 10 000 generated payloads/files/tokens per fuzz property — then the summary, one `name: value` per line.
 * Sizes can be overridden (RCM_CHAOS_JOURNEYS, RCM_CHAOS_KILLS, RCM_CHAOS_RESTART_JOURNEYS, RCM_CHAOS_RESTARTS,
 * RCM_CHAOS_OUTAGE_JOURNEYS, RCM_CHAOS_DECISION_JOURNEYS, RCM_FUZZ_RUNS). Exit status is jest's.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { formatSummary, readSummary } from '../test/chaos/support/summary';

const root = path.resolve(__dirname, '..');
const summaryFile = path.join(root, 'test-output/chaos/summary.json');
fs.rmSync(summaryFile, { force: true });
const env = {
  ...process.env,
  RCM_CHAOS_SUMMARY: summaryFile,
  RCM_CHAOS_JOURNEYS: process.env.RCM_CHAOS_JOURNEYS ?? '500',
  RCM_CHAOS_KILLS: process.env.RCM_CHAOS_KILLS ?? '25',
  RCM_CHAOS_CONCURRENCY: process.env.RCM_CHAOS_CONCURRENCY ?? '40',
  RCM_CHAOS_FAULT_JOURNEYS: process.env.RCM_CHAOS_FAULT_JOURNEYS ?? '50',
  RCM_CHAOS_FAULT_LATENCY_MS: process.env.RCM_CHAOS_FAULT_LATENCY_MS ?? '2000',
  RCM_CHAOS_RESTART_JOURNEYS: process.env.RCM_CHAOS_RESTART_JOURNEYS ?? '50',
  RCM_CHAOS_RESTARTS: process.env.RCM_CHAOS_RESTARTS ?? '3',
  RCM_CHAOS_OUTAGE_JOURNEYS: process.env.RCM_CHAOS_OUTAGE_JOURNEYS ?? '10',
  RCM_CHAOS_DECISION_JOURNEYS: process.env.RCM_CHAOS_DECISION_JOURNEYS ?? '40',
  RCM_FUZZ_RUNS: process.env.RCM_FUZZ_RUNS ?? '10000',
  RCM_FUZZ_SEED: process.env.RCM_FUZZ_SEED ?? 'random',
};
const tests = ['test/chaos/', 'test/integration/ingress.fuzz.test.ts', 'test/integration/decisions.fuzz.test.ts', 'test/unit/x12.fuzz.test.ts', 'test/integration/ingress.noWorker.test.ts'];
const jest = spawnSync(path.join(root, 'node_modules/.bin/jest'), ['--runInBand', '--testTimeout=7200000', ...tests], { cwd: root, env, stdio: 'inherit' });
process.stdout.write(`\n${formatSummary(readSummary(summaryFile))}\n`);
process.exit(jest.status ?? 1);
