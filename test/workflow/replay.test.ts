import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { quietRuntime, replayOptions } from '../support/temporal';

/**
 * Every history recorded from a real server into test/histories must replay against today's
 * workflow code: a failure here means a change broke determinism and needs `patched()`.
 */
const dir = path.resolve(__dirname, '../histories');
const ids = JSON.parse(fs.readFileSync(path.join(dir, 'workflow-ids.json'), 'utf8')) as Record<string, string>;
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json').sort();

describe('recorded histories replay against current workflow code', () => {
  beforeAll(() => quietRuntime());

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    // The recorded workflow id: workflows derive child ids from their own id, so replay must use the real one.
    const workflowId = ids[file];
    expect(workflowId).toBeDefined();
    await expect(Worker.runReplayHistory(replayOptions(), history, workflowId)).resolves.toBeUndefined();
  });
});
