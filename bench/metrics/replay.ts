import { performance } from 'node:perf_hooks';
import type { temporal } from '@temporalio/proto';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import { productSinks } from '../discardKpis';
import { atLeast, type Row } from '../report';
import { median } from '../stats';

type Item = { workflowId: string; history: temporal.api.history.v1.IHistory };

/**
 * Replays every history once with a fresh replay worker; returns events per second (and fails on any replay error).
 * The first history is the warm-up: it pays for creating the worker and loading the bundle into its VM, which a
 * running worker does once at start, not per cache miss. The rate counts the histories after it, from its end.
 */
async function replayRate(bundlePath: string, items: Item[], sinks?: InjectedSinks<any>): Promise<number> {
  if (items.length < 2) throw new Error('replay metric: need at least two histories (one is the warm-up)');
  const eventsOf = (id: string) => items.find((i) => i.workflowId === id)?.history.events?.length ?? 0;
  let warmedAt: number | undefined;
  let events = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath }, ...(sinks ? { sinks } : {}) }, items)) {
    if (result.error) throw new Error(`replay of ${result.workflowId} failed: ${result.error.message}`);
    if (warmedAt === undefined) warmedAt = performance.now();
    else events += eventsOf(result.workflowId);
  }
  return events / ((performance.now() - warmedAt!) / 1000);
}

/**
 * Replay throughput (events/s) of the completed journeys (parents and children) against the baseline's no-op
 * histories, alternating rounds so load changes hit both; median of the rounds.
 */
export async function replayMetric(productBundle: string, journeys: Item[], baselineBundle: string, baselines: Item[], rounds: number): Promise<Row> {
  const ours: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(await replayRate(productBundle, journeys, productSinks));
    base.push(await replayRate(baselineBundle, baselines));
  }
  const events = (items: Item[]) => items.reduce((n, i) => n + (i.history.events?.length ?? 0), 0);
  return atLeast(
    'replay events/s, journey histories vs trivial histories',
    median(ours),
    median(base),
    0.7,
    `${journeys.length} journey/child histories (${events(journeys)} events) vs ${baselines.length} no-op histories (${events(baselines)} events); median of ${rounds} rounds, each a fresh replay worker whose first history is a warm-up (worker creation, bundle load) left out of the rate`,
  );
}
