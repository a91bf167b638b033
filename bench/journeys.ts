import { performance } from 'node:perf_hooks';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { journeyWorkflowId, type Referral } from '../src/domain';
import * as msg from '../src/workflows/messages';
import type { JourneyStatus } from '../src/workflows/journeyState';
import type { PayerEmulator } from '../sim';
import { waitFor } from './stats';

/**
 * Driving happy-path journeys the way the clinic system, the billers and the payer would (signals, updates, the
 * payer emulator's control API). Every wait polls the journey's `status` query; nothing sleeps blindly.
 */
export type JourneyHandle = WorkflowHandle;

const CHARGE_CENTS = 120_000;
const CPT = '72148'; // MRI lumbar: prior auth required, so the happy path starts all three children
let counter = 0;

/** An opaque, PHI-free referral: the demo's canonical happy path (Medicare Advantage, PA approved at once). */
export function benchReferral(tag: string): Referral {
  counter++;
  return {
    siteId: 'site-a',
    referralId: `B${tag}${Date.now().toString(36)}${counter}`,
    patientRef: `MA-P${100_000 + counter}`,
    payerId: 'PAYER1',
    planType: 'medicare_advantage',
    urgency: 'standard',
    receivedAt: new Date().toISOString(),
    orderedServices: [{ cpt: CPT, icd10: ['M54.50'], units: 1, chargeCents: CHARGE_CENTS }],
    documents: [{ documentId: 'DOC-1', kind: 'referral_order', received: true }],
    requiredDocuments: ['referral_order'],
    preparerId: 'intake-1',
  };
}

export function startJourney(client: Client, taskQueue: string, referral: Referral): Promise<JourneyHandle> {
  return client.workflow.start('referralJourney', {
    taskQueue,
    workflowId: journeyWorkflowId(referral.siteId, referral.referralId),
    args: [{ siteId: referral.siteId, referralId: referral.referralId, referral }],
  });
}

export function waitForStatus(handle: JourneyHandle, ok: (s: JourneyStatus) => boolean, what: string, timeoutMs = 300_000): Promise<JourneyStatus> {
  return waitFor(
    `journey ${handle.workflowId}: ${what}`,
    async () => {
      const s = await handle.query(msg.status);
      return ok(s) ? s : undefined;
    },
    timeoutMs,
    200,
  );
}

const iso = () => new Date().toISOString();

/** Book, serve, confirm a coding review if the AI asked for one: until the billing release waits for a human. */
export async function driveToRelease(handle: JourneyHandle): Promise<void> {
  await waitForStatus(handle, (s) => s.stage === 'scheduling', 'scheduling');
  await handle.signal(msg.appointmentScheduled, { messageId: 'appt-1', appointmentId: 'A-1', at: iso() });
  await waitForStatus(handle, (s) => s.stage === 'service', 'service');
  await handle.signal(msg.serviceCompleted, {
    messageId: 'enc-1',
    encounterId: 'E-1',
    serviceDate: iso().slice(0, 10),
    services: [{ code: CPT, modifiers: [], icd10: ['M54.50'], units: 1, chargeCents: CHARGE_CENTS }],
    notesRef: 'NOTE-1',
  });
  const s = await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'billing_release' || x.awaiting === 'coding review', 'coding done or review');
  if (s.pendingApproval?.kind !== 'billing_release') {
    await handle.executeUpdate(msg.completeCodingReview, { args: [{ actorId: 'coder-1', role: 'coder', outcome: 'confirmed', reason: 'level supported' }] });
    await waitForStatus(handle, (x) => x.pendingApproval?.kind === 'billing_release', 'billing release pending');
  }
}

/** The approval update (billing release by someone other than the preparer); returns its round trip in ms. */
export async function approveRelease(handle: JourneyHandle): Promise<number> {
  const t0 = performance.now();
  const receipt = await handle.executeUpdate(msg.approve, { args: [{ actorId: 'biller-2', role: 'billing_specialist', reason: 'release' }] });
  const ms = performance.now() - t0;
  if (!receipt.accepted) throw new Error(`journey ${handle.workflowId}: release refused`);
  return ms;
}

/** After the release: the claim child has submitted the claim and the payer emulator holds it. */
export async function claimAtPayer(handle: JourneyHandle, payer: PayerEmulator): Promise<string> {
  const s = await waitForStatus(handle, (x) => x.stage === 'payer_adjudication' && x.claimIds.length > 0, 'payer adjudication');
  const claimId = s.claimIds[s.claimIds.length - 1];
  await waitFor(`claim ${claimId} at the payer`, async () => payer.control.claimStatus(claimId) !== undefined, 120_000, 100);
  return claimId;
}

/** The claim child posted the payer's remittance (it then settles after its quiet period). */
export async function remittancePosted(handle: JourneyHandle): Promise<void> {
  await waitFor(`journey ${handle.workflowId}: remittance posted`, async () => (await handle.query(msg.timeline)).some((t) => t.action.startsWith('remittance posted')), 300_000, 200);
}

/** Settled: the claim child is done and the journey waits for the patient's share; returns what is owed. */
export async function patientBalanceDue(handle: JourneyHandle): Promise<number> {
  const s = await waitForStatus(handle, (x) => x.stage === 'patient_balance' || x.outcome !== undefined, 'patient balance');
  return s.outcome === undefined ? s.balanceCents : 0;
}

export async function payPatient(handle: JourneyHandle, amountCents: number): Promise<void> {
  if (amountCents > 0) await handle.signal(msg.patientPayment, { messageId: 'pay-1', amountCents, method: 'card', at: iso() });
}

/** The journey's result; on the time-skipping server this lets time skip, so call it only once nothing waits for a person. */
export async function closedPaid(handle: JourneyHandle): Promise<void> {
  // Seen closed by query first (no skipping): a journey that never closes fails here with its status, not by
  // a result() that skipped years ahead into a timeout.
  await waitForStatus(handle, (x) => x.outcome !== undefined, 'closed', 120_000);
  const outcome = await handle.result();
  if (outcome.state !== 'paid') throw new Error(`journey ${handle.workflowId} closed ${outcome.state}, not paid`);
}
