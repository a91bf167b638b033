import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { memoryKpiSink } from '../../src/activities/notify';
import { loadConfig } from '../../src/config';
import { journeyWorkflowId, remittanceMessagesFrom835, type Referral } from '../../src/domain';
import { parse835 } from '../../src/domain/x12';
import { buildActivities } from '../../src/workers/buildActivities';
import { kpiWorkflowSinks } from '../../src/workers/kpiMetrics';
import { appointmentScheduled, approve, completeCodingReview, remittance, serviceCompleted, status, timeline } from '../../src/workflows/messages';
import type { JourneyInput, JourneyStatus } from '../../src/workflows/journeyState';
import { referralJourney } from '../../src/workflows/referralJourney';
import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import { devServerEnv, testWorkerLimits, timeSkippingEnv, workflowBundle } from './temporal';
import { emulatorEnv } from './emulatorEnv';

/**
 * Everything a journey test needs, all real: a Temporal server (time-skipping or the shared dev server), the Odoo
 * and payer emulators over HTTP, and a worker running the product's workflow bundle with the production activity
 * composition (buildActivities) pointed at the emulators.
 */
export interface JourneyHarness {
  env: TestWorkflowEnvironment;
  client: Client;
  odoo: OdooEmulator;
  payer: PayerEmulator;
  kpi: ReturnType<typeof memoryKpiSink>;
  /** the production activity composition pointed at the emulators */
  activities: ReturnType<typeof buildActivities>;
  taskQueue: string;
  /** run `fn` while a worker polls a fresh task queue (or the current one with `sameQueue`, e.g. after a restart) */
  withWorker<T>(fn: () => Promise<T>, opts?: { sameQueue?: boolean }): Promise<T>;
  newWorker(): Promise<Worker>;
  start(referral: Referral, options?: JourneyInput['options']): Promise<WorkflowHandle<typeof referralJourney>>;
  /** resolves once the payer emulator has accepted the claim (the claim child submits it asynchronously) */
  claimAtPayer(claimId: string): Promise<void>;
  /** fetch the payer's newest 835s, adapt them and signal each claim payment to its journey */
  deliverRemittances(handle: WorkflowHandle, fileIds?: string[]): Promise<number>;
  close(): Promise<void>;
}

