import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { journeyWorkflowId, type Referral } from '../../src/domain';
import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import { ledgerDifferences } from '../support/ledgerInvariant';
import { devServerEnv, replayOptions } from '../support/temporal';
import { PATHS, drivePath, patientRefOf, statusOf, type Driven, type PathContext } from './support/paths';
import { addToSummary } from './support/summary';
import { workerFleet, type WorkerFleet } from './support/workers';
import { emulatorEnv } from '../support/emulatorEnv';

/**
 * Worker crashes: N journeys of mixed paths (paid with a duplicate 835 delivery, native cancel before the release,
 * hold/resume, waiting for the billing release, native cancel after the release → hold) driven through worker
 * PROCESSES (src/workers/main.ts) on the dev server, while a chaos monkey `kill -9`s the worker at random moments and
 * starts a new one. Every journey reaches its expected end or waiting state, the Odoo ledger invariant holds per
 * journey, a sample of the histories replays with the current code, and no synthetic patient id appears in workflow
 * ids, search attributes, memos, worker logs or metric labels.
 * The same again with the Odoo emulator at 20% faults and added latency (RCM_CHAOS_FAULT_JOURNEYS, default 5;
 * RCM_CHAOS_FAULT_LATENCY_MS, 250 inside npm test, 2000 under `npm run chaos`).
 * Size: RCM_CHAOS_JOURNEYS (default 15 inside npm test; `npm run chaos` runs 500), RCM_CHAOS_KILLS (default 3).
 */
const JOURNEYS = Number(process.env.RCM_CHAOS_JOURNEYS ?? 15);
const KILLS = Number(process.env.RCM_CHAOS_KILLS ?? 3);
const CONCURRENCY = Number(process.env.RCM_CHAOS_CONCURRENCY ?? 15);
const FAULT_JOURNEYS = Number(process.env.RCM_CHAOS_FAULT_JOURNEYS ?? 5);
// 2 s per Odoo call makes a journey take minutes: inside npm test the latency is short, `npm run chaos` uses 2 s.
const FAULT_LATENCY_MS = Number(process.env.RCM_CHAOS_FAULT_LATENCY_MS ?? 250);

