import {
  CancellationScope,
  condition,
  continueAsNew,
  allHandlersFinished,
  isCancellation,
  patched,
  startChild,
  workflowInfo,
  ParentClosePolicy,
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
} from '@temporalio/workflow';
import {
  claimIdFor,
  isTerminal,
  missingDocuments,
  needsHumanCodingReview,
  timelyFilingLadder,
  type JourneyStage,
  type ServiceLine,
} from '../domain';
import { ai, notify, odoo, payer } from './proxies';
import { ChildLink } from './childLink';
import { claimLifecycle, type ClaimLifecycleResult } from './claimLifecycle';
import { registerJourneyHandlers, type JourneyLinks, type PendingApproval, type RecordedDecision } from './journeyHandlers';
import { JourneyRuntime, initialData } from './journeyRuntime';
import type { JourneyInput, JourneyOutcome } from './journeyState';
import * as msg from './messages';
import { patientBalance, type PatientBalanceResult } from './patientBalance';
import { priorAuth, priorAuthWorkflowId } from './priorAuth';

/**
 * One referral, from intake to payment (DESIGN.md "The journey"). Each stage waits for its exit under an SLA ladder,
 * calls idempotent activities, and moves the journey with the pure state machine. Long-lived stages (prior auth,
 * one claim's lifecycle, the patient balance) run as child workflows. The journey survives crashes, outages and
 * deploys because all of it is workflow state; it continues as new when its history grows long.
 */
