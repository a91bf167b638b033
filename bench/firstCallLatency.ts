import { performance } from 'node:perf_hooks';
import { waitFor } from './stats';

/** ms from just before `start` is called until the first activity of the workflow it started was invoked. */
export async function firstCallLatency(firstCallAt: Map<string, number>, start: () => Promise<string>): Promise<number> {
  const t0 = performance.now();
  const workflowId = await start();
  const at = await waitFor(`first activity of ${workflowId}`, async () => firstCallAt.get(workflowId), 120_000, 2);
  return at - t0;
}
