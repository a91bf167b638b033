import { condition, defineQuery, defineSignal, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SmokeActivities } from '../activities/smoke';

/**
 * A small end-to-end check of the platform: an activity, a signal, a validated update and a
 * long durable timer. Operators can start it against any cluster to prove workers are healthy.
 */
export const smokeNote = defineSignal<[string]>('smokeNote');
export const smokeSetLimit = defineUpdate<number, [number]>('smokeSetLimit');
export const smokeState = defineQuery<SmokeResult>('smokeState');

export interface SmokeInput {
  /** How long to wait for the `finish` note before timing out, in days. */
  waitDays: number;
}
export interface SmokeResult {
  echoed: string;
  notes: string[];
  limit: number;
  outcome: 'finished' | 'timed_out';
}

const { echo } = proxyActivities<SmokeActivities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 3 } });

export async function smokeCheck(input: SmokeInput): Promise<SmokeResult> {
  const state: SmokeResult = { echoed: '', notes: [], limit: 0, outcome: 'timed_out' };
  setHandler(smokeNote, (note) => void state.notes.push(note));
  setHandler(smokeState, () => state);
  setHandler(
    smokeSetLimit,
    (limit) => {
      const previous = state.limit;
      state.limit = limit;
      return previous;
    },
    {
      validator: (limit) => {
        if (!Number.isInteger(limit) || limit < 0) throw new Error('limit must be a non-negative integer');
      },
    },
  );
  state.echoed = await echo('smoke');
  const finished = await condition(() => state.notes.includes('finish'), `${input.waitDays} days`);
  state.outcome = finished ? 'finished' : 'timed_out';
  return state;
}
