import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createJourneyClient } from '../../src/client/journeyClient';
import { dashboardQueries, exportedSeriesNames, metricNamesIn, unknownMetrics, type PanelQuery } from '../../src/observability/promql';
import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import { sampleReferral } from '../support/journeyHarness';
import { devServerEnv, uniqueTaskQueue } from '../support/temporal';
import { emulatorEnv } from '../support/emulatorEnv';

/**
 * Every Grafana panel query names a metric the worker really exports: `npm run worker` (src/workers/main.ts) runs as
 * a process with both endpoints on — business KPIs (prom-client, RCM_METRICS_PORT) and the SDK's Core exporter
 * (RCM_SDK_METRICS_ADDRESS) — a journey runs on it so task, activity and cache metrics exist, and both endpoints are
 * scraped. A bogus name is the negative control.
 */
const ROOT = path.resolve(__dirname, '../..');
const DASHBOARDS = path.join(ROOT, 'deploy/grafana/dashboards');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('Grafana dashboards against a running worker', () => {
  let env: TestWorkflowEnvironment;
  let odoo: OdooEmulator;
  let payer: PayerEmulator;
  let child: ChildProcess | undefined;
  let kpiUrl = '';
  let sdkUrl = '';
  const taskQueue = uniqueTaskQueue('dashboards');
  const queries: PanelQuery[] = fs
    .readdirSync(DASHBOARDS)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => dashboardQueries(JSON.parse(fs.readFileSync(path.join(DASHBOARDS, f), 'utf8'))));

  beforeAll(async () => {
    [env, odoo, payer] = await Promise.all([devServerEnv(), startOdooEmulator({ version: '17.0' }), startPayerEmulator({ seed: 3, payerId: 'PAYER1' })]);
    const sdkPort = await freePort();
    sdkUrl = `http://127.0.0.1:${sdkPort}/metrics`;
    child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/workers/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...emulatorEnv(odoo, payer),
        TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
        RCM_TASK_QUEUE: taskQueue,
        RCM_METRICS_PORT: '0',
        RCM_SDK_METRICS_ADDRESS: `127.0.0.1:${sdkPort}`,
        RCM_WORKFLOW_BUNDLE: process.env.RCM_WORKFLOW_BUNDLE,
        RCM_SHUTDOWN_GRACE_MS: '1000',
        RCM_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    kpiUrl = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child!.stdout!.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        const m = /"msg":"kpi metrics listening"[^\n]*?"url":"([^"]+)"|"url":"([^"]+)"[^\n]*?"msg":"kpi metrics listening"/.exec(buf);
        if (m) resolve(m[1] ?? m[2]);
      });
      child!.once('exit', (code) => reject(new Error(`worker exited (${code}): ${stderr}`)));
    });
    // A journey on the worker: workflow tasks (sticky cache), activities calling the emulators.
    const journeys = createJourneyClient({ client: env.client, taskQueueFor: () => taskQueue });
    await journeys.startJourney(sampleReferral(), { timeoutMs: 20_000 });
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await Promise.allSettled([odoo?.close(), payer?.close()]);
  });

  const scrape = async () => {
    const [kpi, sdk] = await Promise.all([fetch(kpiUrl).then((r) => r.text()), fetch(sdkUrl).then((r) => r.text())]);
    return { kpi: exportedSeriesNames(kpi), sdk: exportedSeriesNames(sdk) };
  };

  it('the dashboards have queries, and every metric they name is exported by the worker', async () => {
    expect(queries.length).toBeGreaterThan(20);
    const named = new Set(queries.flatMap((q) => metricNamesIn(q.expr)));
    expect([...named].some((n) => n.startsWith('rcm_'))).toBe(true);
    expect([...named].some((n) => n.startsWith('temporal_'))).toBe(true);

    // SDK series appear once the worker has done the work they measure: wait (bounded) until none is missing.
    const deadline = Date.now() + 30_000;
    let missing: ReturnType<typeof unknownMetrics> = [];
    let exported = new Set<string>();
    for (;;) {
      const s = await scrape();
      exported = new Set([...s.kpi, ...s.sdk]);
      missing = unknownMetrics(queries, exported);
      if (missing.length === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(missing.map((m) => `${m.dashboard} / ${m.panel}: ${m.metric}`)).toEqual([]);

    // Each prefix comes from its own endpoint (the business dashboard does not lean on SDK names or vice versa).
    const s = await scrape();
    for (const n of named) expect({ n, from: n.startsWith('rcm_') ? s.kpi.has(n) : s.sdk.has(n) }).toEqual({ n, from: true });

    // Negative control: a bogus or misspelt name is caught.
    const bogus: PanelQuery[] = [
      { dashboard: 'x', panel: 'bogus', expr: 'sum(rate(rcm_referral_agin_seconds_bucket[5m]))' },
      { dashboard: 'x', panel: 'bogus', expr: 'temporal_workflow_task_schedule_to_start_latency_seconds_bucket' },
    ];
    expect(unknownMetrics(bogus, exported).map((m) => m.metric)).toEqual(['rcm_referral_agin_seconds_bucket', 'temporal_workflow_task_schedule_to_start_latency_seconds_bucket']);
  }, 60_000);
});
