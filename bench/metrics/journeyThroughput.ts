import { performance } from 'node:perf_hooks';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { remittanceMessagesFrom835 } from '../../src/domain';
import { parse835 } from '../../src/domain/x12';
import { workerTuning } from '../../src/workers/createWorker';
import * as msg from '../../src/workflows/messages';
import { approveRelease, benchReferral, claimAtPayer, closedPaid, driveToRelease, patientBalanceDue, payPatient, remittancePosted, startJourney, type JourneyHandle } from '../journeys';
import type { BenchStack } from '../stack';
import { productSinks } from '../discardKpis';
import { pool } from '../stats';
import { startTimeSkipping } from '../timeSkipping';
import { baselineActivities } from '../workflows/activities';
import { atLeast, type Row } from '../report';

type History = temporal.api.history.v1.IHistory;

export interface ThroughputOutput {
  row: Row;
  /** completed paid journeys: parent and children histories, for the replay and billable-action metrics */
  journeys: { workflowId: string; history: History; children: { workflowId: string; history: History }[] }[];
  /** the baseline's completed no-op workflows, for the replay metric */
  baselines: { workflowId: string; history: History }[];
}

/**
 * Completed happy-path journeys per second against no-op workflows with the same number of no-op activities.
 *
 * Runs on the time-skipping test server: a paid claim settles only after a 10-minute quiet period (claimLifecycle
 * SETTLE_QUIET_PERIOD), so on a real-time server a completed journey costs at least 10 minutes of wall time. Both
 * sides run on the same server in the same run; the journeys cross the quiet period together (one skip).
 */
export async function journeyThroughput(stack: BenchStack, n: number, concurrency: number, log: (s: string) => void = () => undefined): Promise<ThroughputOutput> {
  const env = await startTimeSkipping();
  try {
    const client = env.client;
    const tuning = workerTuning(stack.config, 1);
    const product = await Worker.create({ connection: env.nativeConnection, taskQueue: 'bench-journeys', workflowBundle: { codePath: stack.productBundlePath }, activities: stack.activities, sinks: productSinks, ...tuning });
    const baseline = await Worker.create({ connection: env.nativeConnection, taskQueue: 'bench-baseline', workflowBundle: { codePath: stack.baselineBundlePath }, activities: baselineActivities, ...tuning });
    return await product.runUntil(() =>
      baseline.runUntil(async () => {
        const t0 = performance.now();
        let posted = 0;
        const handles = await pool(Array.from({ length: n }, (_, i) => i), concurrency, async () => {
          const h = await startJourney(client, 'bench-journeys', benchReferral('T'));
          await driveToRelease(h);
          await approveRelease(h);
          const claimId = await claimAtPayer(h, stack.payer);
          const file = await stack.payer.control.adjudicate(claimId);
          if (!file) throw new Error(`payer pended ${claimId}`);
          await deliver835(h, stack.payer.url, file.fileId);
          await remittancePosted(h);
          log(`  journey ${++posted}/${n} in its settlement quiet period after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
          return h;
        });
        // Every claim is in its quiet period: skip it once for all, then each patient pays and the journey closes.
        await env.sleep('11 minutes');
        // Awaiting a result lets the time-skipping server skip ahead (statement cycles, collections), so every
        // journey must have its payment before the first result is awaited.
        const owed = await pool(handles, concurrency, (h) => patientBalanceDue(h));
        await Promise.all(handles.map((h, i) => payPatient(h, owed[i])));
        await Promise.all(handles.map((h) => closedPaid(h)));
        const journeySeconds = (performance.now() - t0) / 1000;

        const journeys = await Promise.all(handles.map((h) => withChildren(client, h)));
        const activities = journeys.reduce((sum, j) => sum + scheduledActivities(j.history) + j.children.reduce((s, c) => s + scheduledActivities(c.history), 0), 0);
        const perJourney = Math.round(activities / n);

        const b0 = performance.now();
        const baselineIds = await pool(Array.from({ length: n }, (_, i) => i), concurrency, async (i) => {
          const id = `bench-noop-${Date.now().toString(36)}-${i}`;
          await client.workflow.execute('noopActivities', { taskQueue: 'bench-baseline', workflowId: id, args: [perJourney] });
          return id;
        });
        const baselineSeconds = (performance.now() - b0) / 1000;
        const baselines = await Promise.all(baselineIds.map(async (workflowId) => ({ workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() })));

        const row = atLeast(
          'completed happy-path journeys/s vs no-op workflows (same activity count)',
          n / journeySeconds,
          n / baselineSeconds,
          0.7,
          `${n} journeys, ${concurrency} driven at a time, ${perJourney} activities each (with children); time-skipping server (10-min settlement quiet period skipped once for all)`,
        );
        return { row, journeys, baselines };
      }),
    );
  } finally {
    await env.teardown();
  }
}

/** The payer's 835 through the domain's mapping, each claim payment signalled to the journey (what ingestion does). */
async function deliver835(handle: JourneyHandle, payerUrl: string, fileId: string): Promise<void> {
  const content = await (await fetch(`${payerUrl}/remittances/${fileId}`)).text();
  for (const { message } of remittanceMessagesFrom835(parse835(content)).messages) await handle.signal(msg.remittance, message);
}

function scheduledActivities(history: History): number {
  return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes != null).length;
}

async function withChildren(client: import('@temporalio/client').Client, h: JourneyHandle) {
  const history = await h.fetchHistory();
  const childIds = (history.events ?? []).map((e) => e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId).filter((x): x is string => Boolean(x));
  const children = await Promise.all(childIds.map(async (workflowId) => ({ workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() })));
  return { workflowId: h.workflowId, history, children };
}
