import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { quietRuntime, replayOptions } from '../support/temporal';

/**
 * A reconciliation run recorded from a real server with the code before PATCH_RECONCILIATION_ACTIVITY_PARSING
 * (835 fetched whole and parsed in the workflow). Reconciliation auto-upgrades, so a run in flight during the deploy
 * replays on the new build: it must take the old path instead of failing its workflow task on nondeterminism.
 */
describe('reconciliation: a run recorded before the activity-parsing change replays on today\'s code', () => {
  beforeAll(() => quietRuntime());

  it('replays without nondeterminism', async () => {
    const history = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/reconciliation-legacy.history.json'), 'utf8'));
    const kinds = (history.events as { eventType: string; activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } }[])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter(Boolean);
    expect(kinds).toEqual(expect.arrayContaining(['listRemittances', 'fetchRemittance', 'findInvoices', 'findPayments', 'openTicket']));
    await expect(Worker.runReplayHistory(replayOptions(), history, 'reconcile/site-a-2026-12-03T06:00:00Z')).resolves.toBeUndefined();
  });
});