export async function referralJourney(input: JourneyInput): Promise<JourneyOutcome> {
  const journeyId = workflowInfo().workflowId;
  const rt = new JourneyRuntime(initialData(input, journeyId));
  const d = rt.data;
  const links: JourneyLinks = {
    priorAuth: new ChildLink(() => d.inbox.priorAuth, msg.priorAuthDecision),
    claimStatus: new ChildLink(() => d.inbox.claimStatus, msg.claimStatus),
    remittances: new ChildLink(() => d.inbox.remittances, msg.remittance),
    payments: new ChildLink(() => d.inbox.payments, msg.patientPayment),
    disputes: new ChildLink(() => d.inbox.disputes, msg.patientDispute),
  };
  let scope: CancellationScope | undefined;
  registerJourneyHandlers(rt, links, () => scope);
  rt.publish();

  // ---- the stages, in the order of the process ---------------------------------------------------------------------

  const intake = async () => {
    const r = rt.referral;
    const { partnerId } = await odoo.upsertPatientPartner({ patientRef: r.patientRef, siteId: r.siteId });
    d.partnerId = partnerId;
    const { taskId } = await odoo.createIntakeTask({ journeyId, siteId: r.siteId, referralId: r.referralId, checklist: r.requiredDocuments });
    d.intakeTaskId = taskId;
    const docsMissing = () => {
      const received = new Map(r.documents.map((doc) => [doc.kind, doc.received]));
      for (const doc of d.inbox.documents) received.set(doc.kind, doc.received);
      return missingDocuments({ requiredDocuments: r.requiredDocuments, documents: [...received].map(([kind, ok]) => ({ documentId: kind, kind, received: ok })) });
    };
    if (docsMissing().length > 0) {
      await rt.openException('intake_documents', `missing documents: ${docsMissing().join(', ')}`);
      await rt.waitFor(`documents: ${docsMissing().join(', ')}`, () => docsMissing().length === 0, rt.stageLadder('intake'));
      await rt.closeException('intake_documents');
    }
    await rt.transition('intake_complete', { detail: `${r.requiredDocuments.length} required documents complete` });
  };

  const eligibility = async () => {
    const r = rt.referral;
    const answer = await payer.checkEligibility({
      journeyId,
      payerId: r.payerId,
      memberRef: r.patientRef,
      serviceDate: r.receivedAt.slice(0, 10),
      serviceCodes: r.orderedServices.map((s) => s.cpt),
    });
    rt.record('eligibility checked', { actor: `payer:${r.payerId}`, detail: `${answer.status}${answer.authRequired ? ', auth required' : ''}` });
    const latest = () => d.inbox.eligibility[d.inbox.eligibility.length - 1];
    let status = answer.status;
    let authRequired = answer.authRequired;
    const seenBefore = d.inbox.eligibility.length;
    if (status !== 'active') {
      // Unknown: wait for the payer's asynchronous 271; inactive: re-verify coverage / bill the correct payer.
      await rt.openException('eligibility', status === 'inactive' ? 'coverage inactive' : 'eligibility pending');
      await rt.waitFor('active coverage', () => d.inbox.eligibility.length > seenBefore && latest().status === 'active', rt.stageLadder('eligibility'));
      await rt.closeException('eligibility');
      status = 'active';
      authRequired = latest().authRequired;
    }
    d.facts.eligibility = { status, authRequired, copayCents: answer.copayCents, deductibleRemainingCents: answer.deductibleRemainingCents, coinsuranceBasisPoints: answer.coinsuranceBasisPoints };
    await rt.transition('eligibility_confirmed');
  };

  const priorAuthorization = async () => {
    const r = rt.referral;
    const eligibilityFacts = d.facts.eligibility as { authRequired: boolean };
    const required = eligibilityFacts.authRequired || r.authRequired === true;
    if (!required) {
      d.facts.auth = { outcome: 'not_required' };
      await rt.transition('auth_not_required');
      return;
    }
    const attempt = ((d.facts.priorAuthAttempts as number | undefined) ?? 0) + 1;
    d.facts.priorAuthAttempts = attempt;
    const authRequestId = `PA-${r.referralId}-${attempt}`.slice(0, 64);
    rt.setAwaiting('prior authorization decision (child workflow)');
    const child = await startChild(priorAuth, {
      workflowId: priorAuthWorkflowId(journeyId, attempt),
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      staticSummary: `Prior auth ${authRequestId} · payer ${r.payerId} · ${r.urgency}`,
      args: [
        {
          journeyId,
          siteId: r.siteId,
          payerId: r.payerId,
          planType: r.planType,
          urgency: r.urgency,
          authRequestId,
          memberRef: r.patientRef,
          services: r.orderedServices.map((s) => ({ code: s.cpt, units: s.units })),
          diagnoses: [...new Set(r.orderedServices.flatMap((s) => s.icd10))],
          sla: rt.slaContext,
          taskId: d.intakeTaskId,
          initialDecisions: links.priorAuth.handOver().filter((x) => x.authRequestId === authRequestId),
        },
      ],
    });
    await links.priorAuth.attach(child);
    const result = await child.result();
    links.priorAuth.detach();
    d.facts.auth = result;
    await rt.transition(result.outcome === 'approved' ? 'auth_approved' : 'auth_not_required', {
      actor: `payer:${r.payerId}`,
      detail: `${result.action}${result.authNumber ? ` auth ${result.authNumber}` : ''}`,
    });
  };

  const scheduling = async () => {
    const seenBefore = (d.facts.appointmentsSeen as number | undefined) ?? 0;
    await rt.waitFor('appointment booked', () => d.inbox.appointments.length > seenBefore, rt.stageLadder('scheduling'));
    const appt = d.inbox.appointments[d.inbox.appointments.length - 1];
    d.facts.appointmentsSeen = d.inbox.appointments.length;
    d.facts.appointmentAt = appt.at;
    await rt.transition('scheduled', { detail: `appointment ${appt.appointmentId} at ${appt.at}` });
  };

  const service = async () => {
    const appointmentAt = Date.parse(d.facts.appointmentAt as string);
    await rt.waitFor('service completed', () => d.inbox.services.length > 0, rt.stageLadder('service', Math.max(appointmentAt, Date.now())));
    const encounter = d.inbox.services[d.inbox.services.length - 1];
    d.facts.encounter = { encounterId: encounter.encounterId, serviceDate: encounter.serviceDate, notesRef: encounter.notesRef };
    d.facts.services = encounter.services;
    await rt.transition('service_completed', { detail: `encounter ${encounter.encounterId}` });
  };

  const coding = async () => {
    const services = d.facts.services as ServiceLine[];
    const suggestion = await ai.suggestCodingChecks({
      siteId: d.siteId,
      cpt: services.map((s) => s.code),
      icd10: [...new Set(services.flatMap((s) => s.icd10))],
    });
    rt.record('AI coding check', { actor: `model:${suggestion.modelId}@${suggestion.modelVersion}`, detail: `${suggestion.label} ${suggestion.confidence.toFixed(2)}` });
    d.facts.coding = { label: suggestion.label, confidence: suggestion.confidence, modelId: suggestion.modelId, modelVersion: suggestion.modelVersion };
    const issues = suggestion.issues ?? [];
    if (suggestion.needsHumanReview || needsHumanCodingReview({ confidence: suggestion.confidence, issues }, d.options.codingConfidenceThreshold)) {
      d.facts.codingReviewPending = true;
      d.facts.codingReview = undefined;
      await rt.openException('coding_review', `coding review: ${suggestion.label} (${suggestion.confidence.toFixed(2)})`);
      await rt.waitFor('coding review', () => d.facts.codingReview !== undefined, rt.stageLadder('coding'));
      const review = d.facts.codingReview as { outcome: string; services?: ServiceLine[]; actorId: string };
      if (review.outcome === 'corrected' && review.services) d.facts.services = review.services;
      d.facts.codingReviewPending = false;
      d.facts.preparerId = review.actorId;
      await rt.closeException('coding_review');
    }
    await rt.transition('coding_done');
  };

  const billingApproval = async () => {
    // The claim is drafted in Odoo for the release decision; approval posts it, rejection voids it.
    const r = rt.referral;
    const services = d.facts.services as ServiceLine[];
    d.claimAttempt++;
    const claimId = claimIdFor(r.siteId, r.referralId, d.claimAttempt);
    d.claimIds = [...d.claimIds, claimId];
    // Not interrupted by a cancel: the compensation must know the draft it has to void.
    const invoice = await CancellationScope.nonCancellable(() =>
      odoo.createDraftInvoice({
        claimId,
        partnerId: d.partnerId!,
        journeyId,
        lines: services.map((s) => ({ code: s.code, description: `${s.code}${s.modifiers.length ? `-${s.modifiers.join('-')}` : ''}`, quantity: s.units, priceCents: Math.round(s.chargeCents / s.units) })),
      }),
    );
    d.invoiceId = invoice.invoiceId;
    d.balanceCents = invoice.amountTotalCents;
    rt.record('draft invoice created', { detail: `claim ${claimId}, total ${invoice.amountTotalCents}` });

    const requesterId = (d.facts.preparerId as string | undefined) ?? r.preparerId ?? 'system';
    const pendingApproval: PendingApproval = { kind: 'billing_release', amountCents: invoice.amountTotalCents, requesterId };
    d.facts.pendingApproval = pendingApproval;
    d.facts.decision = undefined;
    const mirror = (status: 'pending' | 'approved' | 'refused', decision?: RecordedDecision) =>
      odoo.mirrorApproval({ journeyId, kind: 'billing_release', amountCents: invoice.amountTotalCents, requesterId, status, ...(decision ? { approverId: decision.actorId, reason: decision.reason } : {}) });
    await mirror('pending');
    await rt.waitFor('billing release approval', () => d.facts.decision !== undefined, rt.stageLadder('billing_approval'));
    const decision = d.facts.decision as RecordedDecision;
    d.facts.pendingApproval = undefined;
    await mirror(decision.type === 'approve' ? 'approved' : 'refused', decision);
    const by = { actor: decision.actorId, role: decision.role, reason: decision.reason };
    if (decision.type === 'approve') {
      await rt.transition('billing_approved', by);
      return;
    }
    await odoo.voidDraftInvoice({ invoiceId: invoice.invoiceId });
    d.invoiceId = undefined;
    d.balanceCents = 0;
    if (decision.type === 'requestChanges') {
      await rt.transition('billing_changes_requested', by);
      return;
    }
    d.facts.cancelRequest = { actorId: decision.actorId, role: decision.role, reason: decision.reason ?? 'billing release rejected' };
    throw new BillingRejected();
  };

  const claimSubmission = async () => {
    const r = rt.referral;
    const encounter = d.facts.encounter as { serviceDate: string };
    if (d.facts.newClaimRequired) {
      // CO-16 + MA130 or a front-end rejection: the receivable (invoice) stays, the payer gets a new claim id.
      d.facts.newClaimRequired = false;
      d.claimAttempt++;
      d.claimIds = [...d.claimIds, claimIdFor(r.siteId, r.referralId, d.claimAttempt)];
    }
    const claimId = d.claimIds[d.claimIds.length - 1];
    await odoo.postInvoice({ invoiceId: d.invoiceId! });
    rt.record('invoice posted', { detail: `claim ${claimId}` });
    const filing = timelyFilingLadder({ planType: r.planType, serviceDate: encounter.serviceDate }, rt.slaContext);
    if (filing && Date.now() >= filing.dueAt) {
      await rt.openException('timely_filing', `timely filing deadline ${new Date(filing.breachAt).toISOString().slice(0, 10)} approaching`);
    }
    await rt.transition('claim_submitted', { detail: claimId });
  };

  const payerAdjudication = async () => {
    const r = rt.referral;
    const services = d.facts.services as ServiceLine[];
    const claimId = d.claimIds[d.claimIds.length - 1];
    const auth = d.facts.auth as { authNumber?: string } | undefined;
    const encounter = d.facts.encounter as { serviceDate: string };
    rt.setAwaiting(`payer adjudication of ${claimId} (child workflow)`);
    const child = await startChild(claimLifecycle, {
      workflowId: `${journeyId}/claim/${claimId}`,
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      staticSummary: `Claim ${claimId} · payer ${r.payerId}`,
      args: [
        {
          journeyId,
          siteId: r.siteId,
          payerId: r.payerId,
          planType: r.planType,
          claimId,
          invoiceId: d.invoiceId!,
          memberRef: r.patientRef,
          serviceDate: encounter.serviceDate,
          lines: services,
          priorAuthNumber: auth?.authNumber,
          frequencyCode: '1',
          sla: rt.slaContext,
          taskId: d.intakeTaskId,
          initialStatuses: links.claimStatus.handOver().filter((s) => s.claimId === claimId),
          initialRemittances: links.remittances.handOver().filter((m) => m.patientControlNumber === claimId),
        },
      ],
    });
    await Promise.all([links.claimStatus.attach(child), links.remittances.attach(child)]);
    const result: ClaimLifecycleResult = await child.result();
    links.claimStatus.detach();
    links.remittances.detach();
    d.paidCents += result.paidCents;
    d.writtenOffCents += result.contractualCents;
    d.balanceCents = result.patientResponsibilityCents + result.openCents;
    d.facts.claimResult = result;
    rt.publish();
    switch (result.outcome) {
      case 'paid':
        await rt.transition(d.balanceCents > 0 ? 'patient_balance_due' : 'claim_paid', { detail: `paid ${result.paidCents}` });
        return;
      case 'new_claim_required':
        // CO-16 + MA130: unprocessable, submit a new claim (no appeal) — back through claim submission.
        if (d.claimAttempt >= MAX_CLAIM_ATTEMPTS) {
          await writeOff(result.openCents + result.patientResponsibilityCents, `no clean claim after ${d.claimAttempt} attempts`);
          return;
        }
        d.facts.newClaimRequired = true;
        await rt.transition('claim_rejected', { detail: result.detail });
        return;
      case 'write_off_required':
        await writeOff(result.openCents, result.detail ?? 'denial not recoverable');
        return;
    }
  };

  const writeOff = async (amountCents: number, why: string) => {
    const requesterId = 'system';
    d.facts.pendingApproval = { kind: 'write_off', amountCents, requesterId } satisfies PendingApproval;
    d.facts.decision = undefined;
    await odoo.mirrorApproval({ journeyId, kind: 'write_off', amountCents, requesterId, status: 'pending', reason: why });
    await rt.openException('write_off_approval', `write-off of ${amountCents} cents: ${why}`);
    await rt.waitFor('write-off approval', () => d.facts.decision !== undefined, rt.stageLadder('patient_balance'));
    const decision = d.facts.decision as RecordedDecision;
    d.facts.pendingApproval = undefined;
    await rt.closeException('write_off_approval');
    await odoo.mirrorApproval({ journeyId, kind: 'write_off', amountCents, requesterId, status: decision.type === 'writeOffApprove' ? 'approved' : 'refused', approverId: decision.actorId, reason: decision.reason });
    if (decision.type === 'writeOffApprove') {
      await odoo.createCreditNote({ invoiceId: d.invoiceId!, amountCents, reason: decision.reason ?? why, key: `${d.claimIds[d.claimIds.length - 1]}/write-off` });
      d.writtenOffCents += amountCents;
      d.balanceCents = Math.max(0, d.balanceCents - amountCents);
      await rt.transition('written_off', { actor: decision.actorId, role: decision.role, reason: decision.reason });
    } else {
      await rt.transition('closed_with_balance', { actor: decision.actorId, role: decision.role, reason: decision.reason });
    }
  };

  const patientResponsibility = async () => {
    const r = rt.referral;
    rt.setAwaiting('patient balance (child workflow)');
    const attempt = ((d.facts.balanceAttempts as number | undefined) ?? 0) + 1;
    d.facts.balanceAttempts = attempt;
    const child = await startChild(patientBalance, {
      workflowId: `${journeyId}/balance/${attempt}`,
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      staticSummary: `Patient balance · site ${r.siteId}`,
      args: [
        {
          journeyId,
          siteId: r.siteId,
          invoiceId: d.invoiceId!,
          balanceCents: d.balanceCents,
          statementDays: d.options.statementDays,
          nonProfit501r: d.options.nonProfit501r,
          sla: rt.slaContext,
          paymentKeyPrefix: d.claimIds[d.claimIds.length - 1],
          initialPayments: links.payments.handOver(),
          initialDisputes: links.disputes.handOver(),
        },
      ],
    });
    await Promise.all([links.payments.attach(child), links.disputes.attach(child)]);
    const result: PatientBalanceResult = await child.result();
    links.payments.detach();
    links.disputes.detach();
    d.patientPaidCents += result.paidCents;
    d.balanceCents = result.balanceCents;
    rt.publish();
    if (result.balanceCents === 0) await rt.transition('patient_paid', { detail: `patient paid ${result.paidCents}` });
    else await writeOff(result.balanceCents, 'patient balance uncollectible after the statement cycle');
  };

  const posting = async () => {
    await rt.transition('posting_reconciled', { detail: `paid ${d.paidCents}, patient ${d.patientPaidCents}, adjusted ${d.writtenOffCents}` });
  };

  const stages: Record<JourneyStage, () => Promise<void>> = {
    intake,
    eligibility,
    prior_auth: priorAuthorization,
    scheduling,
    service,
    coding,
    billing_approval: billingApproval,
    claim_submission: claimSubmission,
    payer_adjudication: payerAdjudication,
    patient_balance: patientResponsibility,
    posting,
  };

  // ---- run: wait for the referral, then walk the stages -------------------------------------------------------------

  try {
    scope = new CancellationScope();
    await scope.run(async () => {
      if (d.stage === 'awaiting_referral') {
        rt.setAwaiting('referral');
        await condition(() => d.referral !== undefined);
        await rt.enterFirstStage();
      }
      while (!isTerminal(d.stage as JourneyStage)) {
        await rt.gate();
        if (rt.historyIsLong()) {
          await condition(allHandlersFinished);
          await continueAsNew<typeof referralJourney>({ siteId: d.siteId, referralId: d.referralId, carried: d });
        }
        const stage = d.stage as JourneyStage;
        try {
          await stages[stage]();
        } catch (err) {
          // A cancelled activity surfaces as an ActivityFailure too: cancellation must propagate, not hold the journey.
          if (isCancellation(err) || !(err instanceof ActivityFailure || err instanceof ChildWorkflowFailure)) throw err;
          rt.holdOnFailure(stage, failureSummary(err));
        }
      }
    });
  } catch (err) {
    if (!isCancellation(err) && !(err instanceof BillingRejected)) throw err;
    await CancellationScope.nonCancellable(() => compensate(rt));
  }
  return close(rt);
}

