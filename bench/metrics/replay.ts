import { performance } from 'node:perf_hooks';
import type { temporal } from '@temporalio/proto';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import { productSinks } from '../discardKpis';
import { atLeast, type Row } from '../report';
import { median } from '../stats';

type Item = { workflowId: string; history: temporal.api.history.v1.IHistory };

/** Replays every history once with a fresh replay worker; returns events per second (and fails on any replay error). */
async function replayRate(bundlePath: string, items: Item[], sinks?: InjectedSinks<any>): Promise<number> {
  const events = items.reduce((n, i) => n + (i.history.events?.length ?? 0), 0);
  const t0 = performance.now();
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath }, ...(sinks ? { sinks } : {}) }, items)) {
    if (result.error) throw new Error(`replay of ${result.workflowId} failed: ${result.error.message}`);
  }
  return events / ((performance.now() - t0) / 1000);
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
    `${journeys.length} journey/child histories (${events(journeys)} events) vs ${baselines.length} no-op histories (${events(baselines)} events); median of ${rounds} rounds, each a fresh replay worker`,
  );
}
