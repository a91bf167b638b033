/**
 * Version 2: `parkedJourney` changed incompatibly (a new timer before parking, a different result). Replaying a
 * version-1 history on this code would fail, which is why journeys are pinned to the version they started on.
 * `shortTask` changed behind `patched()`, the way a fix reaches workflows already running.
 */
import { condition, defineQuery, defineSignal, patched, setHandler, setWorkflowOptions, sleep } from '@temporalio/workflow';

export const releaseSignal = defineSignal('release');
export const codeVersionQuery = defineQuery<string>('codeVersion');

export async function parkedJourney(): Promise<string> {
  let released = false;
  setHandler(releaseSignal, () => void (released = true));
  setHandler(codeVersionQuery, () => 'v2');
  await sleep('1 ms');
  await condition(() => released, '30 days');
  return 'finished on v2';
}
setWorkflowOptions({ versioningBehavior: 'PINNED' }, parkedJourney);

export async function shortTask(): Promise<string> {
  let released = false;
  setHandler(releaseSignal, () => void (released = true));
  setHandler(codeVersionQuery, () => 'v2');
  await condition(() => released, '1 hour');
  return patched('short-task-v2-result') ? 'finished on v2' : 'finished on v1';
}
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, shortTask);
