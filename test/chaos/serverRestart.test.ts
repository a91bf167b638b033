import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startDevServer, type DevServer } from '../../scripts/temporal/devServer';
import { EncryptionCodec, dataConverter, generateCodecKey } from '../../src/client/codec';
import { journeyWorkflowId, type Referral } from '../../src/domain';
import { bundleJourneyWorkflows } from '../../src/workers/createWorker';
import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import { quietRuntime } from '../support/temporal';
import { PATHS, drivePath, patientRefOf, retrying, type Driven, type PathContext } from './support/paths';
import { payloadCensus, rawHistoryBytes } from './support/rawHistory';
import { addToSummary } from './support/summary';
import { driveAll, verifyJourneys } from './support/verify';
import { workerFleet, type WorkerFleet } from './support/workers';
import { emulatorEnv } from '../support/emulatorEnv';

/**
 * Server restart, codec on: this suite runs its OWN dev server (a file database), worker processes with a codec key
 * (every payload AES-GCM sealed), and journeys of mixed paths. Once journeys are in flight — activities running
 * (Odoo answers slowly) and timers pending (SLA clocks) — the server is stopped with SIGTERM and started again on the
 * same database file and port. Every journey still reaches its expected state, the Odoo ledger invariant holds, and
 * the raw histories (no codec) hold no synthetic patient id in plaintext and no unsealed payload.
 * Size: RCM_CHAOS_RESTART_JOURNEYS (default 10), RCM_CHAOS_RESTARTS (default 1).
 */
const JOURNEYS = Number(process.env.RCM_CHAOS_RESTART_JOURNEYS ?? 10);
const RESTARTS = Number(process.env.RCM_CHAOS_RESTARTS ?? 1);
const CONCURRENCY = Number(process.env.RCM_CHAOS_CONCURRENCY ?? 15);

