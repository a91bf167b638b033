import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { ensureReconcileSchedule, RECONCILIATION_WORKFLOW_TYPE } from '../../src/client/schedules';
import { uniqueTaskQueue } from '../support/temporal';
import { waitUntil } from '../support/waitUntil';

/** The reconciliation schedule on the real dev server: idempotent create, update in place, delete. */
describe('ensureReconcileSchedule', () => {
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await connection.close();
  });

  it('creates once, updates on the second call, leaves exactly one schedule', async () => {
    const scheduleId = uniqueTaskQueue('rcm-reconcile-daily');
    const taskQueue = uniqueTaskQueue('recon');
    const handle = client.schedule.getHandle(scheduleId);
    try {
      const first = await ensureReconcileSchedule(client, { scheduleId, taskQueue, siteId: 'north', timeZone: 'America/Chicago', paused: true });
      expect(first).toEqual({ scheduleId, created: true });
      let d = await handle.describe();
      expect(d.action).toEqual(expect.objectContaining({ type: 'startWorkflow', workflowType: RECONCILIATION_WORKFLOW_TYPE, taskQueue, workflowId: 'reconcile/north' }));
      expect((d.action as { args: unknown[] }).args).toEqual([{ siteId: 'north', periodDays: 1 }]);
      expect(d.spec.calendars?.length ?? 0).toBeGreaterThan(0);
      expect(d.spec.timezone).toBe('America/Chicago');
      expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
      expect(d.state.paused).toBe(true);

      const second = await ensureReconcileSchedule(client, { scheduleId, taskQueue, siteId: 'north', interval: '12 hours', periodDays: 2, paused: true });
      expect(second).toEqual({ scheduleId, created: false });
      d = await handle.describe();
      expect((d.action as { args: unknown[] }).args).toEqual([{ siteId: 'north', periodDays: 2 }]);
      expect(d.spec.intervals).toEqual([expect.objectContaining({ every: 12 * 3600 * 1000 })]);

      await expect(ensureReconcileSchedule(client, { scheduleId, taskQueue, siteId: 'south' })).rejects.toThrow(
        `schedule "${scheduleId}" reconciles site "north", not "south"`,
      );

      // Visibility is eventually consistent: wait for the schedule to be listed.
      const ids: string[] = [];
      await waitUntil(async () => {
        ids.length = 0;
        for await (const s of client.schedule.list({ query: `ScheduleId = '${scheduleId}'` })) ids.push(s.scheduleId);
        return ids.length > 0;
      }, 'the schedule in visibility', 30_000, 250).catch(() => undefined); // the expectation below says what is missing
      expect(ids).toEqual([scheduleId]);
    } finally {
      await handle.delete();
    }
    await expect(handle.describe()).rejects.toThrow(/not found/i);
  });

  it('rejects ids that could leak into workflow ids', async () => {
    await expect(ensureReconcileSchedule(client, { taskQueue: 'q', siteId: 'Jane Doe' })).rejects.toThrow(/siteId/);
    await expect(ensureReconcileSchedule(client, { taskQueue: 'q', siteId: 'ok', periodDays: 0 })).rejects.toThrow(/periodDays/);
  });
});
