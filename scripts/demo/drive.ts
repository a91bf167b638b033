import type { JourneyClient } from '../../src/client/journeyClient';
import type { JourneyOutcome, JourneyStatus, TimelineEntry } from '../../src/workflows/journeyState';
import * as msg from '../../src/workflows/messages';
import type { AdjudicationRule, PayerEmulatorControl, RemittanceFileInfo } from '../../sim/payer';
import type { DemoService } from './referrals';

/**
 * How the demo moves a journey, on real time: the external facts a clinic system would send (appointment booked,
 * service completed) as signals, the human decisions (coding review, billing release) as updates through the typed
 * journey client, and the payer's side through the payer emulator's control API. Every wait polls the journey's
 * `status` query (or its timeline) and ends on shutdown (AbortSignal) or after a timeout that names what was awaited.
 */
export class DemoAborted extends Error {
  constructor() {
    super('demo stopped');
    this.name = 'DemoAborted';
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DemoAborted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DemoAborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const iso = () => new Date().toISOString();

export interface DriverOptions {
  journeys: JourneyClient;
  /** the payer emulator's control API (absent when PAYER_BASE_URL points at a real payer) */
  payer?: PayerEmulatorControl;
  signal: AbortSignal;
  pollMs?: number;
}

export type Driver = ReturnType<typeof createDriver>;

export function createDriver(opts: DriverOptions) {
  const { journeys, signal } = opts;
  const pollMs = opts.pollMs ?? 400;

  /** Poll `probe` until it returns a truthy value; transient errors (worker busy, not indexed yet) are retried. */
  async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, describe?: () => string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      if (signal.aborted) throw new DemoAborted();
      try {
        const value = await probe();
        if (value) return value;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() > deadline) {
        const detail = describe?.() ?? (lastError instanceof Error ? lastError.message : '');
        throw new Error(`timed out waiting for ${what}${detail ? ` (${detail})` : ''}`);
      }
      await sleep(pollMs, signal);
    }
  }

  async function waitForStatus(journeyId: string, ok: (s: JourneyStatus) => boolean, what: string, timeoutMs?: number): Promise<JourneyStatus> {
    let last: JourneyStatus | undefined;
    return until(
      what,
      async () => {
        last = await journeys.status(journeyId);
        return ok(last) ? last : undefined;
      },
      timeoutMs,
      () => (last ? `stage ${last.stage}, awaiting ${last.awaiting}` : 'no status yet'),
    );
  }

  const waitForStage = (journeyId: string, stage: string, timeoutMs?: number) => waitForStatus(journeyId, (s) => s.stage === stage, `stage ${stage}`, timeoutMs);

  async function waitForTimeline(journeyId: string, ok: (t: TimelineEntry[]) => boolean, what: string, timeoutMs?: number): Promise<TimelineEntry[]> {
    return until(what, async () => {
      const t = await journeys.timeline(journeyId);
      return ok(t) ? t : undefined;
    }, timeoutMs);
  }

  function handle(journeyId: string) {
    return journeys.workflowClient.getHandle(journeyId);
  }

  function payerControl(): PayerEmulatorControl {
    if (!opts.payer) throw new Error('the payer emulator is not running (PAYER_BASE_URL is set)');
    return opts.payer;
  }

  return {
    until,
    waitForStatus,
    waitForStage,
    waitForTimeline,
    status: (journeyId: string) => journeys.status(journeyId),

    /** Scheduling → service → coding: book the appointment, complete the service, confirm a pending coding review. */
    async bookAndServe(journeyId: string, referralId: string, service: DemoService): Promise<void> {
      await waitForStage(journeyId, 'scheduling');
      await handle(journeyId).signal(msg.appointmentScheduled, { messageId: `appt-${referralId}`, appointmentId: `APT-${referralId}`, at: iso() });
      await waitForStage(journeyId, 'service');
      await handle(journeyId).signal(msg.serviceCompleted, {
        messageId: `enc-${referralId}`,
        encounterId: `ENC-${referralId}`,
        serviceDate: iso().slice(0, 10),
        services: [{ code: service.cpt, modifiers: [], icd10: service.icd10, units: 1, chargeCents: service.chargeCents }],
        notesRef: `NOTE-${referralId}`,
      });
      // Below the site's confidence threshold the AI coding result waits for a human coder first.
      const s = await waitForStatus(journeyId, (x) => x.stage === 'billing_approval' || x.awaiting === 'coding review', 'coding done or coding review');
      if (s.stage !== 'billing_approval') {
        await journeys.decide(journeyId, { type: 'completeCodingReview', input: { actorId: 'coder-1', role: 'coder', outcome: 'confirmed', reason: 'level supported by the notes' } });
      }
      await waitForStatus(journeyId, (x) => x.pendingApproval?.kind === 'billing_release', 'billing release pending');
    },

    /** Billing release by someone other than its preparer (biller-2); resolves once the journey submitted the claim. */
    async release(journeyId: string): Promise<{ claimId: string; preparer: string; approver: string }> {
      const pending = await waitForStatus(journeyId, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');
      const approver = 'biller-2';
      await journeys.decide(journeyId, { type: 'approve', input: { actorId: approver, role: 'billing_specialist', reason: 'documentation complete' } });
      const s = await waitForStage(journeyId, 'payer_adjudication');
      return { claimId: s.claimIds[s.claimIds.length - 1], preparer: pending.pendingApproval?.requesterId ?? '?', approver };
    },

    /** The claim is at the payer and its id is searchable (ClaimIds), so the 835 can be routed back. */
    async claimAtPayer(claimId: string, timeoutMs?: number): Promise<void> {
      const payer = payerControl();
      await until(`claim ${claimId} at the payer and indexed`, async () => payer.claimStatus(claimId) !== undefined && (await journeys.findJourneysByClaimId(claimId)).length === 1, timeoutMs);
    },

    /** The payer adjudicates now; its 835 goes out by the signed remittance webhook (→ ingress → journey). */
    async adjudicate(claimId: string, rule?: AdjudicationRule): Promise<RemittanceFileInfo> {
      const file = await payerControl().adjudicate(claimId, rule);
      if (!file) throw new Error(`the payer pended claim ${claimId}`);
      return file;
    },

    async payPatientBalance(journeyId: string, referralId: string, amountCents: number): Promise<void> {
      await handle(journeyId).signal(msg.patientPayment, { messageId: `pay-${referralId}`, amountCents, method: 'card', at: iso() });
    },

    /** The journey's result (a closed journey resolves at once). */
    result(journeyId: string): Promise<JourneyOutcome> {
      return new Promise<JourneyOutcome>((resolve, reject) => {
        const onAbort = () => reject(new DemoAborted());
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        handle(journeyId)
          .result()
          .then(resolve, reject)
          .finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
  };
}
