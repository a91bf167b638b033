// A deliberately non-deterministic variant of the journey (test/chaos/determinism.test.ts): one extra timer before
// the real code, i.e. a command the recorded histories never saw. The replayer must refuse it.
import { sleep } from '@temporalio/workflow';
import { referralJourney as realJourney } from '../../../src/workflows/referralJourney';

export { smokeCheck, priorAuth, claimLifecycle, patientBalance, reconciliation } from '../../../src/workflows';

export async function referralJourney(...args: Parameters<typeof realJourney>): ReturnType<typeof realJourney> {
  await sleep('1 second');
  return realJourney(...args);
}
