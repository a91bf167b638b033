import fs from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { quietRuntime, replayOptions } from '../support/temporal';

/**
 * The replay guard guards: a recorded journey history that replays cleanly against the product bundle is refused
 * (DeterminismViolationError) by a bundle whose journey issues one extra command. Recorded histories replaying against
 * the current code is test/workflow/replay.test.ts; the chaos run's own histories are replayed in workerCrash.test.ts.
 */
const dir = path.resolve(__dirname, '../histories');
const ids = JSON.parse(fs.readFileSync(path.join(dir, 'workflow-ids.json'), 'utf8')) as Record<string, string>;
const FILE = 'journey-happy.json';

describe('determinism guard', () => {
  beforeAll(() => quietRuntime());

  it('a deliberately non-deterministic journey fails replay of a recorded history the real code replays', async () => {
    const history = JSON.parse(fs.readFileSync(path.join(dir, FILE), 'utf8'));
    await expect(Worker.runReplayHistory(replayOptions(), history, ids[FILE])).resolves.toBeUndefined();

    const broken = await bundleWorkflowCode({ workflowsPath: require.resolve('./nondeterministic/workflows'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } });
    const err = await Worker.runReplayHistory(replayOptions(broken), history, ids[FILE]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeterminismViolationError);
  });
});
