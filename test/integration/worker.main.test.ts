import { spawn } from 'node:child_process';
import path from 'node:path';
import { memoryKpiSink } from '../../src/activities/notify';
import { loadConfig } from '../../src/config';
import { buildActivities } from '../../src/workers/buildActivities';
import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import { uniqueTaskQueue } from '../support/temporal';

/**
 * `npm run worker` as a real process against the dev server and the emulators: it starts, serves the KPI endpoint,
 * logs JSON lines, and on SIGTERM drains, closes and exits 0. Plus the activity composition it registers.
 */
const ROOT = path.resolve(__dirname, '../..');

describe('worker entry point', () => {
  let odoo: OdooEmulator;
  let payer: PayerEmulator;
  let integrationEnv: Record<string, string>;

  beforeAll(async () => {
    [odoo, payer] = await Promise.all([startOdooEmulator({ port: 0 }), startPayerEmulator({ port: 0 })]);
    integrationEnv = {
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.db,
      ODOO_LOGIN: 'admin',
      ODOO_API_KEY: 'admin-api-key',
      PAYER_BASE_URL: payer.url,
    };
  });
  afterAll(async () => {
    await Promise.all([odoo?.close(), payer?.close()]);
  });

  it('buildActivities composes every integration, with per-site review thresholds and the KPI sink', async () => {
    const kpi = memoryKpiSink();
    const logged: Record<string, unknown>[] = [];
    const config = loadConfig({ ...integrationEnv, RCM_SITES: JSON.stringify([{ id: 'strict', codingConfidenceThreshold: 1 }, { id: 'lenient', codingConfidenceThreshold: 0 }]) });
    const acts = buildActivities(config, { kpi, log: (e) => void logged.push(e) });
    expect(Object.keys(acts)).toEqual(
      expect.arrayContaining(['upsertPatientPartner', 'createDraftInvoice', 'checkEligibility', 'submitClaim', 'classifyDocument', 'categoriseDenial', 'notifyOwner', 'recordKpi']),
    );
    const text = 'Prior authorization request for MRI lumbar spine, CPT 72148, ICD-10 M54.5.';
    const strict = await acts.classifyDocument({ documentId: 'D1', text, siteId: 'strict' });
    const lenient = await acts.classifyDocument({ documentId: 'D1', text, siteId: 'lenient' });
    expect(strict.label).toBe(lenient.label);
    expect(strict.needsHumanReview).toBe(strict.confidence < 1);
    expect(lenient.needsHumanReview).toBe(false);
    await acts.recordKpi({ name: 'claim_submitted', siteId: 'strict', payerId: 'acme', valueMs: 1000 });
    expect(kpi.events).toEqual([{ name: 'claim_submitted', siteId: 'strict', payerId: 'acme', valueMs: 1000 }]);

    expect(() => buildActivities(loadConfig({}), { kpi, log: () => undefined })).toThrow(/ODOO_URL.*\n.*PAYER_BASE_URL/s);
  });

  it('npm run worker: starts, serves KPIs, and shuts down gracefully on SIGTERM', async () => {
    const taskQueue = uniqueTaskQueue('main');
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/workers/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...integrationEnv,
        TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
        RCM_TASK_QUEUE: taskQueue,
        RCM_METRICS_PORT: '0',
        RCM_SHUTDOWN_GRACE_MS: '2000',
        RCM_WORKFLOW_BUNDLE: process.env.RCM_WORKFLOW_BUNDLE,
        RCM_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    let stderr = '';
    let buffer = '';
    const waiters: { msg: string; resolve: (e: Record<string, unknown>) => void }[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const entry = JSON.parse(line) as Record<string, unknown>; // every stdout line is JSON
        lines.push(entry);
        for (const w of waiters.filter((x) => x.msg === entry.msg)) w.resolve(entry);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waitFor = (msg: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const seen = lines.find((e) => e.msg === msg);
        if (seen) return resolve(seen);
        waiters.push({ msg, resolve });
        void exited.then((code) => reject(new Error(`worker exited (${code}) before "${msg}"; stderr: ${stderr}`)));
      });

    try {
      const listening = await waitFor('kpi metrics listening');
      const started = await waitFor('workers started');
      expect(started).toEqual(expect.objectContaining({ service: 'worker', level: 'info', taskQueues: [taskQueue], codec: false }));
      const metrics = await (await fetch(String(listening.url))).text();
      for (const name of ['rcm_referral_aging_seconds', 'rcm_auth_turnaround_seconds', 'rcm_denial_rate', 'rcm_sla_breaches_total', 'rcm_worker_process_cpu_seconds_total']) {
        expect(metrics).toContain(name);
      }

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const msgs = lines.map((e) => e.msg);
      expect(msgs).toEqual(expect.arrayContaining(['shutdown requested', 'workers shutting down', 'workers stopped', 'bye']));
      expect(msgs.indexOf('workers stopped')).toBeLessThan(msgs.indexOf('bye'));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 2 with one message listing every bad variable', async () => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/workers/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, RCM_LOG_LEVEL: 'loud', RCM_TASK_QUEUE_STRATEGY: 'random' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('invalid configuration (2 problems)');
    expect(stderr).toContain('RCM_LOG_LEVEL');
    expect(stderr).toContain('RCM_TASK_QUEUE_STRATEGY');
  });
});
