import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { kpiReport, type KpiReport } from '../../src/client/kpis';
import { BalanceCents, ExceptionQueue, SiteId, SlaState, Stage } from '../../src/workflows/searchAttributes';
import { uniqueTaskQueue } from '../support/temporal';
import { waitUntil } from '../support/waitUntil';

/**
 * kpiReport over real visibility: journeys of type `referralJourney` are started on a queue no worker polls, so they
 * stay open with exactly the search attributes given at start (the report reads search attributes only).
 */
describe('kpiReport (visibility)', () => {
  let connection: Connection;
  let client: Client;
  const handles: WorkflowHandle[] = [];
  const site = `kpi-${randomUUID().slice(0, 8)}`;
  const otherSite = `${site}-b`;
  const taskQueue = uniqueTaskQueue('kpi-unpolled');
  const DAY = 86_400_000;

  async function journey(siteId: string, attrs: { stage: string; sla?: string; queues?: string[]; balance?: number }) {
    const pairs: SearchAttributePair[] = [
      { key: SiteId, value: siteId },
      { key: Stage, value: attrs.stage },
      { key: SlaState, value: attrs.sla ?? 'on_track' },
      { key: BalanceCents, value: attrs.balance ?? 0 },
      ...(attrs.queues ? [{ key: ExceptionQueue, value: attrs.queues }] : []),
    ];
    const h = await client.workflow.start('referralJourney', {
      taskQueue,
      workflowId: `referral/${siteId}/R-${randomUUID().slice(0, 8)}`,
      args: [],
      typedSearchAttributes: new TypedSearchAttributes(pairs),
    });
    handles.push(h);
    return h;
  }

  const row = (r: KpiReport, kpi: string) => r.rows.find((x) => x.kpi === kpi);

  beforeAll(async () => {
    connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
    client = new Client({ connection });
    await journey(site, { stage: 'intake', balance: 0 });
    await journey(site, { stage: 'prior_auth', sla: 'breached', queues: ['auth_followup'] });
    await journey(site, { stage: 'payer_adjudication', sla: 'breached', queues: ['denials', 'auth_followup'], balance: 15_000 });
    await journey(site, { stage: 'patient_balance', balance: 4_250 });
    const closed = await journey(site, { stage: 'paid' });
    await closed.terminate('test: closed journey');
    await journey(otherSite, { stage: 'coding', sla: 'breached', balance: 99 });
  });

  afterAll(async () => {
    await Promise.all(handles.map((h) => h.terminate('test cleanup').catch(() => undefined)));
    await connection.close();
  });

  it('counts by stage, SLA breaches by site, exception queues, open balance and aging', async () => {
    const now = new Date(Date.now() + 10 * DAY);
    let report: KpiReport | undefined;
    // visibility is eventually consistent: wait until all five of this site's journeys are indexed
    await waitUntil(async () => {
      report = await kpiReport(client, { siteId: site, now });
      return row(report, 'journeys.open')?.value === 4 && row(report, 'journeys.closed.paid')?.value === 1 && row(report, 'balance.open_cents')?.value === 19_250;
    }, "this site's five journeys in visibility", 30_000, 250).catch(() => undefined); // the expectations below say what is missing
    const r = report!;
    expect(r.query).toBe(`WorkflowType = 'referralJourney' AND SiteId = '${site}'`);
    expect(row(r, 'journeys.open')).toEqual({ kpi: 'journeys.open', value: 4, unit: 'journeys', note: 'running referral journeys' });
    expect(row(r, 'journeys.open.stage.intake')?.value).toBe(1);
    expect(row(r, 'journeys.open.stage.prior_auth')?.value).toBe(1);
    expect(row(r, 'journeys.open.stage.payer_adjudication')?.value).toBe(1);
    expect(row(r, 'journeys.open.stage.patient_balance')?.value).toBe(1);
    expect(row(r, 'journeys.open.stage.coding')?.value).toBe(0);
    expect(row(r, 'journeys.closed.paid')?.value).toBe(1);
    expect(row(r, 'sla.breached')?.value).toBe(2);
    expect(row(r, 'sla.breach_rate')?.value).toBe(0.5);
    expect(row(r, `sla.breached.site.${site}`)?.value).toBe(2);
    expect(row(r, 'exceptions.open.queue.auth_followup')?.value).toBe(2);
    expect(row(r, 'exceptions.open.queue.denials')?.value).toBe(1);
    expect(row(r, 'balance.open_cents')).toEqual(expect.objectContaining({ value: 19_250, unit: 'cents' }));
    // started moments ago, "now" is ten days later
    expect(row(r, 'referral_aging.avg_days')?.value).toBeCloseTo(10, 0);
    expect(row(r, 'referral_aging.max_days')?.value).toBeCloseTo(10, 0);
    expect(row(r, 'referral_aging.p90_days')?.unit).toBe('days');
  });

  it('without a site filter breaks breaches down per site, and notes a truncated scan', async () => {
    let r: KpiReport | undefined;
    await waitUntil(async () => {
      r = await kpiReport(client, { maxScan: 100_000 });
      return row(r, `sla.breached.site.${otherSite}`)?.value === 1 && row(r, `sla.breached.site.${site}`)?.value === 2;
    }, 'both sites in visibility', 30_000, 250).catch(() => undefined); // the expectations below say what is missing
    expect(row(r!, `sla.breached.site.${site}`)?.value).toBe(2);
    expect(row(r!, `sla.breached.site.${otherSite}`)?.value).toBe(1);

    const truncated = await kpiReport(client, { siteId: site, maxScan: 1 });
    expect(row(truncated, 'balance.open_cents')?.note).toMatch(/first 1 of 4 open journeys/);
    await expect(kpiReport(client, { siteId: "x' OR 1=1" })).rejects.toThrow(/siteId/);
  });
});
