import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  isCancellation,
  workflowInfo,
} from '@temporalio/workflow';
import { canTransition, IllegalTransitionError, isTerminal, PostingError, type JourneyStage } from '../domain';
import { notify, odoo } from './proxies';
import { ChildLink } from './childLink';
import { registerJourneyHandlers, type CancelHandler, type JourneyLinks } from './journeyHandlers';
import { JourneyRuntime, initialData } from './journeyRuntime';
import { allClaimIds } from './journeyData';
import type { JourneyInput, JourneyOutcome } from './journeyState';
import { ledgerView } from './ledger';
import * as msg from './messages';
import { isConsumed, paymentKey, remittanceKey, sweepUnappliedMoney } from './moneyInbox';
import { BillingRejected, STAGES, type StageContext } from './stages';
import { adoptPatchLevel, isPatched } from './runtime/patchLevel';

export const PATCH_CLOSE_CLEARS_EXCEPTIONS = 'close-clears-exceptions';
/** close() keeps every open exception: each has a ticket that only a person resolves. */
export const PATCH_CLOSE_KEEPS_EXCEPTIONS = 'close-keeps-open-exceptions';

/**
 * One referral, from intake to payment (DESIGN.md "The journey"). Each stage (stages/) waits for its exit under an
 * SLA ladder, calls idempotent activities, commits money by business key, and moves the journey with the pure state
 * machine. Long-lived stages (prior auth, one claim's lifecycle, the patient balance) run as child workflows. The
 * journey survives crashes, outages and deploys because all of it is workflow state; it continues as new when its
 * history grows long.
 *
 * Stopping it: a cancel (the `cancel` update, or Temporal's own cancellation, e.g. the UI's "Request Cancellation")
 * interrupts the current stage, voids the draft invoice and closes the journey as cancelled — until the billing
 * release. After that the money is at the payer, so a cancel becomes a hold with an exception for a person.
 */
export async function referralJourney(input: JourneyInput): Promise<JourneyOutcome> {
  const journeyId = workflowInfo().workflowId;
  // First: the level decides which patches need a marker of their own (runtime/patchLevel.ts).
  const patchLevel = adoptPatchLevel((input.carried as { patchLevel?: number } | undefined)?.patchLevel);
  const rt = new JourneyRuntime(initialData(input, journeyId));
  const d = rt.data;
  if (patchLevel > 0) d.patchLevel = patchLevel;
  const remittancesConsumed = (m: (typeof d.inbox.remittances)[number]) => isConsumed(rt, remittanceKey(m));
  const paymentsConsumed = (p: (typeof d.inbox.payments)[number]) => isConsumed(rt, paymentKey(p));
  const links: JourneyLinks = {
    priorAuth: new ChildLink(() => d.inbox.priorAuth, msg.priorAuthDecision),
    claimStatus: new ChildLink(() => d.inbox.claimStatus, msg.claimStatus),
    remittances: new ChildLink(() => d.inbox.remittances, msg.remittance, remittancesConsumed),
    payments: new ChildLink(() => d.inbox.payments, msg.patientPayment, paymentsConsumed),
    disputes: new ChildLink(() => d.inbox.disputes, msg.patientDispute),
  };
  const ctx: StageContext = { rt, d, journeyId, links };

  // The running stage's scope: a cancel interrupts the stage, never the journey's own bookkeeping.
  let stageScope: CancellationScope | undefined;
  const onCancel: CancelHandler = (who) => {
    if (d.facts.cancelRequest || d.facts.outcome) return;
    if (d.stage === 'awaiting_referral' || canTransition(d.stage, 'cancelled')) {
      d.facts.cancelRequest = { actorId: who.actorId, role: who.role, reason: who.reason };
      rt.record('cancellation requested', { actor: who.actorId, role: who.role, reason: who.reason, ...(who.issuer ? { issuer: who.issuer } : {}) });
      stageScope?.cancel();
      return;
    }
    // Money is already at the payer: hold for a person to decide (write off, close with balance, or resume).
    if (!d.onHold) rt.hold(`cancel requested at ${d.stage} by ${who.actorId ?? 'an operator'}: the claim is at the payer, held instead`, 'cancel_after_release');
    rt.record('cancel turned into a hold: money is at the payer', { actor: who.actorId, reason: who.reason });
  };
  registerJourneyHandlers(rt, links, onCancel);
  rt.publish();
  // Temporal's own cancellation (handle.cancel(), the UI) takes the same path as the cancel update.
  CancellationScope.current()
    .cancelRequested.catch(() => onCancel({ actorId: 'temporal', reason: 'workflow cancellation requested' }))
    .catch(() => undefined);

  await CancellationScope.nonCancellable(async () => {
    try {
      if (d.stage === 'awaiting_referral') {
        rt.setAwaiting('referral');
        await condition(() => d.referral !== undefined || d.facts.cancelRequest !== undefined);
        if (d.facts.cancelRequest) throw new JourneyCancelled();
        await rt.enterFirstStage();
      }
      while (!isTerminal(d.stage as JourneyStage)) {
        await rt.gate(() => d.facts.cancelRequest !== undefined);
        if (d.facts.cancelRequest) throw new JourneyCancelled();
        if (rt.historyIsLong()) {
          await condition(allHandlersFinished);
          await continueAsNew<typeof referralJourney>({ siteId: d.siteId, referralId: d.referralId, carried: d });
        }
        await runStage(ctx, d.stage as JourneyStage, (scope) => (stageScope = scope));
        stageScope = undefined;
      }
    } catch (err) {
      if (!(err instanceof JourneyCancelled || err instanceof BillingRejected)) throw err;
      await compensate(rt);
    }
  });
  return CancellationScope.nonCancellable(() => close(rt, links));
}

