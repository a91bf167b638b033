import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { remittanceMessagesFrom835, type Referral } from '../../../src/domain';
import { parse835 } from '../../../src/domain/x12';
import * as msg from '../../../src/workflows/messages';
import type { JourneyStatus } from '../../../src/workflows/journeyState';
import type { PayerEmulator } from '../../../sim/payer';
import { payAllowed } from '../../support/drive';

/**
 * Journey paths the chaos suite drives while workers are killed under it. Every call tolerates a dead worker:
 * queries are bounded and retried, updates are re-sent until their effect is visible (a refusal because it already
 * happened counts as done), signals are durable at the server. Each path ends in a state it then re-checks.
 */
export type PathName = 'cancel_early' | 'hold_resume' | 'approval_wait' | 'paid' | 'cancel_after_release';
export const PATHS: PathName[] = ['paid', 'cancel_early', 'hold_resume', 'approval_wait', 'cancel_after_release'];

export interface Driven {
  journeyId: string;
  path: PathName;
  /** what the journey must show at the end (checked again after the run) */
  expect(s: JourneyStatus, closedAs?: string): string | undefined;
}

export interface PathContext {
  client: Client;
  taskQueue: string;
  payer: PayerEmulator;
  /** deadline for one path (a killed worker stalls an activity for its start-to-close timeout) */
  timeoutMs: number;
  startJourney(referral: Referral): Promise<WorkflowHandle>;
  /**
   * Awaited before each path's last external step: a chaos run holds its journeys here until its faults (e.g. the
   * worker kills) have all happened, so every fault lands while journeys are still in flight.
   */
  beforeLastStep?: () => Promise<void>;
}

const ops = { actorId: 'ops-1', role: 'billing_supervisor' as const };
const iso = () => new Date().toISOString();

export async function statusOf(ctx: PathContext, handle: WorkflowHandle): Promise<JourneyStatus | undefined> {
  try {
    return await ctx.client.connection.withDeadline(Date.now() + 5000, () => handle.query(msg.status));
  } catch {
    return undefined;
  }
}