/** The root cause of an activity/child failure, for the operator (type + message, no payloads). */
function failureSummary(err: ActivityFailure | ChildWorkflowFailure): string {
  let cause: unknown = err;
  while ((cause as { cause?: unknown }).cause) cause = (cause as { cause?: unknown }).cause;
  const type = cause instanceof ApplicationFailure && cause.type ? `${cause.type}: ` : '';
  return `${type}${(cause as Error).message}`;
}

export const PATCH_CLOSE_CLEARS_EXCEPTIONS = 'close-clears-exceptions';

/** New claims after an unprocessable/rejected one before the balance goes to write-off approval. */
const MAX_CLAIM_ATTEMPTS = 3;

class BillingRejected extends Error {
  constructor() {
    super('billing release rejected');
    this.name = 'BillingRejected';
  }
}

/** Cancel: void the draft invoice (if any) and close the journey as cancelled. */
async function compensate(rt: JourneyRuntime): Promise<void> {
  const d = rt.data;
  if (d.invoiceId !== undefined) {
    const voided = await odoo.voidDraftInvoice({ invoiceId: d.invoiceId });
    rt.record(voided.voided ? 'draft invoice voided' : 'invoice not voided', { detail: `invoice ${d.invoiceId}: ${voided.state}` });
  }
  const who = (d.facts.cancelRequest as { actorId?: string; role?: string; reason?: string } | undefined) ?? {};
  if (d.stage === 'awaiting_referral') d.stage = 'cancelled';
  else await rt.transition('cancelled', { actor: who.actorId, role: who.role, reason: who.reason });
  d.balanceCents = 0;
}

async function close(rt: JourneyRuntime): Promise<JourneyOutcome> {
  const d = rt.data;
  const outcome: JourneyOutcome = {
    state: d.stage as JourneyOutcome['state'],
    paidCents: d.paidCents,
    patientPaidCents: d.patientPaidCents,
    writtenOffCents: d.writtenOffCents,
    balanceCents: d.balanceCents,
  };
  d.facts.outcome = outcome.state;
  if (patched(PATCH_CLOSE_CLEARS_EXCEPTIONS)) {
    // A closed journey is no longer a work item: its queues leave ExceptionQueue (the Odoo tickets stay).
    d.exceptions = [];
  }
  rt.setAwaiting('nothing (closed)');
  const startedAt = Date.parse(d.timeline[0]?.at ?? new Date(Date.now()).toISOString());
  await notify.recordKpi({ name: 'journey_closed', siteId: d.siteId, payerId: d.referral?.payerId, outcome: outcome.state, valueMs: Date.now() - startedAt });
  await rt.mirrorTimeline();
  await condition(allHandlersFinished);
  return outcome;
}
