import { setHandler } from '@temporalio/workflow';
import {
  AppointmentScheduledSchema,
  canTransition,
  CancelRequestSchema,
  ClaimStatusSchema,
  CodingReviewInputSchema,
  DecisionInputSchema,
  DocumentReceivedSchema,
  EligibilityResultSchema,
  HoldRequestSchema,
  parseOrThrow,
  PatientDisputeSchema,
  PatientPaymentSchema,
  PayerMessageSchema,
  PriorAuthDecisionSchema,
  ReferralSchema,
  RemittanceMessageSchema,
  ResumeRequestSchema,
  ServiceCompletedSchema,
  WriteOffDecisionInputSchema,
  type DecisionInput,
  type PayerMessage,
} from '../domain';
import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, CancellationScope, currentUpdateInfo } from '@temporalio/workflow';
import { checkApproval } from './approvalGate';
import type { RecordedDecision } from './approvals';
import { childReport } from './childReports';
import type { ChildLink } from './childLink';
import type { Inbox, JourneyRuntime } from './journeyRuntime';
import * as msg from './messages';
import { sweepUnappliedMoney } from './moneyInbox';

/** Child links the journey forwards external messages through. */
export interface JourneyLinks {
  priorAuth: ChildLink<Inbox['priorAuth'][number]>;
  claimStatus: ChildLink<Inbox['claimStatus'][number]>;
  remittances: ChildLink<Inbox['remittances'][number]>;
  payments: ChildLink<Inbox['payments'][number]>;
  disputes: ChildLink<Inbox['disputes'][number]>;
}

export type { PendingApproval, RecordedDecision } from './approvals';

/** Decision receipts remembered by update id (carried across continue-as-new). */
const MAX_APPLIED_UPDATES = 200;

/** What the journey does when someone asks it to stop (the cancel update, or Temporal's own cancellation). */
export type CancelHandler = (who: { actorId?: string; role?: string; reason?: string; issuer?: string }) => void;

const receipt = (rt: JourneyRuntime, detail?: string, duplicate = false): msg.DecisionReceipt => ({
  accepted: true,
  stage: String(rt.data.stage),
  ...(duplicate ? { duplicate } : {}),
  ...(detail ? { detail } : {}),
});

/**
 * Registers every signal, update and query of the journey. Validators refuse bad input and illegal decisions before
 * anything is written to history; handlers only record facts that the process (referralJourney.ts) acts on.
 */
