/**
 * `npm run simulate -- --journeys 2000 --days 120 --seed 7`: the revenue-leak simulator. Synthetic referrals run as
 * real journeys (the product's workflow bundle and activities) on the provisioned time-skipping test server, against
 * the Odoo and payer emulators over HTTP; the simulator plays the payer, patients, approvers and ops day by day and
 * then reports what the journeys did (src/simulate). Writes simulate-output/report.json and report.html.
 *
 * Why the time-skipping server rather than scaled clocks: the journeys' SLA ladders and regulatory clocks are real
 * durable timers of days and months; the test server jumps over them exactly (no clock-scaling code in the product,
 * no drift), and time moves only when the simulator says a day is over, so every external action lands on its day.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { memoryKpiSink, type KpiEvent } from '../src/activities/notify';
import { loadConfig } from '../src/config';
import { buildActivities } from '../src/workers/buildActivities';
import { SEARCH_ATTRIBUTE_REGISTRY } from '../src/workflows/searchAttributes';
import { buildReport, formatSummary, type SimReport } from '../src/simulate/report';
import { renderHtml } from '../src/simulate/html';
import { runSimulation, type Progress, type SimulationRun } from '../src/simulate/run';
import { SimulationOptionsSchema, type SimulationOptions } from '../src/simulate/scenario';
import { startOdooEmulator } from '../sim/odoo';
import { startPayerEmulator } from '../sim/payer';
import { temporalTools } from './temporal/tools';

export interface SimulationResult {
  run: SimulationRun;
  report: SimReport;
  kpiEvents: ReturnType<typeof memoryKpiSink>['events'];
}

/** Everything real: time-skipping server, emulators over HTTP, a worker with the production activity composition. */
export async function simulate(options: SimulationOptions, opts: { bundlePath?: string; onProgress?: (p: Progress) => void } = {}): Promise<SimulationResult> {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    /* a runtime is already installed in this process (tests) */
  }
  const [env, odoo, payer, bundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTools().testServer.path } } }),
    startOdooEmulator({ version: '17.0' }),
    startPayerEmulator({ seed: options.seed }),
    opts.bundlePath ? Promise.resolve({ codePath: opts.bundlePath }) : bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: silent }).then((b) => ({ code: b.code })),
  ]);
  try {
    await registerSearchAttributes(env);
    const config = loadConfig({ ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_LOGIN: 'admin', ODOO_API_KEY: 'admin-api-key', ODOO_PROTOCOL: 'jsonrpc', PAYER_BASE_URL: payer.url,
      // 5010 wants a ZIP+4 for the billing provider (2010AA N403)
      PAYER_BILLING_ADDRESS: '1 Main Street, Springfield, IL, 62701-1234' }, {});
    const kpi = memoryKpiSink();
    const taskQueue = `simulate-${randomUUID().slice(0, 8)}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: buildActivities(config, { kpi, log: () => undefined }),
      // journeys emit KPIs through the `kpi` workflow sink (older executions through the recordKpi activity)
      sinks: { kpi: { record: { fn: (_info, event: KpiEvent) => kpi.record(event), callDuringReplay: false } } },
      // every journey and its current child stay cached: a query then needs no replay
      maxCachedWorkflows: Math.min(4000, options.journeys * 2 + 50),
      maxConcurrentActivityTaskExecutions: 40,
      maxConcurrentWorkflowTaskExecutions: 40,
    });
    const probe = { inFlight: () => { const s = worker.getStatus(); return s.numInFlightWorkflowActivations + s.numInFlightActivities; } };
    const run = await worker.runUntil(runSimulation({ env, client: env.client, taskQueue, payer: payer.control, worker: probe }, options, opts.onProgress));
    return { run, report: buildReport(run, { kpiEvents: kpi.events }), kpiEvents: kpi.events };
  } finally {
    await Promise.allSettled([odoo.close(), payer.close()]);
    await env.teardown();
  }
}

async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  // The time-skipping server takes no --search-attribute flag; register through the operator service.
  const types = temporal.api.enums.v1.IndexedValueType;
  const byName = { Keyword: types.INDEXED_VALUE_TYPE_KEYWORD, Datetime: types.INDEXED_VALUE_TYPE_DATETIME, KeywordList: types.INDEXED_VALUE_TYPE_KEYWORD_LIST, Int: types.INDEXED_VALUE_TYPE_INT };
  await (env.client.connection as Connection).operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_REGISTRY).map(([name, type]) => [name, byName[type]])),
  });
}

const noop = () => undefined;
const silent = { trace: noop, debug: noop, info: noop, log: noop, warn: noop, error: console.error };

/** Write report.json (plus the driven actions, for audit) and the self-contained report.html. */
export function writeOutputs(result: SimulationResult, dir: string): { json: string; html: string } {
  fs.mkdirSync(dir, { recursive: true });
  // generated output never belongs in git, wherever the folder is
  fs.writeFileSync(path.join(dir, '.gitignore'), '*\n');
  const json = path.join(dir, 'report.json');
  const html = path.join(dir, 'report.html');
  fs.writeFileSync(json, `${JSON.stringify(result.report, null, 2)}\n`);
  fs.writeFileSync(html, renderHtml(result.report));
  return { json, html };
}

async function main(): Promise<void> {
  const cli = new Command()
    .name('simulate')
    .option('--journeys <n>', 'referrals to simulate', '200')
    .option('--days <n>', 'simulated days', '120')
    .option('--seed <n>', 'PRNG seed', '7')
    .option('--mix <file>', 'JSON file overriding the behaviour mix (src/simulate/scenario.ts)')
    .option('--out <dir>', 'output folder', 'simulate-output')
    .parse(process.argv);
  const o = cli.opts<{ journeys: string; days: string; seed: string; mix?: string; out: string }>();
  const options = SimulationOptionsSchema.parse({
    journeys: Number(o.journeys),
    days: Number(o.days),
    seed: Number(o.seed),
    mix: o.mix ? JSON.parse(fs.readFileSync(o.mix, 'utf8')) : {},
  });
  const bar = new SingleBar({ format: 'simulating [{bar}] day {value}/{total} | arrived {arrived} | scripts done {scriptsDone} | {duration_formatted}', hideCursor: true, noTTYOutput: true, notTTYSchedule: 15_000 });
  bar.start(options.days - 1, 0, { arrived: 0, scriptsDone: 0 });
  const result = await simulate(options, {
    onProgress: (p) => bar.update(p.day, { arrived: p.arrived, scriptsDone: p.scriptsDone }),
  });
  bar.stop();
  const files = writeOutputs(result, path.resolve(o.out));
  process.stdout.write(`${formatSummary(result.report)}\nwrote ${files.json}\nwrote ${files.html}\n`);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