export async function until(ctx: PathContext, handle: WorkflowHandle, ok: (s: JourneyStatus) => boolean, what: string, timeoutMs = ctx.timeoutMs): Promise<JourneyStatus> {
  const deadline = Date.now() + timeoutMs;
  const t0 = Date.now();
  let last: JourneyStatus | undefined;
  while (Date.now() < deadline) {
    const s = await statusOf(ctx, handle);
    if (s) last = s;
    if (s && ok(s)) {
      if (process.env.RCM_CHAOS_DEBUG) process.stderr.write(`${new Date().toISOString()} ${handle.workflowId}: ${what} after ${Date.now() - t0} ms\n`);
      return s;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (process.env.RCM_CHAOS_DEBUG) process.stderr.write(`${handle.workflowId}: gave up waiting for ${what}\n`);
  throw new Error(`${handle.workflowId}: never reached ${what} (stage ${last?.stage}, awaiting ${last?.awaiting}, onHold ${last?.onHold})`);
}

/** Send an update until `done` holds; a refusal (e.g. "already decided" after a lost receipt) is not an error. */
async function ensureUpdate(ctx: PathContext, handle: WorkflowHandle, update: (typeof msg)['hold'], input: unknown, done: (s: JourneyStatus) => boolean, what: string): Promise<JourneyStatus> {
  const deadline = Date.now() + ctx.timeoutMs;
  for (;;) {
    const s = await statusOf(ctx, handle);
    if (s && done(s)) return s;
    if (Date.now() > deadline) throw new Error(`${handle.workflowId}: ${what} never took effect (stage ${s?.stage})`);
    try {
      await ctx.client.connection.withDeadline(Date.now() + 15_000, () => handle.executeUpdate(update, { args: [input as never] }));
    } catch (err) {
      if (!(err instanceof WorkflowUpdateFailedError)) await new Promise((r) => setTimeout(r, 500));
    }
    // A worker killed mid-update loses the unaccepted update: look for its effect a while, then send it again.
    await until(ctx, handle, (x) => done(x), what, 20_000).catch(() => undefined);
  }
}

/**
 * Retry a client call through a dead worker or a restarting server (the client's own gRPC retries give up after
 * seconds; a dev server restart on a busy machine takes longer) until it succeeds or `ms` pass.
 */
export async function retrying<T>(fn: () => Promise<T>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function signal<T>(handle: WorkflowHandle, def: import('@temporalio/workflow').SignalDefinition<[T]>, arg: T): Promise<void> {
  return retrying(() => handle.signal(def, arg));
}

/** The synthetic patient of a chaos referral: distinctive, so the PHI scan can look for it anywhere. */
export const patientRefOf = (referralId: string) => `CHAOSPT${referralId}`;

function referralFor(id: string, chargeCents: number): Referral {
  return {
    siteId: 'site-a',
    referralId: id,
    patientRef: patientRefOf(id),
    payerId: 'PAYER1',
    planType: 'medicare_advantage',
    urgency: 'standard',
    receivedAt: iso(),
    orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents }],
    documents: [{ documentId: 'DOC-1', kind: 'referral_order', received: true }],
    requiredDocuments: ['referral_order'],
    preparerId: 'intake-1',
  };
}

async function toBillingRelease(ctx: PathContext, handle: WorkflowHandle, chargeCents: number): Promise<void> {
  await until(ctx, handle, (s) => s.stage === 'scheduling', 'scheduling');
  await signal(handle, msg.appointmentScheduled, { messageId: 'appt-1', appointmentId: 'A-1', at: iso() });
  await until(ctx, handle, (s) => s.stage === 'service', 'service');
  await signal(handle, msg.serviceCompleted, {
    messageId: 'enc-1',
    encounterId: 'E-1',
    serviceDate: iso().slice(0, 10),
    services: [{ code: '99214', modifiers: [], icd10: ['M54.50'], units: 1, chargeCents }],
    notesRef: 'NOTE-1',
  });
  const s = await until(ctx, handle, (x) => x.pendingApproval?.kind === 'billing_release' || x.awaiting === 'coding review', 'coding review or billing release');
  if (s.pendingApproval?.kind !== 'billing_release') {
    await ensureUpdate(ctx, handle, msg.completeCodingReview as never, { actorId: 'coder-1', role: 'coder', outcome: 'confirmed', reason: 'level supported' }, (x) => x.pendingApproval?.kind === 'billing_release', 'coding review');
  }
}

async function toPayer(ctx: PathContext, handle: WorkflowHandle, chargeCents: number): Promise<string> {
  await toBillingRelease(ctx, handle, chargeCents);
  const s = await ensureUpdate(ctx, handle, msg.approve as never, { actorId: 'biller-2', role: 'billing_specialist', reason: 'release' }, (x) => x.stage === 'payer_adjudication' && x.claimIds.length > 0, 'billing release');
  const claimId = s.claimIds[s.claimIds.length - 1];
  const deadline = Date.now() + ctx.timeoutMs;
  while (!ctx.payer.control.claimStatus(claimId)) {
    if (Date.now() > deadline) throw new Error(`${handle.workflowId}: claim ${claimId} never reached the payer`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return claimId;
}

export async function drivePath(ctx: PathContext, path: PathName, referralId: string): Promise<Driven> {
  const chargeCents = 20_000 + (referralId.length % 7) * 1000;
  const handle = await ctx.startJourney(referralFor(referralId, chargeCents));
  const journeyId = handle.workflowId;
  switch (path) {
    case 'cancel_early': {
      await until(ctx, handle, (s) => s.stage === 'scheduling', 'scheduling');
      await ctx.beforeLastStep?.();
      await retrying(() => handle.cancel());
      await until(ctx, handle, (s) => s.stage === 'cancelled', 'cancelled');
      return { journeyId, path, expect: (s, closed) => (s.stage === 'cancelled' && closed === 'COMPLETED' && s.ledger.balanceCents === 0 ? undefined : `cancelled and completed, got ${s.stage} / ${closed}`) };
    }
    case 'hold_resume': {
      await until(ctx, handle, (s) => s.stage === 'scheduling', 'scheduling');
      await ensureUpdate(ctx, handle, msg.hold, { ...ops, reason: 'chaos hold' }, (s) => s.onHold, 'hold');
      await ensureUpdate(ctx, handle, msg.resume, { ...ops, reason: 'chaos resume' }, (s) => !s.onHold, 'resume');
      await ctx.beforeLastStep?.();
      await signal(handle, msg.appointmentScheduled, { messageId: 'appt-1', appointmentId: 'A-1', at: iso() });
      await until(ctx, handle, (s) => s.stage === 'service', 'service after resume');
      return { journeyId, path, expect: (s) => (s.stage === 'service' && !s.onHold ? undefined : `waiting for the service, got ${s.stage} onHold=${s.onHold}`) };
    }
    case 'approval_wait': {
      await ctx.beforeLastStep?.();
      await toBillingRelease(ctx, handle, chargeCents);
      return {
        journeyId,
        path,
        expect: (s) => (s.pendingApproval?.kind === 'billing_release' && s.ledger.chargeCents === chargeCents ? undefined : `waiting for the billing release of ${chargeCents}, got ${s.stage} ${s.pendingApproval?.kind} ${s.ledger.chargeCents}`),
      };
    }
    case 'paid': {
      const claimId = await toPayer(ctx, handle, chargeCents);
      const file = await ctx.payer.control.adjudicate(claimId, payAllowed(8000));
      const text = await (await fetch(`${ctx.payer.url}/remittances/${file!.fileId}`)).text();
      const messages = remittanceMessagesFrom835(parse835(text)).messages;
      await ctx.beforeLastStep?.();
      // Delivered twice (a payer's duplicate delivery): the money must be counted once.
      for (let i = 0; i < 2; i++) for (const { message } of messages) await signal(handle, msg.remittance, message);
      // On real time the claim posts after its settlement quiet period (10 minutes): the check is that the payment
      // was taken exactly once, and that Odoo and the ledger agree at every point (checked after the run).
      const received = async () => {
        try {
          const t = await ctx.client.connection.withDeadline(Date.now() + 5000, () => handle.query(msg.timeline));
          return t.filter((e) => e.action.startsWith('remittance received')).length;
        } catch {
          return -1;
        }
      };
      const deadline = Date.now() + ctx.timeoutMs;
      while ((await received()) < 1) {
        if (Date.now() > deadline) throw new Error(`${journeyId}: remittance never received`);
        await new Promise((r) => setTimeout(r, 250));
      }
      // A worker killed right now fails the query (-1): ask again rather than record a failed read as the count.
      let times = await received();
      while (times < 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        times = await received();
      }
      return { journeyId, path, expect: (s) => (times === 1 && s.stage === 'payer_adjudication' && s.ledger.paidCents <= chargeCents ? undefined : `remittance received once (got ${times}), stage ${s.stage}, paid ${s.ledger.paidCents}`) };
    }
    case 'cancel_after_release': {
      await toPayer(ctx, handle, chargeCents);
      await ctx.beforeLastStep?.();
      await retrying(() => handle.cancel());
      await until(ctx, handle, (s) => s.onHold && s.openExceptions.some((e) => e.queue === 'cancel_after_release'), 'held after a late cancel');
      return { journeyId, path, expect: (s) => (s.onHold && s.stage === 'payer_adjudication' ? undefined : `held at the payer, got ${s.stage} onHold=${s.onHold}`) };
    }
  }
}