export function registerJourneyHandlers(rt: JourneyRuntime, links: JourneyLinks, onCancel: CancelHandler): void {
  const d = rt.data;

  // ---- external facts -----------------------------------------------------------------------------------------
  const fact =
    <K extends keyof Inbox>(kind: K, schema: { parse(v: unknown): Inbox[K][number] }, label: string, link?: ChildLink<Inbox[K][number]>) =>
    (raw: Inbox[K][number]): boolean => {
      let message: Inbox[K][number];
      try {
        message = schema.parse(raw);
      } catch (err) {
        // Signals cannot be refused; a malformed one is recorded (without its content) and dropped.
        rt.record(`rejected malformed ${label}`, { detail: (err as Error).message.slice(0, 300) });
        return false;
      }
      if (!rt.firstDelivery(`${kind}:${(message as { messageId: string }).messageId}`)) return false;
      (d.inbox[kind] as Inbox[K][number][]).push(message);
      rt.record(`${label} received`, { actor: 'external', detail: (message as { messageId: string }).messageId });
      if (link) void link.flush();
      return true;
    };
  const onEligibility = fact('eligibility', EligibilityResultSchema, 'eligibility result');
  const onPriorAuth = fact('priorAuth', PriorAuthDecisionSchema, 'prior auth decision', links.priorAuth);
  const onClaimStatus = fact('claimStatus', ClaimStatusSchema, 'claim status', links.claimStatus);
  const onRemittance = fact('remittances', RemittanceMessageSchema, 'remittance', links.remittances);
  setHandler(msg.eligibilityResult, (m) => void onEligibility(m));
  setHandler(msg.priorAuthDecision, (m) => void onPriorAuth(m));
  setHandler(msg.claimStatus, (m) => void onClaimStatus(m));
  // Money messages: applied by their child, or put in front of cash posting when nothing will apply them any more
  // (whichever transport brought them: signal, or update as `rcm ingest-835` and the ingress use).
  const money = <T>(apply: (m: T) => boolean) => async (m: T): Promise<boolean> => {
    const applied = apply(m);
    // Handlers run in the root scope; a workflow cancellation must not cut their bookkeeping short.
    if (applied) await CancellationScope.nonCancellable(() => sweepUnappliedMoney(rt, links));
    return applied;
  };
  const onMoneyRemittance = money(onRemittance);
  setHandler(msg.remittance, async (m) => void (await onMoneyRemittance(m)));
  const onAppointment = fact('appointments', AppointmentScheduledSchema, 'appointment');
  const onService = fact('services', ServiceCompletedSchema, 'service completion');
  const onDocument = fact('documents', DocumentReceivedSchema, 'document');
  const onPayment = money(fact('payments', PatientPaymentSchema, 'patient payment', links.payments));
  const onDispute = fact('disputes', PatientDisputeSchema, 'patient dispute', links.disputes);
  setHandler(msg.appointmentScheduled, (m) => void onAppointment(m));
  setHandler(msg.serviceCompleted, (m) => void onService(m));
  setHandler(msg.documentReceived, (m) => void onDocument(m));
  setHandler(msg.patientPayment, async (m) => void (await onPayment(m)));
  setHandler(msg.patientDispute, (m) => void onDispute(m));

  const payerHandlers: Record<PayerMessage['kind'], (m: any) => boolean | Promise<boolean>> = {
    eligibility: onEligibility,
    prior_auth: onPriorAuth,
    claim_status: onClaimStatus,
    remittance: onMoneyRemittance,
  };
  setHandler(
    msg.deliverPayerMessage,
    async (m) => {
      const applied = await payerHandlers[m.kind](m.payload);
      return receipt(rt, `${m.kind} ${m.payload.messageId}`, !applied);
    },
    { validator: (m) => void parseOrThrow(PayerMessageSchema, m, 'payer message') },
  );

  // ---- intake ---------------------------------------------------------------------------------------------------
  setHandler(
    msg.submitReferral,
    (referral) => {
      // The first submission is acknowledged as new even when the same referral also came in the start input
      // (update-with-start); later ones are duplicates.
      if (d.facts.referralSubmitted) return receipt(rt, 'referral already received', true);
      d.facts.referralSubmitted = true;
      d.referral ??= referral;
      return receipt(rt, 'referral received');
    },
    {
      validator: (referral) => {
        const r = parseOrThrow(ReferralSchema, referral, 'referral');
        if (r.siteId !== d.siteId || r.referralId !== d.referralId) throw new Error(`referral ids do not match journey ${d.journeyId}`);
        if (d.referral && JSON.stringify(d.referral) !== JSON.stringify(r)) {
          throw new Error('a different referral was already submitted for this journey');
        }
      },
    },
  );

  // ---- human decisions ------------------------------------------------------------------------------------------
  /**
   * A decision update applies once per update id. The server can retry an update that landed in the task that
   * continued as new into the new run (temporalio/temporal#6375): it gets its first receipt back, marked duplicate,
   * instead of being validated again against a state it already changed (e.g. a resume refused as "not on hold").
   */
  const firstReceipt = (): msg.DecisionReceipt | undefined => {
    const id = currentUpdateInfo()?.id;
    return id === undefined ? undefined : d.appliedUpdates.find((u) => u.id === id)?.receipt;
  };
  const decisionUpdate = <A extends unknown[]>(
    def: UpdateDefinition<msg.DecisionReceipt, A>,
    handler: (...args: A) => msg.DecisionReceipt,
    opts: { validator: (...args: A) => void },
  ) =>
    setHandler(
      def,
      (...args: A) => {
        const first = firstReceipt();
        if (first) return { ...first, duplicate: true };
        const made = handler(...args);
        const id = currentUpdateInfo()?.id;
        if (id !== undefined) {
          d.appliedUpdates.push({ id, receipt: made });
          if (d.appliedUpdates.length > MAX_APPLIED_UPDATES) d.appliedUpdates.shift();
        }
        return made;
      },
      { validator: (...args: A) => void (firstReceipt() ?? opts.validator(...args)) },
    );
  const pending = () => d.facts.pendingApproval;
  const decide = (type: RecordedDecision['type'], input: DecisionInput) => {
    const decision: RecordedDecision = { ...input, type, at: new Date(Date.now()).toISOString() };
    d.facts.decision = decision;
    rt.record(`decision: ${type}`, by(input));
    return receipt(rt, type);
  };
  /** One decision per pending approval: a second one (even in the same workflow task) is refused, never last-wins. */
  const notYetDecided = () => {
    const made = d.facts.decision;
    if (made) {
      throw ApplicationFailure.create({ type: 'AlreadyDecided', message: `already decided (${made.type}) by ${made.actorId} at ${made.at}`, nonRetryable: true });
    }
  };
  const billingValidator = (decision: 'approve' | 'reject' | 'requestChanges') => (input: DecisionInput) => {
    const parsed = parseOrThrow(DecisionInputSchema, input, 'decision');
    const p = pending();
    if (!p || p.kind === 'write_off') throw new Error(`no ${decision === 'approve' ? 'approval' : 'decision'} is pending at stage ${d.stage}`);
    notYetDecided();
    checkApproval(p, parsed, d.options.approvalPolicy, decision);
  };
  decisionUpdate(msg.approve, (i) => decide('approve', i), { validator: billingValidator('approve') });
  decisionUpdate(msg.reject, (i) => decide('reject', i), { validator: billingValidator('reject') });
  decisionUpdate(msg.requestChanges, (i) => decide('requestChanges', i), { validator: billingValidator('requestChanges') });

  decisionUpdate(
    msg.decideWriteOff,
    (i) => decide(i.decision === 'approve' ? 'writeOffApprove' : 'writeOffReject', i),
    {
      validator: (input) => {
        const parsed = parseOrThrow(WriteOffDecisionInputSchema, input, 'write-off decision');
        const p = pending();
        if (!p || p.kind !== 'write_off') throw new Error('no write-off is pending');
        notYetDecided();
        checkApproval(p, parsed, d.options.approvalPolicy, parsed.decision);
      },
    },
  );

  decisionUpdate(
    msg.completeCodingReview,
    (input) => {
      d.facts.codingReview = input;
      rt.record(`coding review ${input.outcome}`, by(input));
      return receipt(rt, input.outcome);
    },
    {
      validator: (input) => {
        const parsed = parseOrThrow(CodingReviewInputSchema, input, 'coding review');
        // a coding review (stage 6), or the correction of a rejected / CO-16 claim before it goes out again
        if (!d.facts.codingReviewPending || (d.stage !== 'coding' && !d.facts.claimCorrectionPending)) throw new Error(`no coding review is pending at stage ${d.stage}`);
        if (d.facts.codingReview) throw ApplicationFailure.create({ type: 'AlreadyDecided', message: `coding review already completed by ${d.facts.codingReview.actorId}`, nonRetryable: true });
        if (parsed.role !== 'coder' && parsed.role !== 'coding_supervisor') throw new Error(`role ${parsed.role} may not complete a coding review`);
      },
    },
  );

  // ---- operator controls ----------------------------------------------------------------------------------------
  decisionUpdate(
    msg.hold,
    (input) => {
      d.onHold = true;
      d.holdReason = input.reason;
      rt.record('journey put on hold', by(input));
      rt.publish();
      return receipt(rt, 'on hold');
    },
    {
      validator: (input) => {
        parseOrThrow(HoldRequestSchema, input, 'hold');
        if (d.onHold) throw new Error('journey is already on hold');
        if (d.facts.outcome) throw new Error('journey is closed');
      },
    },
  );
  decisionUpdate(
    msg.resume,
    (input) => {
      d.onHold = false;
      d.holdReason = undefined;
      rt.record('journey resumed', by(input));
      rt.publish();
      return receipt(rt, 'resumed');
    },
    {
      validator: (input) => {
        parseOrThrow(ResumeRequestSchema, input, 'resume');
        if (!d.onHold) throw new Error('journey is not on hold');
      },
    },
  );
  decisionUpdate(
    msg.cancel,
    (input) => {
      onCancel(input);
      return receipt(rt, 'cancelling');
    },
    {
      validator: (input) => {
        parseOrThrow(CancelRequestSchema, input, 'cancel');
        if (d.stage === 'awaiting_referral') return;
        if (d.facts.cancelRequest) throw new Error('a cancellation is already under way');
        if (!canTransition(d.stage, 'cancelled')) throw new Error(`a journey cannot be cancelled at stage ${d.stage}: money is in flight (write off or close instead)`);
      },
    },
  );

  // ---- reads and child reports -------------------------------------------------------------------------------------
  setHandler(msg.status, () => rt.status());
  setHandler(msg.timeline, () => [...d.timeline]);
  setHandler(childReport, (report) => CancellationScope.nonCancellable(() => rt.applyChildReport(report)));
}

/** Who decided, as the timeline records it (the issuer is set when the decisions API verified the identity). */
function by(input: { actorId: string; role?: string; reason?: string; issuer?: string }) {
  return { actor: input.actorId, role: input.role, reason: input.reason, ...(input.issuer ? { issuer: input.issuer } : {}) };
}
