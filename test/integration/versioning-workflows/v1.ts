/**
 * Version 1 of the versioning test's workflows (test-only; bundled on its own, never part of the product bundle).
 * `parkedJourney` stands for a long journey: it parks on a 30-day timer until `release`. `shortTask` stands for
 * a short workflow that may move to a newer version (auto-upgrade).
 */
import { condition, defineQuery, defineSignal, setHandler, setWorkflowOptions } from '@temporalio/workflow';

export const releaseSignal = defineSignal('release');
export const codeVersionQuery = defineQuery<string>('codeVersion');

export async function parkedJourney(): Promise<string> {
  let released = false;
  setHandler(releaseSignal, () => void (released = true));
  setHandler(codeVersionQuery, () => 'v1');
  await condition(() => released, '30 days');
  return 'finished on v1';
}
setWorkflowOptions({ versioningBehavior: 'PINNED' }, parkedJourney);

export async function shortTask(): Promise<string> {
  let released = false;
  setHandler(releaseSignal, () => void (released = true));
  setHandler(codeVersionQuery, () => 'v1');
  await condition(() => released, '1 hour');
  return 'finished on v1';
}
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, shortTask);
