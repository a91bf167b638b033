/**
 * Odoo activities through a real Temporal worker while the emulator injects 20% faults (5xx, resets,
 * serialization conflicts, timeouts after commit): every workflow completes and Odoo holds no duplicates.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { OdooEmulator, startOdooEmulator } from '../../sim/odoo';
import { createOdooActivities, createOdooClient } from '../../src/activities/odoo';
import { quietRuntime, uniqueTaskQueue } from '../support/temporal';
import { odooBillingJourney } from './odoo-workflows';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  quietRuntime();
  // The project's globalSetup provides a dev server; fall back to starting one when run standalone.
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  env = address
    ? await TestWorkflowEnvironment.createFromExistingServer({ address })
    : await TestWorkflowEnvironment.createLocal({
        server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_CLI_PATH ?? '/tmp/tv/bin/temporal' } },
      });
});

afterAll(async () => {
  await env?.teardown();
});

const JOURNEYS = 6; // × 7 activities = 42 activity calls (~160 HTTP requests) per protocol

describe.each([
  ['json2', '19.0'],
  ['jsonrpc', '17.0'],
] as const)('Odoo activities in a worker over %s with 20%% injected faults', (protocol, version) => {
  let emu: OdooEmulator;

  beforeAll(async () => {
    emu = await startOdooEmulator({ version });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('all workflows complete and every business key exists exactly once', async () => {
    const client = createOdooClient({ url: emu.url, db: emu.db, login: 'admin', apiKey: 'admin-api-key', protocol: 'auto', timeoutMs: 800 });
    const taskQueue = uniqueTaskQueue(`odoo-faults-${protocol}`);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowsPath: require.resolve('./odoo-workflows'),
      activities: createOdooActivities(client),
      maxCachedWorkflows: 10,
    });
    emu.faults.set({ errorRate5xx: 0.05, resetRate: 0.05, conflictRate: 0.05, afterCommitTimeoutRate: 0.05, afterCommitMode: 'hang', hangMs: 5_000, seed: 2026 });
    const run = Date.now().toString(36);
    const inputs = Array.from({ length: JOURNEYS }, (_, i) => ({
      journeyId: `referral/site-1/${protocol}-${run}-${i}`,
      siteId: 'site-1',
      patientRef: `MRN-${protocol}-${run}-${i}`,
      claimId: `CLM-${protocol}-${run}-${i}`,
      paymentMemo: `TRN${run}${i}/CLM-${protocol}-${run}-${i}`,
    }));
    try {
      const results = await worker.runUntil(
        Promise.all(inputs.map((args) => env.client.workflow.execute(odooBillingJourney, { taskQueue, workflowId: `odoo-faults/${args.journeyId}`, args: [args] }))),
      );
      expect(results).toHaveLength(JOURNEYS);
      for (const r of results) expect(r.residualCents).toBe(3_000);
    } finally {
      emu.faults.clear();
      client.close();
    }

    // Faults really were injected (which request gets which depends on scheduling, so only the mix is
    // asserted here; the contract and activity tests cover each kind deterministically).
    const injected = emu.stats().faults;
    const kinds = Object.values(injected).filter((n) => n > 0).length;
    expect(Object.values(injected).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    expect(kinds).toBeGreaterThanOrEqual(3);

    const memoField = version === '17.0' ? 'ref' : 'memo';
    for (const i of inputs) {
      expect(emu.store.count('res.partner', [['ref', '=', i.patientRef]])).toBe(1);
      expect(emu.store.count('project.task', [['name', '=', `[${i.journeyId}] Intake`]])).toBe(1);
      expect(emu.store.count('account.move', [['move_type', '=', 'out_invoice'], ['ref', '=', i.claimId], ['state', '=', 'posted']])).toBe(1);
      expect(emu.store.count('account.payment', [[memoField, '=', i.paymentMemo]])).toBe(1);
      expect(emu.store.count('helpdesk.ticket', [['name', '=like', `[${i.journeyId}] %`]])).toBe(1);
      expect(emu.store.count('mail.message', [['body', 'like', `[rcm:${i.journeyId}:pay]`]])).toBe(1);
    }
    expect(emu.store.count('account.move', [['move_type', '=', 'out_invoice']])).toBe(JOURNEYS);
    expect(emu.store.count('account.payment')).toBe(JOURNEYS);
  });
});
