/**
 * Baseline workflows for `npm run bench`: the smallest workflow that does the same kind of Temporal work as the
 * journey metric it is compared with. Bundled on their own (bench/stack.ts), never into the product bundle.
 */
import { condition, defineSignal, defineUpdate, proxyActivities, proxySinks, setHandler, sleep, type Sinks } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';

const { noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });

/** `count` no-op activities in sequence: what a journey costs without its business logic. */
export async function noopActivities(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await noop();
}

export const trivialUpdate = defineUpdate<boolean, [string]>('trivialUpdate');
export const trivialSignal = defineSignal<[string]>('trivialSignal');

/** Ends on its one update, or after `signals` signals (when > 0): the counterpart of an approval and of an 835 delivery. */
export async function trivialInbox(signals: number): Promise<void> {
  let updated = false;
  let received = 0;
  setHandler(trivialUpdate, () => {
    updated = true;
    return true;
  });
  setHandler(trivialSignal, () => {
    received++;
  });
  await condition(() => updated || (signals > 0 && received >= signals));
}

export interface ParkedSinks extends Sinks {
  bench: { parked(): void };
}
const { bench } = proxySinks<ParkedSinks>();

/** Parks on a long timer; the sink tells the RSS worker process it got there (sinks do not run on replay). */
export async function parkedTimer(): Promise<void> {
  bench.parked();
  await sleep('30 days');
}
