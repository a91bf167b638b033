import { condition, defineQuery, isCancellation, setHandler } from '@temporalio/workflow';
import {
  PostingError,
  appealLadder,
  appealNoticeDate,
  localDate,
  claimStatusLadder,
  computeLadder,
  EMPTY_LEDGER,
  isWorkableDenial,
  ledgerTotals,
  routeDenial,
  planPosting,
  applyPosting,
  type ClaimStatus,
  type DenialRoute,
  type PlanType,
  type PostingLedger,
  type PostingPlan,
  type RemittanceMessage,
  type ServiceLine,
  type SlaContext,
  type SlaLadder,
} from '../domain';
import { claimFilingIndicator } from '../domain/x12/claimFiling';
import { notify, odoo, payer } from './proxies';
import { childWaitFor } from './childClock';
import { ParentReporter, type WithDeferredReports } from './childReports';
import { claimStatus, remittance } from './messages';
import { adoptPatchLevel, isPatched } from './runtime/patchLevel';

/**
 * One claim's life at the payer (DOMAIN.md "Claims", "Remittance", "Denial routing"): submit the 837P, follow up
 * on status when the prompt-payment window runs out, post each 835 claim payment exactly once (idempotent by
 * TRN02|CLP01|CLP07|CLP02), route denials by CARC/RARC to work queues, and settle. Reversals (CLP02=22) followed by a
 * corrected payment net out in the ledger; Odoo receives only the net change of each batch.
 */
export interface ClaimLifecycleInput {
  journeyId: string;
  /** the journey's patch level (runtime/patchLevel.ts); absent when an older journey started this child */
  patchLevel?: number;
  siteId: string;
  payerId: string;
  planType: PlanType;
  claimId: string;
  invoiceId: number;
  memberRef: string;
  serviceDate: string;
  lines: ServiceLine[];
  priorAuthNumber?: string;
  frequencyCode: '1' | '7' | '8';
  sla: SlaContext;
  taskId?: number;
  initialStatuses: ClaimStatus[];
  initialRemittances: RemittanceMessage[];
  /** CLP02 codes this claim takes (absent: all). A journey with a second coverage splits primary from secondary. */
  acceptStatuses?: string[];
  /** the primary crossed the claim over (CLP02 19/20/21): nothing to submit, wait for the secondary's 835 */
  crossover?: boolean;
  /** a secondary claim: the primary's adjudication for the 837's 2320/2330 loops */
  coordination?: SecondaryCoordination;
  /** REF*F8 of a replacement (7) or void (8): the payer's claim control number of the claim it replaces */
  payerClaimControlNumber?: string;
}

/** What the journey must do to get a clean claim to the payer after a rejection or a fixable denial. */
export interface ClaimCorrection {
  /** 7: replace the claim the payer knows (REF*F8); 1: a new claim (the payer never took it in) */
  frequencyCode: '1' | '7';
  payerClaimControlNumber?: string;
  /** 999 / 277CA rejection, or a CO-16 denial asking for a fix */
  cause: '999' | '277CA' | 'denial';
  /** codes only (no PHI): e.g. "277CA A7:562:85" */
  reason: string;
}

/** What the secondary payer must see of the primary's adjudication (837P loops 2320/2330, from the primary's 835). */
export interface SecondaryCoordination {
  primaryPayerId: string;
  primaryPlanType: PlanType;
  primaryClaimId: string;
  primaryPaidCents: number;
  /** the primary's remittance date (YYYY-MM-DD) */
  adjudicationDate: string;
  /** the primary's claim-level CAS, as the secondary must see them (group, CARC, amount) */
  claimAdjustments: { group: string; reason: string; amountCents: number }[];
}

export interface ClaimLifecycleResult {
  outcome: 'paid' | 'new_claim_required' | 'write_off_required';
  paidCents: number;
  contractualCents: number;
  patientResponsibilityCents: number;
  /** charge not paid, not adjusted and not the patient's: what a write-off would cover */
  openCents: number;
  detail?: string;
  denialQueues: string[];
  /** every payment registered in Odoo for this claim, by memo (absent in results of older builds) */
  payments?: { memo: string; amountCents: number }[];
  /** every contractual credit note created in Odoo for this claim, by key */
  credits?: { key: string; amountCents: number }[];
  /** a contractual adjustment above the auto limit: not credited; the journey asks for approval first */
  pendingContractual?: { amountCents: number; key: string };
  /** remittance message ids this claim took (posted, or recognised as duplicates) */
  appliedMessageIds?: string[];
  /** CLP02 19/20/21: the payer forwarded the claim to the next payer (crossover); the patient's share waits for it */
  forwardedToNextPayer?: boolean;
  /** the last remittance's date and claim-level adjustments (a secondary claim's coordination data) */
  adjudication?: { date?: string; adjustments: { group: string; reason: string; amountCents: number }[] };
  /** set with new_claim_required when a corrected claim (after a coder's fix) is the way forward */
  correction?: ClaimCorrection;
}