/**
 * Run one stage in its own cancellable scope. A permanent failure holds the journey for an operator (resume reruns
 * the stage): an activity or child that failed for good, or a process rule the stage broke (an illegal transition,
 * a posting conflict). A cancel request ends the walk.
 */
async function runStage(ctx: StageContext, stage: JourneyStage, onScope: (scope: CancellationScope) => void): Promise<void> {
  const { rt, d } = ctx;
  const scope = new CancellationScope();
  onScope(scope);
  try {
    await scope.run(() => STAGES[stage](ctx));
  } catch (err) {
    if (d.facts.cancelRequest && isCancellation(err)) throw new JourneyCancelled();
    if (err instanceof BillingRejected) throw err;
    if (err instanceof ActivityFailure || err instanceof ChildWorkflowFailure) {
      if (isCancellation(err)) throw err;
      rt.hold(`stage ${stage} failed: ${failureSummary(err)}`, 'integration_failure', stage);
      return;
    }
    if (err instanceof IllegalTransitionError || err instanceof PostingError) {
      rt.hold(`stage ${stage} broke a process rule: ${err.message}`, 'process_error', stage);
      return;
    }
    throw err;
  }
}

/** The root cause of an activity/child failure, for the operator (type + message, no payloads). */
function failureSummary(err: ActivityFailure | ChildWorkflowFailure): string {
  let cause: unknown = err;
  while ((cause as { cause?: unknown }).cause) cause = (cause as { cause?: unknown }).cause;
  const type = cause instanceof ApplicationFailure && cause.type ? `${cause.type}: ` : '';
  return `${type}${(cause as Error).message}`;
}

class JourneyCancelled extends Error {
  constructor() {
    super('journey cancelled');
    this.name = 'JourneyCancelled';
  }
}

/** Cancel: void the draft invoice (if any) and close the journey as cancelled. Runs shielded from cancellation. */
async function compensate(rt: JourneyRuntime): Promise<void> {
  const d = rt.data;
  if (d.ledger.invoiceId !== undefined) {
    const voided = await odoo.voidDraftInvoice({ invoiceId: d.ledger.invoiceId });
    rt.record(voided.voided ? 'draft invoice voided' : 'invoice not voided', { detail: `invoice ${d.ledger.invoiceId}: ${voided.state}` });
    if (voided.voided) rt.commitInvoice(undefined);
  }
  const who = d.facts.cancelRequest ?? {};
  if (d.stage === 'awaiting_referral') d.stage = 'cancelled';
  else await rt.transition('cancelled', { actor: who.actorId, role: who.role, reason: who.reason });
}

async function close(rt: JourneyRuntime, links: JourneyLinks): Promise<JourneyOutcome> {
  const d = rt.data;
  const money = ledgerView(d.ledger, allClaimIds(d));
  const outcome: JourneyOutcome = {
    state: d.stage as JourneyOutcome['state'],
    paidCents: money.paidCents,
    patientPaidCents: money.patientPaidCents,
    writtenOffCents: money.adjustedCents + money.writtenOffCents,
    balanceCents: money.balanceCents,
  };
  d.facts.outcome = outcome.state;
  // Money that reached the journey but that nothing applied goes to cash posting before the journey closes.
  await sweepUnappliedMoney(rt, links, true);
  if (isPatched(PATCH_CLOSE_KEEPS_EXCEPTIONS)) {
    // A closed journey keeps its open exceptions in ExceptionQueue: each has a ticket only a person resolves.
    if (d.exceptions.length) rt.record('closed with open exceptions', { detail: [...new Set(d.exceptions.map((e) => e.queue))].join(', ') });
  } else if (isPatched(PATCH_CLOSE_CLEARS_EXCEPTIONS)) {
    d.exceptions = [];
  }
  rt.setAwaiting('nothing (closed)');
  const startedAt = Date.parse(d.timeline[0]?.at ?? new Date(Date.now()).toISOString());
  await notify.recordKpi({ name: 'journey_closed', siteId: d.siteId, payerId: d.referral?.payerId, outcome: outcome.state, valueMs: Date.now() - startedAt });
  await rt.mirrorTimeline();
  await condition(allHandlersFinished);
  return outcome;
}
