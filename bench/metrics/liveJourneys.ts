import { performance } from 'node:perf_hooks';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createJourneyClient } from '../../src/client/journeyClient';
import { workerTuning } from '../../src/workers/createWorker';
import { firstCallLatency } from '../firstCallLatency';
import { recordFirstCalls } from '../firstCalls';
import { approveRelease, benchReferral, claimAtPayer, driveToRelease, startJourney } from '../journeys';
import { atLeast, atMost, type Row } from '../report';
import type { BenchStack } from '../stack';
import { productSinks } from '../discardKpis';
import { median, percentile, pool, waitFor } from '../stats';
import { baselineActivities } from '../workflows/activities';
import { trivialSignal, trivialUpdate } from '../workflows';

/**
 * The three metrics that need journeys live on the real dev server, measured on the same `m` journeys in sequence:
 * start-to-first-activity (each journey started alone), the billing-release approval update round trip, and the
 * payer's 835 for all of their claims delivered through the product's ingestion (ClaimIds lookup + update per claim).
 * Each against its trivial counterpart, interleaved sample by sample where the metric is a latency.
 */
export async function liveJourneyMetrics(stack: BenchStack, client: Client, connection: import('@temporalio/worker').NativeConnection, m: number, concurrency: number): Promise<Row[]> {
  const product = recordFirstCalls(stack.activities);
  const baseline = recordFirstCalls(baselineActivities);
  const tuning = workerTuning(stack.config, 1);
  const run = Date.now().toString(36);
  const journeyQueue = `bench-journeys-${run}`;
  const baselineQueue = `bench-baseline-${run}`;
  const productWorker = await Worker.create({ connection, taskQueue: journeyQueue, workflowBundle: { codePath: stack.productBundlePath }, activities: product.activities, sinks: productSinks, ...tuning });
  const baselineWorker = await Worker.create({ connection, taskQueue: baselineQueue, workflowBundle: { codePath: stack.baselineBundlePath }, activities: baseline.activities, ...tuning });

  return productWorker.runUntil(() =>
    baselineWorker.runUntil(async () => {
      // Start-to-first-activity: one start at a time, alternating journey and baseline so load drift hits both.
      const journeys: WorkflowHandle[] = [];
      const startOurs: number[] = [];
      const startBase: number[] = [];
      for (let i = 0; i < m; i++) {
        startOurs.push(
          await firstCallLatency(product.firstCallAt, async () => {
            const h = await startJourney(client, journeyQueue, benchReferral('L'));
            journeys.push(h);
            return h.workflowId;
          }),
        );
        startBase.push(
          await firstCallLatency(baseline.firstCallAt, async () => {
            const h = await client.workflow.start('noopActivities', { taskQueue: baselineQueue, workflowId: `bench-first-${run}-${i}`, args: [1] });
            return h.workflowId;
          }),
        );
      }

      await pool(journeys, concurrency, (h) => driveToRelease(h));
      // Trivial workflows for the update baseline (end after their update) and the signal baseline (one signal each).
      const updBase = await Promise.all(journeys.map((_, i) => client.workflow.start('trivialInbox', { taskQueue: baselineQueue, workflowId: `bench-upd-${run}-${i}`, args: [0] })));
      const sigBase = await Promise.all(journeys.map((_, i) => client.workflow.start('trivialInbox', { taskQueue: baselineQueue, workflowId: `bench-sig-${run}-${i}`, args: [1] })));

      // Approval round trip: one update at a time, alternating with the trivial update.
      const updOurs: number[] = [];
      const updTrivial: number[] = [];
      for (let i = 0; i < journeys.length; i++) {
        updOurs.push(await approveRelease(journeys[i]));
        const t0 = performance.now();
        await updBase[i].executeUpdate(trivialUpdate, { args: ['approve'] });
        updTrivial.push(performance.now() - t0);
      }

      // 835 → journeys: one file with every claim, through the product's ingestion path.
      const claimIds = await pool(journeys, concurrency, (h) => claimAtPayer(h, stack.payer));
      const file = await stack.payer.control.adjudicateBatch(claimIds.map((claimId) => ({ claimId })));
      if (!file) throw new Error('the payer pended the batch');
      const content = await (await fetch(`${stack.payer.url}/remittances/${file.fileId}`)).text();
      // ClaimIds is indexed asynchronously: the lookup must see every claim before the clock starts.
      const ingest = createJourneyClient({ client, taskQueueFor: () => journeyQueue });
      await waitFor('ClaimIds indexed for every claim', async () => (await Promise.all(claimIds.map((c) => ingest.findJourneysByClaimId(c)))).every((x) => x.length === 1), 120_000, 300);
      const i0 = performance.now();
      const summary = await ingest.ingestRemittance(content, { concurrency });
      const ingestSeconds = (performance.now() - i0) / 1000;
      if (summary.delivered !== claimIds.length) throw new Error(`835 ingestion delivered ${summary.delivered} of ${claimIds.length}: ${JSON.stringify(summary.issues.slice(0, 3))}`);
      const s0 = performance.now();
      await pool(sigBase, concurrency, (h) => h.signal(trivialSignal, 'paid'));
      const signalSeconds = (performance.now() - s0) / 1000;

      return [
        atMost(
          'start-to-first-activity latency, median ms',
          median(startOurs),
          median(startBase),
          1.3,
          `${m} starts each side, one at a time, client start call → first activity invoked; p90 ${percentile(startOurs, 90).toFixed(1)} vs ${percentile(startBase, 90).toFixed(1)} ms`,
        ),
        atMost(
          'approval update round-trip p99 ms',
          percentile(updOurs, 99),
          percentile(updTrivial, 99),
          1.5,
          `${updOurs.length} updates each side, one at a time; p50 ${median(updOurs).toFixed(1)} vs ${median(updTrivial).toFixed(1)} ms (ratio ${(median(updOurs) / median(updTrivial)).toFixed(2)}×)`,
        ),
        atLeast(
          '835 → remittances delivered to journeys, claims/s',
          claimIds.length / ingestSeconds,
          claimIds.length / signalSeconds,
          0.7,
          `one 835 with ${claimIds.length} claims via JourneyClient.ingestRemittance (parse, ClaimIds lookup, update per claim, ${concurrency} at a time) vs ${claimIds.length} signals to trivial workflows, ${concurrency} at a time`,
        ),
      ];
    }),
  );
}