export const PATCH_DENIAL_ADJUDICATED_KPI = 'kpi-denial-adjudicated';
export const PATCH_SETTLE_AFTER_EMPTY_BATCH = 'settle-after-empty-batch';
export const PATCH_NET_PER_TRACE = 'register-net-per-trace';
/** Issue 11: ordinary adjustments / unknown codes on a paid claim settle as paid (flagged), partial denials split. */
export const PATCH_REMIT_CLASSIFICATION = 'remit-classification-v2';
/** Issue 12: 999/277CA rejections open a claim_rejection exception and ask for a corrected claim; so does CO-16 without MA130. */
export const PATCH_CLAIM_CORRECTIONS = 'claim-acknowledgments-and-corrections';
/** Issue 11: appeal window from the remittance date (BPR16/DTM*405) in the site's zone, by plan type (MA 65, Medicaid MC 60). */
export const PATCH_APPEAL_FROM_NOTICE = 'appeal-window-from-notice';

/** How long a paid claim waits for more of the same remittance before it settles. */
export const SETTLE_QUIET_PERIOD = '10 minutes';

export const claimLifecycleState = defineQuery<{ phase: string; ledger: PostingLedger; denialQueues: string[] }>('claimLifecycleState');

export async function claimLifecycle(input: ClaimLifecycleInput): Promise<ClaimLifecycleResult & WithDeferredReports> {
  adoptPatchLevel(input.patchLevel);
  const reporter = new ParentReporter();
  return reporter.run(() => runClaimLifecycle(input, reporter));
}