export async function startJourneyHarness(mode: 'time-skipping' | 'dev-server'): Promise<JourneyHarness> {
  const [env, odoo, payer] = await Promise.all([
    mode === 'time-skipping' ? timeSkippingEnv() : devServerEnv(),
    startOdooEmulator({ version: '17.0' }),
    startPayerEmulator({ seed: 7 }),
  ]);
  const config = loadConfig(emulatorEnv(odoo, payer), {});
  const kpi = memoryKpiSink();
  const activities = buildActivities(config, { kpi, log: () => undefined });
  let taskQueue = `journey-${randomUUID().slice(0, 8)}`;
  const newWorker = () =>
    Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: workflowBundle(), activities, sinks: kpiWorkflowSinks(kpi), ...testWorkerLimits });
  return {
    env,
    client: env.client,
    odoo,
    payer,
    kpi,
    activities,
    get taskQueue() {
      return taskQueue;
    },
    newWorker,
    async withWorker(fn, opts) {
      // A fresh queue per test: a worker left behind by a failed test never collides with the next one.
      if (!opts?.sameQueue) taskQueue = `journey-${randomUUID().slice(0, 8)}`;
      const worker = await newWorker();
      return worker.runUntil(fn);
    },
    async start(referral, options) {
      return env.client.workflow.start(referralJourney, {
        taskQueue,
        workflowId: journeyWorkflowId(referral.siteId, referral.referralId),
        args: [{ siteId: referral.siteId, referralId: referral.referralId, referral, ...(options ? { options } : {}) }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    },
    async claimAtPayer(claimId) {
      const deadline = Date.now() + 30_000;
      while (!payer.control.claimStatus(claimId)) {
        if (Date.now() > deadline) throw new Error(`claim ${claimId} never reached the payer`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async deliverRemittances(handle, fileIds) {
      const files = fileIds ?? (await listFiles(payer.url));
      let delivered = 0;
      for (const fileId of files) {
        const content = await (await fetch(`${payer.url}/remittances/${fileId}`)).text();
        for (const { message } of remittanceMessagesFrom835(parse835(content)).messages) {
          await handle.signal(remittance, message);
          delivered++;
        }
      }
      return delivered;
    },
    async close() {
      await Promise.allSettled([odoo.close(), payer.close()]);
      await env.teardown(); // for the shared dev server this only closes our connections
    },
  };
}

async function listFiles(payerUrl: string): Promise<string[]> {
  const res = await fetch(`${payerUrl}/remittances?since=1970-01-01T00:00:00Z`);
  const body = (await res.json()) as { fileId: string }[] | { files: { fileId: string }[] };
  return (Array.isArray(body) ? body : body.files).map((f) => f.fileId);
}

let counter = 0;
/** A referral with PHI-free opaque ids; defaults: Medicare Advantage, standard, MRI (auth required), docs complete. */
export function sampleReferral(overrides: Partial<Referral> = {}): Referral {
  counter++;
  return {
    siteId: 'site-a',
    referralId: `R${Date.now().toString(36)}${counter}`,
    patientRef: `MA-P${1000 + counter}`,
    payerId: 'PAYER1',
    planType: 'medicare_advantage',
    urgency: 'standard',
    receivedAt: new Date().toISOString(),
    orderedServices: [{ cpt: '72148', icd10: ['M54.50'], units: 1, chargeCents: 120_000 }],
    documents: [{ documentId: 'DOC-1', kind: 'referral_order', received: true }],
    requiredDocuments: ['referral_order'],
    preparerId: 'intake-1',
    ...overrides,
  };
}

type StatusHandle = { query: (q: typeof status) => Promise<JourneyStatus> };

/** Poll the status query until `ok` holds (queries do not advance time on the time-skipping server). */
export async function waitForStatus(handle: StatusHandle, ok: (s: JourneyStatus) => boolean, what: string, timeoutMs = 30_000): Promise<JourneyStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: JourneyStatus | undefined;
  while (Date.now() < deadline) {
    last = await handle.query(status);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`journey never reached: ${what} (stage ${last?.stage}, awaiting ${last?.awaiting}; exceptions: ${last?.openExceptions.map((e) => `${e.queue}: ${e.reason}`).join('; ')})`);
}

export function waitForStage(handle: StatusHandle, stage: string, timeoutMs?: number): Promise<JourneyStatus> {
  return waitForStatus(handle, (s) => s.stage === stage, `stage ${stage}`, timeoutMs);
}

const iso = () => new Date().toISOString();

/** Wait until the claim child has posted `count` remittances, then skip past its settlement quiet period. */
export async function settleAfterPosting(h: JourneyHarness, handle: { query: WorkflowHandle['query'] }, count = 1): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await handle.query(timeline)).filter((t) => t.action.startsWith('remittance posted')).length < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} remittances posted`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await h.env.sleep('15 minutes');
}

/** The external facts that take a journey from scheduling to billing approval. */
export async function bookAndServe(handle: StatusHandle & { signal: WorkflowHandle['signal']; executeUpdate: WorkflowHandle['executeUpdate'] }, chargeCents = 120_000, code = '72148'): Promise<void> {
  await waitForStage(handle, 'scheduling');
  await handle.signal(appointmentScheduled, { messageId: `appt-${code}`, appointmentId: 'A-1', at: iso() });
  await waitForStage(handle, 'service');
  await handle.signal(serviceCompleted, {
    messageId: `enc-${code}`,
    encounterId: 'E-1',
    serviceDate: iso().slice(0, 10),
    services: [{ code, modifiers: [], icd10: ['M54.50'], units: 1, chargeCents }],
    notesRef: 'NOTE-1',
  });
  // Low AI confidence sends the claim to a human coder first.
  const s = await waitForStatus(handle, (x) => x.stage === 'billing_approval' || x.awaiting === 'coding review', 'coding done or review');
  if (s.stage === 'coding') {
    await handle.executeUpdate(completeCodingReview, { args: [{ actorId: 'coder-1', role: 'coder', outcome: 'confirmed', reason: 'level supported' }] });
    await waitForStage(handle, 'billing_approval');
  }
}

/** Release the claim (by someone other than the preparer) and wait until the payer has it. */
export async function releaseClaim(handle: StatusHandle & { executeUpdate: WorkflowHandle['executeUpdate'] }): Promise<string> {
  // The claim is drafted in Odoo first; the release becomes decidable once the approval is pending.
  await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');
  await handle.executeUpdate(approve, { args: [{ actorId: 'biller-2', role: 'billing_specialist', reason: 'release' }] });
  const s = await waitForStage(handle, 'payer_adjudication');
  return s.claimIds[s.claimIds.length - 1];
}