describe('chaos: dev server restart mid-run (SIGTERM, same database), codec on', () => {
  let server: DevServer;
  let connection: Connection;
  let client: Client;
  let odoo: OdooEmulator;
  let payer: PayerEmulator;
  let fleet: WorkerFleet;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-chaos-restart-'));
  const taskQueue = `chaos-restart-${randomUUID().slice(0, 8)}`;
  const run = randomUUID().slice(0, 6).toUpperCase();
  const codecKeys = `chaos-key:${generateCodecKey()}`;

  beforeAll(async () => {
    quietRuntime();
    let bundle: { code: string };
    [server, odoo, payer, bundle] = await Promise.all([
      startDevServer({ dbFile: path.join(dir, 'temporal.db') }),
      startOdooEmulator({ version: '17.0' }),
      startPayerEmulator({ seed: 11 }),
      // The codec moves failure messages into encoded attributes: the workflow bundle must carry that converter.
      bundleJourneyWorkflows({ encodeFailures: true }),
    ]);
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);
    const [id, key] = codecKeys.split(':');
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection, dataConverter: dataConverter({ codec: { keys: [{ id, key: Buffer.from(key, 'base64') }], activeKeyId: id } }) });
    fleet = workerFleet({
      TEMPORAL_ADDRESS: server.address,
      RCM_TASK_QUEUE: taskQueue,
      RCM_WORKFLOW_BUNDLE: bundlePath,
      RCM_CODEC_KEYS: codecKeys,
      ...emulatorEnv(odoo, payer),
    });
    await fleet.start();
  });

  afterAll(async () => {
    await fleet?.stop();
    await connection?.close();
    await Promise.allSettled([odoo?.close(), payer?.close()]);
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Journeys with an activity running and with a timer started but not fired, among those started so far. */
  async function inFlight(ids: string[]): Promise<{ activities: number; timers: number }> {
    let activities = 0;
    let timers = 0;
    for (const id of ids) {
      const d = await client.workflow.getHandle(id).describe().catch(() => undefined);
      if (!d || d.status.name !== 'RUNNING') continue;
      if ((d.raw.pendingActivities ?? []).length > 0) activities++;
      const { events } = await rawHistoryBytes(client, id);
      const T = temporal.api.enums.v1.EventType;
      const started = events.filter((e) => e.eventType === T.EVENT_TYPE_TIMER_STARTED).length;
      const ended = events.filter((e) => e.eventType === T.EVENT_TYPE_TIMER_FIRED || e.eventType === T.EVENT_TYPE_TIMER_CANCELED).length;
      if (started > ended) timers++;
    }
    return { activities, timers };
  }

  it(`${JOURNEYS} journeys go on across ${RESTARTS} server restart(s): expected states, ledger invariant, sealed payloads, no PHI`, async () => {
    // Slow Odoo calls keep activities in flight when the server goes down.
    odoo.faults.set({ seed: 3, latencyMs: 400 });
    const ctx: PathContext = {
      client,
      taskQueue,
      payer,
      timeoutMs: 300_000,
      startJourney: (referral: Referral) =>
        retrying(() =>
          client.workflow.start('referralJourney', {
            taskQueue,
            workflowId: journeyWorkflowId(referral.siteId, referral.referralId),
            args: [{ siteId: referral.siteId, referralId: referral.referralId, referral }],
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        ),
    };
    const referralIds = Array.from({ length: JOURNEYS }, (_, i) => `CH${run}R${i}`);
    const started: string[] = [];
    let driving = true;
    let restarts = 0;
    const atRestart: { activities: number; timers: number }[] = [];

    const restarter = (async () => {
      const address = server.address;
      const port = Number(address.split(':').pop());
      while (driving && restarts < RESTARTS) {
        // Wait (bounded) until journeys are in flight: an activity running and a timer pending somewhere.
        const deadline = Date.now() + 120_000;
        let seen = { activities: 0, timers: 0 };
        while (driving && Date.now() < deadline) {
          if (started.length >= Math.min(JOURNEYS, Math.ceil(JOURNEYS / 2) * (restarts + 1))) {
            seen = await inFlight([...started]);
            if (seen.activities > 0 && seen.timers > 0) break;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
        if (!driving) break;
        atRestart.push(seen);
        const dbFile = server.dbFile;
        await server.stop(); // SIGTERM (SIGKILL only if it has not exited after 10 s)
        server = await startDevServer({ dbFile, port });
        restarts++;
        expect(server.address).toBe(address);
        if (process.env.RCM_CHAOS_DEBUG) process.stderr.write(`${new Date().toISOString()} server restarted (${JSON.stringify(seen)} in flight)\n`);
      }
    })();

    const results = await driveAll(referralIds, CONCURRENCY, async (id, i) => {
      const path = PATHS[i % PATHS.length];
      const p = drivePath({ ...ctx, startJourney: async (r) => { const h = await ctx.startJourney(r); started.push(h.workflowId); return h; } }, path, id);
      return p as Promise<Driven>;
    });
    driving = false;
    await restarter;
    odoo.faults.clear();

    const verdict = await verifyJourneys(ctx, odoo, results);

    // PHI with the codec on: raw history bytes never hold a patient id, every payload is sealed; decoding through the
    // codec client does show the id (so the scan looks in the right place).
    let phiHits = 0;
    const unsealed: string[] = [];
    let sealed = 0;
    for (const { id, result } of results) {
      if (result instanceof Error) continue;
      const { bytes, events } = await rawHistoryBytes(client, result.journeyId);
      if (bytes.includes(Buffer.from(patientRefOf(id)))) phiHits++;
      const census = payloadCensus(events);
      sealed += census.encrypted;
      unsealed.push(...census.plain.map((p) => `${result.journeyId}: ${p}`));
    }
    const firstOk = results.find((r) => !(r.result instanceof Error));
    let decoded = '';
    if (firstOk) {
      const [keyId, key] = codecKeys.split(':');
      const { events } = await rawHistoryBytes(client, (firstOk.result as Driven).journeyId);
      const input = events[0].workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
      const plain = await new EncryptionCodec({ keys: [{ id: keyId, key: Buffer.from(key, 'base64') }], activeKeyId: keyId }).decode(input.map((p) => ({ metadata: p.metadata ?? {}, data: p.data ?? undefined })));
      decoded = plain.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('');
    }

    addToSummary({ 'journeys run': JOURNEYS, restarts, 'lost journeys': verdict.lost.length, duplicates: verdict.duplicates, 'ledger mismatches': verdict.mismatches.length, 'PHI hits with codec': phiHits });
    expect(restarts).toBe(RESTARTS);
    expect(atRestart.every((s) => s.activities > 0 && s.timers > 0)).toBe(true);
    expect(verdict.lost).toEqual([]);
    expect(verdict.mismatches).toEqual([]);
    expect(verdict.duplicates).toBe(0);
    expect(phiHits).toBe(0);
    expect(unsealed).toEqual([]);
    expect(sealed).toBeGreaterThan(0);
    expect(decoded).toContain(patientRefOf(firstOk!.id));
  }, 1_800_000);
});