async function runClaimLifecycle(input: ClaimLifecycleInput, reporter: ParentReporter): Promise<ClaimLifecycleResult> {
  const target = { journeyId: input.journeyId, siteId: input.siteId, stage: 'payer_adjudication', payerId: input.payerId, taskId: input.taskId };
  const waitFor = childWaitFor(reporter, target);
  const chargeCents = input.lines.reduce((s, l) => s + l.chargeCents, 0);
  const remits: RemittanceMessage[] = [];
  const statuses: ClaimStatus[] = [];
  const seen = new Set<string>();
  const take = <T extends { messageId: string }>(into: T[], matches: (m: T) => boolean) => (m: T) => {
    if (!matches(m) || seen.has(m.messageId)) return;
    seen.add(m.messageId);
    into.push(m);
  };
  const takeRemit = take(remits, (m: RemittanceMessage) => m.patientControlNumber === input.claimId && (!input.acceptStatuses || input.acceptStatuses.includes(m.status)));
  const takeStatus = take(statuses, (m: ClaimStatus) => m.claimId === input.claimId);
  input.initialRemittances.forEach(takeRemit);
  input.initialStatuses.forEach(takeStatus);
  setHandler(remittance, takeRemit);
  setHandler(claimStatus, takeStatus);
  let phase = 'submitting';
  let forwarded = false;
  let adjudication: ClaimLifecycleResult['adjudication'];
  let correction: ClaimCorrection | undefined;
  /** the last plan posted to the ledger (a corrected claim names its payer claim control number) */
  let lastPlan: PostingPlan | undefined;
  // Declared before the submission: settle() may run on a front-end rejection, before any remittance.
  let processed = 0;
  /** ledger totals as last mirrored to Odoo, and the plans posted to the ledger since */
  let mirrored = ledgerTotals(EMPTY_LEDGER);
  let unposted: PostingPlan[] = [];
  const registered: { memo: string; amountCents: number }[] = [];
  const credited: { key: string; amountCents: number }[] = [];
  const taken: string[] = [];
  let pendingContractual: { amountCents: number; key: string } | undefined;
  let paymentDate: string | undefined;
  let denialLadder: SlaLadder | undefined;
  let denialFallback: string | undefined;
  let ledger: PostingLedger = EMPTY_LEDGER;
  const denialQueues: string[] = [];
  setHandler(claimLifecycleState, () => ({ phase, ledger, denialQueues }));

  // 1. Submit (idempotent at the payer by claim id + frequency code); a crossover claim is already at the secondary.
  if (input.crossover) {
    await reporter.timeline(`claim ${input.claimId} crossed over to payer ${input.payerId}`, { actor: `payer:${input.payerId}` });
  } else {
    const ack = await payer.submitClaim({
      claimId: input.claimId,
      payerId: input.payerId,
      frequencyCode: input.frequencyCode,
      memberRef: input.memberRef,
      serviceDate: input.serviceDate,
      lines: input.lines.map((l) => ({ code: l.code, modifiers: l.modifiers, icd10: l.icd10, units: l.units, chargeCents: l.chargeCents })),
      ...(input.priorAuthNumber ? { priorAuthNumber: input.priorAuthNumber } : {}),
      ...(input.payerClaimControlNumber ? { payerClaimControlNumber: input.payerClaimControlNumber } : {}),
      // SBR09 from the plan type; the patient's demographics are read by the activity from Odoo by this ref
      planType: input.planType,
      patientRef: input.memberRef,
      ...(input.coordination ? { cob: cobOf(input.coordination, input.memberRef) } : {}),
    });
    const receipt = ack.acknowledgment;
    const ccn = receipt?.claim?.payerClaimControlNumber;
    await reporter.timeline(`claim ${input.claimId} ${ack.status}`, { actor: `payer:${input.payerId}`, detail: [ack.acknowledgementId, ccn ? `277CA CCN ${ccn}` : '', receipt?.reason ?? ''].filter(Boolean).join(' · ') });
    await notify.recordKpi({ name: 'claim_submitted', siteId: input.siteId, payerId: input.payerId, valueMs: Date.now() - Date.parse(input.serviceDate), outcome: ack.status });
    if ((ack.status === 'rejected' || receipt?.rejected) && isPatched(PATCH_CLAIM_CORRECTIONS)) {
      // A clearinghouse rejection (999 R/E with errors, 277CA A3/A7…): the claim never entered adjudication. The
      // coder fixes it; a claim the payer numbered is replaced (7 + REF*F8), one it never took is sent anew (1).
      const cause = receipt?.rejectedBy ?? '999';
      const reason = receipt?.reason ?? ack.errors.join('; ').slice(0, 300);
      await reporter.send({ kind: 'exception', op: 'open', queue: 'claim_rejection', reason: `${cause} rejection: ${reason}`, ref: input.claimId });
      await odoo.openTicket({ journeyId: input.journeyId, queue: 'claim_rejection', title: `Claim ${input.claimId} rejected (${cause})`, description: `${reason}. Correct the claim and release the corrected claim.`, priority: 'high' });
      correction = ccn && cause === '277CA' ? { frequencyCode: '7', payerClaimControlNumber: ccn, cause, reason } : { frequencyCode: '1', cause, reason };
      return settle('new_claim_required', `front-end rejection (${cause}): ${reason}`);
    }
    if (ack.status === 'rejected') {
      return settle('new_claim_required', `front-end rejection: ${ack.errors.join('; ')}`);
    }
  }
  const submittedAt = Date.now();

  // 2. Wait for remittances; follow up on status at the warn rung of the prompt-payment clock.

  // 2. Wait for remittances; follow up on status at the warn rung of the prompt-payment clock.
  for (;;) {
    phase = denialLadder ? 'working denial' : 'awaiting remittance';
    const ladder = denialLadder ?? claimStatusLadder(submittedAt, input.sla);
    const followUp = followUpStatus(ladder.warnAt);
    // An appealable denial waits for the appeal's outcome until its filing window closes; then the fallback applies.
    const windowClosed = () => denialFallback !== undefined && Date.now() >= ladder.breachAt;
    await waitFor(denialLadder ? `denial worked for ${input.claimId}` : `remittance for ${input.claimId}`, () => remits.length > processed || windowClosed(), ladder);
    await followUp;
    if (remits.length === processed && windowClosed()) {
      await reporter.timeline('appeal window closed', { detail: `${denialFallback} (${ladder.rule})` });
      if (denialFallback === 'write_off_approval') return settle('write_off_required', `appeal window closed (${ladder.rule})`);
      denialFallback = undefined;
    }

    // Post the batch that arrived; Odoo gets the net payment change of the batch (a reversal + correction nets out).
    const batch = remits.slice(processed);
    processed = remits.length;
    const plans: PostingPlan[] = [];
    for (const m of batch) {
      const plan = planPosting(m);
      if (plan.exceptions.length > 0) {
        // An unbalanced or inconsistent remit goes to the exception queue, never posted silently (DOMAIN.md).
        await reporter.send({ kind: 'exception', op: 'open', queue: 'cash_posting_team', reason: `remit exception: ${plan.exceptions.join(', ')}`, ref: plan.idempotencyKey });
        await odoo.openTicket({ journeyId: input.journeyId, queue: 'cash_posting_team', title: `Remit exception ${plan.idempotencyKey}`, description: plan.exceptions.join(', '), priority: 'high' });
        taken.push(m.messageId);
        continue;
      }
      paymentDate = m.paymentDate ?? paymentDate;
      let next: PostingLedger;
      try {
        next = applyPosting(ledger, plan);
      } catch (err) {
        if (!(err instanceof PostingError)) throw err;
        // The same posting key with other amounts: a payer correction we cannot net automatically.
        taken.push(m.messageId);
        await reporter.send({ kind: 'exception', op: 'open', queue: 'cash_posting_team', reason: `remit conflict: ${err.message}`, ref: plan.idempotencyKey });
        await odoo.openTicket({ journeyId: input.journeyId, queue: 'cash_posting_team', title: `Remit conflict ${plan.idempotencyKey}`, description: err.message, priority: 'high' });
        continue;
      }
      taken.push(m.messageId);
      if (next !== ledger && plan.kind === 'payment') {
        forwarded = forwarded || plan.forwardedToNextPayer;
        adjudication = { ...(m.paymentDate ? { date: m.paymentDate } : {}), adjustments: adjustmentsOf(m) };
      }
      if (next === ledger) {
        await reporter.timeline(`duplicate remittance ignored`, { detail: plan.idempotencyKey });
        continue;
      }
      ledger = next;
      lastPlan = plan;
      plans.push(plan);
      await reporter.timeline(`remittance posted: ${plan.kind}`, { actor: `payer:${input.payerId}`, detail: `${plan.idempotencyKey} paid ${plan.paymentCents}` }, { promptly: true });
    }
    // A batch with nothing new (duplicates, exceptions) must not cancel a settlement already under way.
    if (plans.length === 0 && !(unposted.length > 0 && isPatched(PATCH_SETTLE_AFTER_EMPTY_BATCH))) continue;
    unposted.push(...plans);
    const last = unposted[unposted.length - 1];
    // A reversal waits for its corrected claim (normally in the same 835); nothing reaches Odoo until the claim
    // settles or is worked as a denial, so Odoo receives the net change once.
    if (last.kind === 'reversal' || last.kind === 'forwarded' || last.kind === 'predetermination') continue;

    const workable = last.denialRoutes.filter(isWorkableDenial);
    if ((last.reviewFlags.length > 0 || last.denialScope === 'partial') && isPatched(PATCH_REMIT_CLASSIFICATION)) {
      // Ordinary adjustments are not denials (DOMAIN.md second pass): an unknown code on a paid claim was posted as an
      // adjustment and is flagged for review. A paid claim with a denied line is not a denied claim: the paid part
      // and its adjustments post now, the denied line goes to denial work (it stays payer A/R, never the patient's).
      await flagForReview(last);
      if (last.denialScope === 'partial') {
        await postToOdoo();
        await notify.recordKpi({ name: 'claim_adjudicated', siteId: input.siteId, payerId: input.payerId, valueCents: ledgerTotals(ledger).paymentCents, outcome: 'partial' });
        await reporter.timeline('partial denial: denied line to denial work, rest posted', { detail: workable.map((r) => `${r.group}-${r.reason} ${r.amountCents}`).join(', ') });
        const decision = await workDenial(workable);
        if (decision) return decision;
        continue;
      }
      if (await condition(() => remits.length > processed, SETTLE_QUIET_PERIOD)) continue;
      await postToOdoo();
      await notify.recordKpi({ name: 'claim_adjudicated', siteId: input.siteId, payerId: input.payerId, valueCents: ledgerTotals(ledger).paymentCents, outcome: 'paid' });
      return settle('paid');
    }
    for (const route of last.denialRoutes.filter((r) => !r.known)) {
      await notify.recordKpi({ name: 'unknown_denial_code', siteId: input.siteId, payerId: input.payerId, queue: route.queue, outcome: `${route.group}-${route.reason}` });
    }
    // A denial whose every adjustment is the patient's (PR) or contractual is settled as patient responsibility;
    // one with no adjustment reason at all goes to general review.
    const unexplainedDenial = last.kind === 'denial' && last.denialRoutes.length === 0 && last.patientResponsibilityCents === 0;
    if (workable.length > 0 || unexplainedDenial) {
      await notify.recordKpi({ name: 'claim_denied', siteId: input.siteId, payerId: input.payerId, queue: workable[0]?.queue ?? 'general_review' });
      // Denial rate = denied ÷ adjudicated: a denial is an adjudication too (patched in after histories were recorded).
      if (isPatched(PATCH_DENIAL_ADJUDICATED_KPI)) {
        await notify.recordKpi({ name: 'claim_adjudicated', siteId: input.siteId, payerId: input.payerId, valueCents: ledgerTotals(ledger).paymentCents, outcome: 'denied' });
      }
      await postToOdoo();
      const decision = await workDenial(workable.length ? workable : [routeDenial({ group: 'OA', reason: 'UNSPECIFIED' })]);
      if (decision) return decision;
      continue;
    }
    // Quiet period before settling: the rest of the same 835 (a reversal + correction pair) posts as the next
    // batch instead of arriving after the claim has closed.
    if (await condition(() => remits.length > processed, SETTLE_QUIET_PERIOD)) continue;
    await postToOdoo();
    await notify.recordKpi({ name: 'claim_adjudicated', siteId: input.siteId, payerId: input.payerId, valueCents: ledgerTotals(ledger).paymentCents, outcome: 'paid' });
    return settle('paid');
  }

  /**
   * Status inquiry (276/277) when no remittance came by the follow-up point; its answer reaches the journey at once
   * (the claim keeps waiting). It never rejects: it runs beside the
   * wait, and a failed inquiry (e.g. the payer answers 404 for good) is recorded for the claims team, not left as
   * an unhandled rejection that would fail every later workflow task.
   */
  async function followUpStatus(at: number): Promise<void> {
    if (await condition(() => remits.length > processed, Math.max(1, at - Date.now()))) return;
    try {
      const st = await payer.getClaimStatus({ claimId: input.claimId, payerId: input.payerId });
      await reporter.timeline(`claim status inquiry: ${st.statusCategory}`, { actor: `payer:${input.payerId}`, detail: st.statusCode }, { promptly: true });
    } catch (err) {
      if (isCancellation(err)) throw err;
      await reporter.timeline('claim status inquiry failed', { actor: `payer:${input.payerId}`, detail: rootMessage(err) }, { promptly: true });
    }
  }

  /** Mirror the ledger's net change since the last mirror to Odoo: payment registered, contract write-off credited. */
  async function postToOdoo(): Promise<void> {
    if (unposted.length === 0) return;
    const last = unposted[unposted.length - 1];
    const key = last.idempotencyKey;
    const after = ledgerTotals(ledger);
    const netPaid = after.paymentCents - mirrored.paymentCents;
    const netContractual = after.writeOffCents - mirrored.writeOffCents;
    const traces = [...new Set(unposted.map((p) => p.traceNumber))];
    if (netPaid !== 0 && traces.length > 1 && isPatched(PATCH_NET_PER_TRACE)) {
      // Plans from several 835s (e.g. a payment, then its reversal and correction in a later file): post the net of
      // each trace under its own memo, so every Odoo payment ties to one bank deposit (reconciliation's TRN02 check).
      for (const trace of traces) {
        const net = unposted.filter((p) => p.traceNumber === trace).reduce((sum, p) => sum + p.paymentCents, 0);
        const planOfTrace = unposted.filter((p) => p.traceNumber === trace).pop()!;
        if (net > 0) await register(`${trace}/${planOfTrace.claimId}`, net);
        if (net < 0) await recoupment(-net, planOfTrace.idempotencyKey);
      }
    } else if (netPaid > 0) {
      await register(`${last.traceNumber}/${last.claimId}`, netPaid);
    } else if (netPaid < 0) {
      await recoupment(-netPaid, key);
    }
    if (last.needsWriteOffApproval && netContractual > 0) {
      // Above the auto limit: nothing is credited until an approver agrees; the journey asks (writeOff stage).
      pendingContractual = { amountCents: netContractual, key: `${key}/CO` };
      mirrored = { ...after, writeOffCents: mirrored.writeOffCents };
      unposted = [];
      return;
    } else if (netContractual > 0) {
      await odoo.createCreditNote({ invoiceId: input.invoiceId, amountCents: netContractual, reason: 'contractual adjustment (CAS CO)', key: `${key}/CO` });
      credited.push({ key: `${key}/CO`, amountCents: netContractual });
    }
    mirrored = after;
    unposted = [];
  }

  /** Register a payer payment in Odoo under its memo (a memo used before gets a suffix, never a silent no-op). */
  async function register(base: string, amountCents: number): Promise<void> {
    const memo = registered.some((p) => p.memo === base) ? `${base}#${registered.length + 1}` : base;
    await odoo.registerPayment({ invoiceId: input.invoiceId, amountCents, memo, date: paymentDate ?? localDate(Date.now(), input.sla.calendar.timeZone) });
    registered.push({ memo, amountCents });
  }

  /** A recoupment without a correction: cash posting unapplies the payment in Odoo. */
  async function recoupment(amountCents: number, key: string): Promise<void> {
    await reporter.send({ kind: 'exception', op: 'open', queue: 'cash_posting_team', reason: `recoupment of ${amountCents} cents`, ref: key });
    await odoo.openTicket({ journeyId: input.journeyId, queue: 'cash_posting_team', title: `Recoupment on ${input.claimId}`, description: `Payer reversal ${key}: ${amountCents} cents`, priority: 'high' });
  }

  /** Unknown adjustment codes on a paid claim: posted as adjustments; a low-priority review ticket, not denial work. */
  async function flagForReview(plan: PostingPlan): Promise<void> {
    for (const f of plan.reviewFlags) {
      await notify.recordKpi({ name: 'unknown_denial_code', siteId: input.siteId, payerId: input.payerId, queue: 'general_review', outcome: `${f.group}-${f.reason}` });
      await odoo.openTicket({ journeyId: input.journeyId, queue: 'general_review', title: `Review adjustment ${f.group}-${f.reason} on ${input.claimId}`, description: `Unknown CARC posted as an adjustment of ${f.amountCents} cents (${plan.idempotencyKey})`, priority: 'low' });
    }
    if (plan.reviewFlags.length > 0) await reporter.timeline('adjustments flagged for review', { detail: plan.reviewFlags.map((f) => `${f.group}-${f.reason}`).join(',') });
  }

  /** Route a denial to its queue(s); returns a result when the journey must act (new claim, write-off). */
  async function workDenial(routes: DenialRoute[]): Promise<ClaimLifecycleResult | undefined> {
    for (const route of routes) {
      if (!denialQueues.includes(route.queue)) denialQueues.push(route.queue);
      const title = `${route.group}-${route.reason}${route.refinedBy ? ` ${route.refinedBy}` : ''}: ${route.action}`;
      await reporter.send({ kind: 'exception', op: 'open', queue: route.queue, reason: title, ref: input.claimId });
      await odoo.openTicket({ journeyId: input.journeyId, queue: route.queue, title, description: `${route.description} (claim ${input.claimId})`, priority: route.appealable ? 'high' : 'normal' });
    }
    if (routes.some((r) => r.action === 'new_claim')) return settle('new_claim_required', 'CO-16 + MA130: unprocessable, submit a new claim');
    const fix = routes.find((r) => r.action === 'corrected_claim' && r.reason === '16');
    const plan = lastPlan;
    if (fix && plan && isPatched(PATCH_CLAIM_CORRECTIONS)) {
      // CO-16 without MA130: the payer adjudicated the claim and asks for the missing information — a replacement
      // claim (7) naming its claim control number, once a coder has fixed it.
      correction = { frequencyCode: '7', payerClaimControlNumber: plan.payerClaimControlNumber, cause: 'denial', reason: `${fix.group}-${fix.reason}${fix.refinedBy ? ` ${fix.refinedBy}` : ''}` };
      return settle('new_claim_required', `${correction.reason}: corrected claim`);
    }
    if (routes.some((r) => r.action === 'write_off_approval')) return settle('write_off_required', routes.map((r) => `${r.group}-${r.reason}`).join(','));
    // Other routes are worked by people (appeal, corrected claim, records, coverage); the outcome arrives as a
    // new remittance within the appeal window. The queue SLA runs alongside.
    // Appealable denials run on the appeal filing window; the rest on the queue's working SLA (business days).
    await reporter.timeline('denial routed', { detail: routes.map((r) => `${r.queue}/${r.action}`).join(', ') });
    denialFallback = routes.find((r) => r.appealable && r.fallbackAction)?.fallbackAction;
    denialLadder = routes.some((r) => r.appealable)
      ? appealWindow()
      : computeLadder('internal_denial_queue', Date.now(), input.sla, { amount: Math.min(...routes.map((r) => r.slaDays)) });
    return undefined;
  }

  /**
   * The appeal filing window counts from the notice: the remittance's date (BPR16/DTM*405) as a calendar date at the
   * site, else today's local date there (DOMAIN.md second pass). Before the patch: the UTC date of workflow time and
   * the payer's default window for MA / Medicaid managed care.
   */
  function appealWindow(): SlaLadder {
    if (isPatched(PATCH_APPEAL_FROM_NOTICE)) {
      return appealLadder({ planType: input.planType, noticeDate: appealNoticeDate(paymentDate, Date.now(), input.sla) }, input.sla);
    }
    const legacyDate = new Date(Date.now()).toISOString().slice(0, 10);
    const legacyPlan: PlanType = input.planType === 'medicare_advantage' || input.planType === 'medicaid_managed' ? 'commercial' : input.planType;
    return appealLadder({ planType: legacyPlan, noticeDate: legacyDate }, input.sla);
  }

  function settle(outcome: ClaimLifecycleResult['outcome'], detail?: string): ClaimLifecycleResult {
    phase = `settled: ${outcome}`;
    const totals = ledgerTotals(ledger);
    const openCents = Math.max(0, chargeCents - totals.paymentCents - totals.writeOffCents - totals.patientResponsibilityCents);
    return {
      outcome,
      paidCents: totals.paymentCents,
      contractualCents: totals.writeOffCents,
      patientResponsibilityCents: totals.patientResponsibilityCents,
      openCents,
      ...(detail ? { detail } : {}),
      denialQueues,
      payments: [...registered],
      credits: [...credited],
      ...(pendingContractual ? { pendingContractual } : {}),
      appliedMessageIds: [...taken],
      ...(forwarded ? { forwardedToNextPayer: true } : {}),
      ...(correction ? { correction } : {}),
      ...(adjudication ? { adjudication } : {}),
    };
  }
}

