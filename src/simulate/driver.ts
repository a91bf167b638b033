import type { Client, WorkflowHandle } from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { journeyWorkflowId, remittanceMessagesFrom835, secondaryClaimIdFor } from '../domain';
import { parse835 } from '../domain/x12';
import * as msg from '../workflows/messages';
import type { JourneyStatus } from '../workflows/journeyState';
import type { JourneyPlan } from './generator';
import { SimulationEnded, withTimeout, type SimScheduler } from './clock';

/** The payer emulator's control surface the simulator uses (sim/payer `control`), by type only. */
export interface PayerControl {
  setPriorAuthRule(rule: { match?: { authRequestIdPrefix?: string }; decision: { action: 'A1' | 'A3' | 'A4'; reasons?: { code: string; text: string }[]; requestedDocuments?: string[] } }): void;
  adjudicate(claimId: string, rule?: unknown, opts?: { paymentDate?: string }): Promise<{ fileId: string; content: string } | null>;
  claimStatus(claimId: string): unknown;
}

export interface DriverDeps {
  client: Client;
  taskQueue: string;
  payer: PayerControl;
  clock: SimScheduler;
}

/** What the simulator really did to one journey (the external parties' side), to check the report against. */
export interface DrivenJourney {
  referralId: string;
  siteId: string;
  workflowId: string;
  actions: string[];
  /** CARCs of the denials the payer really sent to this journey */
  deniedCarcs: string[];
  /** remittances the simulated second coverage sent for this journey's secondary claim */
  secondaryRemits: number;
  /** where the script stopped: done, or what it was still waiting for when the horizon ended */
  endedWaitingFor?: string;
  error?: string;
}

const PAY = { kind: 'pay', allowedBasisPoints: 8000 } as const;
const denyRule = (carc: string) => ({ kind: 'deny', carc, group: 'CO', ...(carc === '16' ? { rarcs: ['M127'] } : {}) });