describe('chaos: kill -9 the worker under load', () => {
  let env: TestWorkflowEnvironment;
  let odoo: OdooEmulator;
  let payer: PayerEmulator;
  let fleet: WorkerFleet;
  const taskQueue = `chaos-${randomUUID().slice(0, 8)}`;
  const run = randomUUID().slice(0, 6).toUpperCase();

  beforeAll(async () => {
    [env, odoo, payer] = await Promise.all([devServerEnv(), startOdooEmulator({ version: '17.0' }), startPayerEmulator({ seed: 5 })]);
    fleet = workerFleet({
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS!,
      RCM_TASK_QUEUE: taskQueue,
      RCM_WORKFLOW_BUNDLE: process.env.RCM_WORKFLOW_BUNDLE!,
      ...emulatorEnv(odoo, payer),
    });
    await fleet.start();
  });

  afterAll(async () => {
    await fleet?.stop();
    await Promise.allSettled([odoo?.close(), payer?.close()]);
    await env?.teardown();
  });

  async function chaosRun(JOURNEYS: number, KILLS: number, label: string): Promise<void> {
    const ctx: PathContext = {
      client: env.client,
      taskQueue,
      payer,
      timeoutMs: 240_000,
      startJourney: (referral: Referral) =>
        env.client.workflow.start('referralJourney', {
          taskQueue,
          workflowId: journeyWorkflowId(referral.siteId, referral.referralId),
          args: [{ siteId: referral.siteId, referralId: referral.referralId, referral }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      // Each journey waits before its last step until the monkey has made all its kills: the kills always land
      // while journeys are in flight, however slowly a killed worker's replacement starts on a loaded machine.
      beforeLastStep: () => monkey,
    };
    const referralIds = Array.from({ length: JOURNEYS }, (_, i) => `CH${run}${label}${i}`);

    // The monkey: kill -9 at a random moment, start a replacement at once (a crash loop), KILLS times.
    const killsBefore = fleet.kills;
    let driving = true;
    const monkey = (async () => {
      while (driving && fleet.kills - killsBefore < KILLS) {
        await new Promise((r) => setTimeout(r, 2000 + Math.random() * 6000));
        if (!driving) break;
        await fleet.kill();
        if (process.env.RCM_CHAOS_DEBUG) process.stderr.write(`${new Date().toISOString()} kill ${fleet.kills}\n`);
        await fleet.start();
        if (process.env.RCM_CHAOS_DEBUG) process.stderr.write(`${new Date().toISOString()} worker ${fleet.starts} polling\n`);
      }
    })();

    const results: (Driven | Error)[] = new Array(JOURNEYS);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, JOURNEYS) }, async () => {
        while (next < JOURNEYS) {
          const i = next++;
          results[i] = await drivePath(ctx, PATHS[i % PATHS.length], referralIds[i]).catch((err: Error) => err);
        }
      }),
    );
    driving = false;
    await monkey;
    await fleet.start();

    // Re-check every journey with a live worker: its state, and its money against Odoo.
    const lost: string[] = [];
    const mismatches: string[] = [];
    let duplicates = 0;
    for (const [i, r] of results.entries()) {
      if (r instanceof Error) {
        lost.push(`${referralIds[i]} (${PATHS[i % PATHS.length]}): ${r.message}`);
        continue;
      }
      const handle = env.client.workflow.getHandle(r.journeyId);
      // A journey may still be finishing (e.g. its close retrying through Odoo faults): wait for its expected state,
      // and count it lost only if it never gets there.
      let s: Awaited<ReturnType<typeof statusOf>> | undefined;
      let wrong: string | undefined = 'no status';
      const settleBy = Date.now() + 90_000;
      for (;;) {
        s = await statusOf(ctx, handle);
        const closed = (await handle.describe()).status.name;
        wrong = s ? r.expect(s, closed) : 'no status';
        if (!wrong || Date.now() > settleBy) break;
        await new Promise((done) => setTimeout(done, 250));
      }
      if (wrong) lost.push(`${r.journeyId} (${r.path}): ${wrong}`);
      if (s) {
        const diffs = ledgerDifferences(s.ledger, odoo);
        duplicates += diffs.filter((d) => /^Odoo: \d+ (invoices|payments|credit notes|live invoices)/.test(d)).length;
        if (diffs.length) mismatches.push(`${r.journeyId}: ${diffs.join('; ')}`);
      }
    }

    // Determinism: a sample of the chaos histories (killed mid-task, retried) replays with the current code.
    const sample = results.filter((r): r is Driven => !(r instanceof Error)).slice(0, Math.min(10, JOURNEYS));
    const histories = await Promise.all(sample.map(async (r) => ({ id: r.journeyId, history: await env.client.workflow.getHandle(r.journeyId).fetchHistory() })));
    for (const { id, history } of histories) await Worker.runReplayHistory(replayOptions(), history, id);

    // PHI: the synthetic patients' ids must appear in no workflow id, search attribute, memo, summary, log or metric.
    const patientRefs = referralIds.map(patientRefOf);
    const places: string[] = [];
    for await (const info of env.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND WorkflowId STARTS_WITH 'referral/site-a/CH${run}${label}'` })) {
      places.push(info.workflowId, JSON.stringify(info.searchAttributes), JSON.stringify(info.memo ?? {}));
      const d = await env.client.workflow.getHandle(info.workflowId, info.runId).describe();
      places.push((await d.staticSummary()) ?? '', (await d.staticDetails()) ?? '');
    }
    places.push(...fleet.logs);
    const metricsUrl = fleet.logs.map((l) => /"url":"([^"]+\/metrics)"/.exec(l)?.[1]).filter(Boolean).pop();
    if (metricsUrl) places.push(await (await fetch(metricsUrl)).text());
    const phiHits = patientRefs.reduce((n, ref) => n + places.filter((p) => p.includes(ref)).length, 0);

    addToSummary({ 'journeys run': JOURNEYS, kills: fleet.kills - killsBefore, 'lost journeys': lost.length, duplicates, 'ledger mismatches': mismatches.length, 'PHI hits': phiHits, 'histories replayed': histories.length });
    expect(fleet.kills - killsBefore).toBe(KILLS);
    expect(lost).toEqual([]);
    expect(mismatches).toEqual([]);
    expect(duplicates).toBe(0);
    expect(metricsUrl).toBeDefined();
    expect(phiHits).toBe(0);
  }

  it(`${JOURNEYS} journeys survive ${KILLS} worker kills: expected states, ledger invariant, replay, no PHI`, () => chaosRun(JOURNEYS, KILLS, 'K'), 3_600_000);

  it('journeys survive Odoo at 20% faults (5xx, resets, serialization conflicts, lost responses after commit) with latency (2 s under npm run chaos), and a kill', async () => {
    odoo.faults.set({ seed: 14, errorRate5xx: 0.05, resetRate: 0.05, conflictRate: 0.05, afterCommitTimeoutRate: 0.05, afterCommitMode: 'hang', hangMs: 5000, latencyMs: FAULT_LATENCY_MS });
    try {
      await chaosRun(FAULT_JOURNEYS, 1, 'F');
    } finally {
      const injected = Object.values(odoo.faults.injected).reduce((a, b) => a + b, 0);
      odoo.faults.clear();
      addToSummary({ 'faults injected': injected });
      expect(injected).toBeGreaterThan(0);
    }
  }, 3_600_000);

});