/** Every CAS of a remittance (claim and service level), summed per group + reason: what a next payer must see. */
function adjustmentsOf(m: RemittanceMessage): { group: string; reason: string; amountCents: number }[] {
  const sums = new Map<string, { group: string; reason: string; amountCents: number }>();
  for (const a of [...m.adjustments, ...m.services.flatMap((s) => s.adjustments)]) {
    const key = `${a.group}-${a.reason}`;
    const row = sums.get(key) ?? { group: a.group, reason: a.reason, amountCents: 0 };
    row.amountCents += a.amountCents;
    sums.set(key, row);
  }
  return [...sums.values()].filter((a) => a.amountCents !== 0);
}

function rootMessage(err: unknown): string {
  let cause = err as { cause?: unknown; message?: string; type?: string };
  while (cause.cause) cause = cause.cause as typeof cause;
  return `${cause.type ? `${cause.type}: ` : ''}${cause.message ?? String(err)}`.slice(0, 300);
}

/**
 * The 2320/2330 facts of a secondary claim (005010X222A1): the primary as the other payer (SBR01 P), its payment and
 * adjustments; the other subscriber by member id only — the activity reads names from the system of record.
 */
function cobOf(c: SecondaryCoordination, memberRef: string): NonNullable<Parameters<typeof payer.submitClaim>[0]['cob']> {
  return {
    otherPayer: { id: c.primaryPayerId, name: c.primaryPayerId, filingIndicator: claimFilingIndicator(c.primaryPlanType) },
    otherSubscriber: { memberId: memberRef, relationship: '18' },
    paidCents: c.primaryPaidCents,
    adjudicationDate: c.adjudicationDate,
    claimAdjustments: c.claimAdjustments.map((a) => ({ group: a.group as 'CO', reason: a.reason, amountCents: a.amountCents })),
  };
}