/** One journey's external parties — patient, payer, approvers, ops — acting on their planned days. */
export async function driveJourney(deps: DriverDeps, plan: JourneyPlan): Promise<DrivenJourney> {
  const { client, clock, payer } = deps;
  const r = plan.referral;
  const out: DrivenJourney = { referralId: r.referralId, siteId: r.siteId, workflowId: journeyWorkflowId(r.siteId, r.referralId), actions: [], deniedCarcs: [], secondaryRemits: 0 };
  const act = (a: string) => out.actions.push(`d${clock.today}:${a}`);
  let raw: WorkflowHandle | undefined;
  // every call to the server is bounded: a party that gets no answer gives up (recorded as this journey's error)
  // instead of holding the simulated day open
  const CALL_MS = 90_000;
  const handle = {
    query: <T>(q: Parameters<WorkflowHandle['query']>[0]) => withTimeout(raw!.query(q) as Promise<T>, CALL_MS),
    signal: <A extends unknown[]>(def: SignalDefinition<A>, ...args: A) => withTimeout(raw!.signal(def, ...args), CALL_MS),
    executeUpdate: <R, A extends [any, ...any[]]>(def: UpdateDefinition<R, A>, opts: { args: A }) => withTimeout(raw!.executeUpdate(def, opts), CALL_MS),
  };
  const status = () => handle.query<JourneyStatus>(msg.status);
  const whenStatus = (what: string, ok: (s: JourneyStatus) => boolean, maxDays?: number) =>
    clock.when(what, async () => {
      const s = await status();
      return ok(s) ? s : s.outcome ? Promise.reject(new Error(`journey closed (${s.outcome}) before ${what}`)) : undefined;
    }, maxDays);
  const later = (days: number) => clock.until(clock.today + days);
  const decidedBy = { actorId: 'sim-approver', role: 'billing_specialist' as const };
  const ops = { actorId: 'sim-ops', role: 'revenue_cycle_manager' as const };

  try {
    await clock.until(plan.arrivalDay);
    const pa = plan.priorAuth;
    if (typeof pa === 'object') {
      const decision = 'denied' in pa ? { action: 'A3' as const, reasons: [{ code: 'MN01', text: 'criteria not met' }] } : { action: 'A4' as const, requestedDocuments: ['11506-3'] };
      payer.setPriorAuthRule({ match: { authRequestIdPrefix: `PA-${r.referralId}-` }, decision });
    }
    raw = await client.workflow.start('referralJourney', {
      taskQueue: deps.taskQueue,
      workflowId: out.workflowId,
      args: [{ siteId: r.siteId, referralId: r.referralId, referral: { ...r, receivedAt: await clock.nowIso() } }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    act('referral received');

    if (plan.eligibility !== 'active') {
      await whenStatus('eligibility exception', (s) => s.openExceptions.some((e) => e.queue === 'eligibility'));
      const fixedAfter = plan.eligibility.recoveredAfterDays;
      if (fixedAfter === undefined) return await cancelStuck(plan.cancelStuckAfterDays, 'coverage never verified');
      await later(fixedAfter);
      await handle.signal(msg.eligibilityResult, {
        messageId: `elig-${r.referralId}`, status: 'active', planType: r.planType, authRequired: pa !== 'not_required',
        copayCents: 2500, deductibleRemainingCents: 0, coinsuranceBasisPoints: 2000, checkedAt: await clock.nowIso(),
      });
      act('coverage re-verified active');
    }

    if (typeof pa === 'object') {
      const authRequestId = `PA-${r.referralId}-1`;
      const decide = async (action: 'A1' | 'A3', tag: string) => {
        await handle.signal(msg.priorAuthDecision, {
          messageId: `pa-${tag}-${r.referralId}`, authRequestId, action, ...(action === 'A1' ? { authNumber: `AUTH-${r.referralId}` } : {}),
          reasons: [], requestedDocuments: [], decidedAt: await clock.nowIso(),
        });
      };
      if ('pendedDays' in pa) {
        await whenStatus('prior auth pended', (s) => s.stage === 'prior_auth' && s.deadlines.some((d) => d.step === 'prior auth decision'));
        await later(pa.pendedDays);
        await decide('A1', 'late');
        act(`prior auth approved after ${pa.pendedDays} d pended`);
      } else {
        await whenStatus('prior auth denial', (s) => s.openExceptions.some((e) => e.queue === 'authorization'));
        act('prior auth denied');
        if (pa.appealWonAfterDays === undefined) return await cancelStuck(plan.cancelStuckAfterDays, 'prior auth appeal lost');
        await later(pa.appealWonAfterDays);
        await decide('A1', 'appeal');
        act('prior auth appeal won');
      }
    }

    await whenStatus('scheduling', (s) => s.stage === 'scheduling');
    await later(plan.schedulingDays);
    // booked today for a visit `serviceDays` ahead; the service-completion clock runs from the appointment
    const appointmentAt = new Date(Date.parse(await clock.nowIso()) + plan.serviceDays * 86_400_000).toISOString();
    await handle.signal(msg.appointmentScheduled, { messageId: `appt-${r.referralId}`, appointmentId: `A-${r.referralId}`, at: appointmentAt });
    act('appointment booked');
    await whenStatus('service stage', (s) => s.stage === 'service');
    await later(plan.serviceDays);
    const svc = r.orderedServices[0];
    await handle.signal(msg.serviceCompleted, {
      messageId: `enc-${r.referralId}`, encounterId: `E-${r.referralId}`, serviceDate: (await clock.nowIso()).slice(0, 10),
      services: [{ code: svc.cpt, modifiers: [], icd10: svc.icd10, units: svc.units, chargeCents: svc.chargeCents }], notesRef: `NOTE-${r.referralId}`,
    });
    act('service completed');
    const coded = await whenStatus('coding done or review', (s) => s.stage === 'billing_approval' || s.awaiting === 'coding review');
    if (coded.stage === 'coding') {
      await later(1);
      await handle.executeUpdate(msg.completeCodingReview, { args: [{ actorId: 'sim-coder', role: 'coder', outcome: 'confirmed', reason: 'level supported' }] });
      act('coding reviewed');
    }
    await whenStatus('billing release pending', (s) => s.pendingApproval?.kind === 'billing_release');
    await later(plan.approverDays);
    await handle.executeUpdate(msg.approve, { args: [{ ...decidedBy, reason: 'release' }] });
    act(`claim released after ${plan.approverDays} d`);
    const adjudicating = await whenStatus('payer adjudication', (s) => s.stage === 'payer_adjudication');
    const claimId = adjudicating.claimIds[adjudicating.claimIds.length - 1];
    await clock.when('claim at payer', async () => Boolean(payer.claimStatus(claimId)));

    await later(plan.payerDays);
    const claim = plan.claim;
    if (claim === 'pay') {
      await remit(claimId, PAY, 'paid');
    } else {
      await remit(claimId, denyRule(claim.carc), `denied CO-${claim.carc}`);
      out.deniedCarcs.push(claim.carc);
      if (claim.recoveredAfterDays !== undefined) {
        await later(claim.recoveredAfterDays);
        await remit(claimId, PAY, 'paid on appeal');
      } else {
        const pending = await whenStatus('write-off of the denial pending', (s) => s.pendingApproval?.kind === 'write_off' || s.stage === 'patient_balance');
        if (pending.pendingApproval?.kind === 'write_off') await writeOff('denial not recoverable');
      }
    }
    if (plan.reversal && (claim === 'pay' || claim.recoveredAfterDays !== undefined)) {
      await later(3);
      await remit(claimId, { kind: 'reverseAndCorrect', corrected: { ...PAY, allowedBasisPoints: 7500 } }, 'reversed and corrected');
    }

    if (r.secondaryCoverage) {
      // A paid primary with a patient share goes to the second coverage first (its own claim, RC…-5nn).
      const secondaryId = secondaryClaimIdFor(claimId);
      const next = await whenStatus('secondary claim or patient balance', (s) => s.claimIds.includes(secondaryId) || s.stage === 'patient_balance' || s.outcome !== undefined || s.pendingApproval?.kind === 'write_off');
      if (next.claimIds.includes(secondaryId)) {
        await clock.when('secondary claim at payer', async () => Boolean(payer.claimStatus(secondaryId)));
        await later(plan.payerDays);
        await remit(secondaryId, PAY, 'secondary paid');
        out.secondaryRemits += 1;
      }
    }

    const owing = await whenStatus('patient balance or close', (s) => s.stage === 'patient_balance' || s.outcome !== undefined || s.pendingApproval?.kind === 'write_off');
    if (owing.outcome) return out;
    if (owing.pendingApproval?.kind === 'write_off') return await writeOffThenDone('uncollectible');
    if (plan.dispute) {
      await later(2);
      await handle.signal(msg.patientDispute, { messageId: `disp-${r.referralId}`, disputeId: `D-${r.referralId}`, kind: 'general', openedAt: await clock.nowIso() });
      act('patient disputed the bill');
      await later(20);
      const now = await clock.nowIso();
      await handle.signal(msg.patientDispute, { messageId: `disp-end-${r.referralId}`, disputeId: `D-${r.referralId}`, kind: 'general', openedAt: now, resolvedAt: now });
      act('dispute resolved');
    }
    if (plan.patient !== 'never') {
      await later(plan.patient.paysAfterDays);
      const s = await status();
      if (s.balanceCents > 0 && s.stage === 'patient_balance') {
        await handle.signal(msg.patientPayment, { messageId: `pay-${r.referralId}`, amountCents: s.balanceCents, method: 'card', at: await clock.nowIso() });
        act(`patient paid ${s.balanceCents}`);
      }
    } else {
      await whenStatus('write-off of the patient balance pending', (s) => s.pendingApproval?.kind === 'write_off');
      return await writeOffThenDone('patient balance uncollectible');
    }
    return out;
  } catch (err) {
    if (err instanceof SimulationEnded) out.endedWaitingFor = err.message.replace('simulation ended while waiting for ', '');
    else out.error = [(err as Error).message, (err as { cause?: Error }).cause?.message].filter(Boolean).join(': ');
    return out;
  }

  async function remit(claimId: string, rule: unknown, what: string) {
    const file = await payer.adjudicate(claimId, rule, { paymentDate: (await clock.nowIso()).slice(0, 10) });
    if (!file) throw new Error(`payer pended claim ${claimId}`);
    for (const { message } of remittanceMessagesFrom835(parse835(file.content)).messages) await handle.signal(msg.remittance, message);
    act(`remittance: ${what}`);
  }
  async function writeOff(reason: string) {
    // A supervisor approves within their limit; above it the revenue-cycle manager does.
    try {
      await handle.executeUpdate(msg.decideWriteOff, { args: [{ actorId: 'sim-sup', role: 'billing_supervisor', decision: 'approve', reason }] });
    } catch {
      // refused (above the supervisor's limit) — or decided but the answer was lost on a slow worker: look first
      if ((await status()).pendingApproval?.kind === 'write_off') await handle.executeUpdate(msg.decideWriteOff, { args: [{ ...ops, decision: 'approve', reason }] });
    }
    act(`write-off approved: ${reason}`);
  }
  async function writeOffThenDone(reason: string) {
    await writeOff(reason);
    return out;
  }
  async function cancelStuck(days: number, reason: string) {
    await later(days);
    const s = await status();
    if (!s.outcome) {
      await handle.executeUpdate(msg.cancel, { args: [{ ...ops, reason }] });
      act(`cancelled: ${reason}`);
    }
    return out;
  }
}
