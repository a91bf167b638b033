import { DEFAULT_DENIAL_ROUTING, isWorkableDenial, routeDenial, type DenialRoute, type DenialRoutingConfig } from '../denials/route';
import { assertCents, sumCents, type Cents } from '../money';
import type { RemitAdjustment, RemittanceClaim } from '../schemas/payer';

/**
 * Posting plan for one 835 claim payment (CLP loop) — DOMAIN.md "Remittance (X12 835, 005010X221A1)".
 *
 * Input: RemittanceClaim (schemas/payer.ts), a minimal structural shape the X12 mapper's output is adapted to:
 * { traceNumber (TRN02), patientControlNumber (CLP01), status (CLP02), chargeCents (CLP03), paidCents (CLP04),
 *   patientResponsibilityCents (CLP05), payerClaimControlNumber (CLP07), adjustments (claim CAS),
 *   services[].adjustments (service CAS), remarkCodes (RARCs) }.
 */
export type RemittanceClaimInput = Pick<
  RemittanceClaim,
  'traceNumber' | 'patientControlNumber' | 'status' | 'chargeCents' | 'paidCents' | 'patientResponsibilityCents' | 'payerClaimControlNumber' | 'adjustments' | 'services' | 'remarkCodes'
>;

export type PostingKind = 'payment' | 'reversal' | 'denial' | 'forwarded' | 'predetermination';

/** CLP02 (5010) → posting kind: 1/2/3/19/20/21 processed, 4 denied, 22 reversal, 23 not our claim, 25 predetermination. */
export const CLP02_KIND: Readonly<Record<string, PostingKind>> = {
  '1': 'payment',
  '2': 'payment',
  '3': 'payment',
  '19': 'payment',
  '20': 'payment',
  '21': 'payment',
  '4': 'denial',
  '22': 'reversal',
  '23': 'forwarded',
  '25': 'predetermination',
};

export type PostingException =
  /** CLP03 − ΣCAS(claim) − ΣCAS(services) ≠ CLP04 */
  | 'unbalanced_claim'
  /** SVC02 − ΣCAS(service) ≠ SVC03 */
  | 'unbalanced_service'
  /** CLP05 ≠ ΣPR */
  | 'patient_responsibility_mismatch'
  /** CLP02 22 with positive charge or payment */
  | 'reversal_not_negative'
  | 'unknown_status';

export interface PlannedDenial extends DenialRoute {
  amountCents: Cents;
  level: 'claim' | 'service';
  serviceIndex?: number;
}

export type PostingActionType =
  | 'register_payment'
  | 'reverse_payment'
  | 'contractual_write_off'
  | 'transfer_to_patient'
  | 'open_denial'
  /** an adjustment with a CARC missing from the table on a paid claim: posted as a write-off, flagged for review */
  | 'flag_for_review'
  /** CLP02 19/20/21: the patient's share waits for the secondary payer's answer (crossover) */
  | 'hold_patient_for_secondary'
  | 'notify_forwarded'
  | 'record_predetermination';

/** One Odoo-facing step; `ref` is its business key (search by ref before create, ENGINEERING.md). */
export interface PostingAction {
  type: PostingActionType;
  amountCents: Cents;
  ref: string;
  needsApproval?: boolean;
  denial?: PlannedDenial;
}

export interface PostingPlan {
  /** `${TRN02}|${CLP01}|${CLP07}|${CLP02}` — DOMAIN.md: posting is idempotent by (TRN02, CLP01, CLP07, CLP02) */
  idempotencyKey: string;
  kind: PostingKind;
  claimId: string;
  payerClaimControlNumber: string;
  traceNumber: string;
  status: string;
  /** 19/20/21: processed and forwarded to the next payer (crossover) */
  forwardedToNextPayer: boolean;
  chargeCents: Cents;
  paymentCents: Cents;
  /** Σ CO (claim + services) */
  contractualAdjustmentCents: Cents;
  /** Σ PR */
  patientResponsibilityCents: Cents;
  /** Σ OA/PI/CR */
  otherAdjustmentCents: Cents;
  /** the part of CO/OA/PI/CR that is a workable denial (stays open in A/R, goes to work queues) */
  deniedCents: Cents;
  /** CO/OA/PI/CR adjustments that post as contract write-offs (= CO + other − denied − prior payer) */
  writeOffCents: Cents;
  /** OA-23: the prior payer's payment/adjustments on a secondary's 835 — informational, already posted, never written off */
  priorPayerCents: Cents;
  denialRoutes: PlannedDenial[];
  /**
   * none: nothing to work; partial: a paid claim with denied lines (the lines go to denial work, the rest settles);
   * full: the claim is denied (CLP02 4, or processed with no payment and a workable denial).
   */
  denialScope: 'none' | 'partial' | 'full';
  /** unknown CO/OA/PI/CR codes on a paid claim: posted as adjustments and flagged for review, not worked as denials */
  reviewFlags: PlannedDenial[];
  /** CLP02 19/20/21: do not bill the patient's share until the secondary answers (its remit recomputes the share) */
  patientBillingHeld: boolean;
  /** contract write-off above the site limit needs a human approval (DOMAIN.md: no approval below limit) */
  needsWriteOffApproval: boolean;
  /** CLP03 − ΣCAS − CLP04 (0 when balanced) */
  imbalanceCents: Cents;
  /** non-empty → post to the exception queue, never silently (DOMAIN.md Balancing) */
  exceptions: PostingException[];
  actions: PostingAction[];
}

export interface PostingConfig {
  /** contract write-offs per claim above this need approval (site policy default $5,000) */
  writeOffApprovalOverCents: Cents;
  denialRouting: DenialRoutingConfig;
}

export const DEFAULT_POSTING_CONFIG: PostingConfig = {
  writeOffApprovalOverCents: 500_000,
  denialRouting: DEFAULT_DENIAL_ROUTING,
};

export function postingKey(claim: Pick<RemittanceClaimInput, 'traceNumber' | 'patientControlNumber' | 'payerClaimControlNumber' | 'status'>): string {
  return `${claim.traceNumber}|${claim.patientControlNumber}|${claim.payerClaimControlNumber}|${claim.status}`;
}

const sumGroup = (adjs: readonly RemitAdjustment[], groups: readonly string[]): Cents =>
  sumCents(adjs.filter((a) => groups.includes(a.group)).map((a) => assertCents(a.amountCents, 'CAS amount')));

/** Build the posting plan of one remittance claim. Pure; never throws for unbalanced input (it reports exceptions). */
export function planPosting(claim: RemittanceClaimInput, config: PostingConfig = DEFAULT_POSTING_CONFIG): PostingPlan {
  const key = postingKey(claim);
  const kind: PostingKind = CLP02_KIND[claim.status] ?? 'forwarded';
  const exceptions: PostingException[] = [];
  if (!(claim.status in CLP02_KIND)) exceptions.push('unknown_status');

  const all: Array<{ adj: RemitAdjustment; level: 'claim' | 'service'; serviceIndex?: number; rarcs: readonly string[] }> = [
    ...claim.adjustments.map((adj) => ({ adj, level: 'claim' as const, rarcs: claim.remarkCodes })),
    ...claim.services.flatMap((s, i) =>
      s.adjustments.map((adj) => ({ adj, level: 'service' as const, serviceIndex: i, rarcs: [...(s.remarkCodes ?? []), ...claim.remarkCodes] })),
    ),
  ];
  const adjs = all.map((x) => x.adj);
  const contractual = sumGroup(adjs, ['CO']);
  const patient = sumGroup(adjs, ['PR']);
  const other = sumGroup(adjs, ['OA', 'PI', 'CR']);
  const charge = assertCents(claim.chargeCents, 'CLP03');
  const paid = assertCents(claim.paidCents, 'CLP04');

  const imbalance = charge - contractual - patient - other - paid;
  if (imbalance !== 0) exceptions.push('unbalanced_claim');
  for (const s of claim.services) {
    if (s.chargeCents !== undefined && s.paidCents !== undefined) {
      const svcCas = sumCents(s.adjustments.map((a) => a.amountCents));
      if (s.chargeCents - svcCas !== s.paidCents) {
        exceptions.push('unbalanced_service');
        break;
      }
    }
  }
  if (assertCents(claim.patientResponsibilityCents, 'CLP05') !== patient) exceptions.push('patient_responsibility_mismatch');
  if (kind === 'reversal' && (paid > 0 || charge > 0)) exceptions.push('reversal_not_negative');

  // Ordinary adjustments are not denials (DOMAIN.md "Clarifications (second pass)"): on a processed claim with a
  // payment, a code missing from the table is posted as an adjustment and flagged for review; only real denials are
  // workable. OA-23 is the prior payer's adjudication: informational, never written off again.
  const paidClaim = kind === 'payment' && paid > 0;
  const denialRoutes: PlannedDenial[] = [];
  const reviewFlags: PlannedDenial[] = [];
  let priorPayer = 0;
  for (const x of all) {
    if (x.adj.group === 'PR' || x.adj.amountCents === 0) continue;
    const route = routeDenial({ group: x.adj.group, reason: x.adj.reason, rarcs: x.rarcs }, config.denialRouting);
    const planned: PlannedDenial = { ...route, amountCents: x.adj.amountCents, level: x.level, ...(x.serviceIndex !== undefined ? { serviceIndex: x.serviceIndex } : {}) };
    if (route.action === 'informational') priorPayer += x.adj.amountCents;
    else if (!route.known && paidClaim) reviewFlags.push(planned);
    else if (isWorkableDenial(route)) denialRoutes.push(planned);
  }
  const denied = sumCents(denialRoutes.map((d) => d.amountCents));
  const writeOff = contractual + other - denied - priorPayer;
  const denialScope: PostingPlan['denialScope'] =
    kind === 'denial' || (kind === 'payment' && !paidClaim && denialRoutes.length > 0) ? 'full' : denialRoutes.length > 0 ? 'partial' : 'none';
  const forwardedToNextPayer = claim.status === '19' || claim.status === '20' || claim.status === '21';
  const posting = kind === 'payment' || kind === 'reversal' || kind === 'denial';
  const needsWriteOffApproval = posting && Math.abs(writeOff) > config.writeOffApprovalOverCents && kind !== 'reversal';

  const actions: PostingAction[] = [];
  if (kind === 'forwarded') actions.push({ type: 'notify_forwarded', amountCents: 0, ref: `${key}|forwarded` });
  else if (kind === 'predetermination') actions.push({ type: 'record_predetermination', amountCents: paid, ref: `${key}|predetermination` });
  else {
    if (paid !== 0) actions.push({ type: kind === 'reversal' ? 'reverse_payment' : 'register_payment', amountCents: paid, ref: `${key}|payment` });
    if (writeOff !== 0) actions.push({ type: 'contractual_write_off', amountCents: writeOff, ref: `${key}|write_off`, needsApproval: needsWriteOffApproval });
    if (patient !== 0) {
      actions.push({ type: forwardedToNextPayer ? 'hold_patient_for_secondary' : 'transfer_to_patient', amountCents: patient, ref: `${key}|patient` });
    }
    reviewFlags.forEach((d, i) => actions.push({ type: 'flag_for_review', amountCents: d.amountCents, ref: `${key}|review|${i}`, denial: d }));
    denialRoutes.forEach((d, i) => actions.push({ type: 'open_denial', amountCents: d.amountCents, ref: `${key}|denial|${i}`, denial: d }));
  }

  return {
    idempotencyKey: key,
    kind,
    claimId: claim.patientControlNumber,
    payerClaimControlNumber: claim.payerClaimControlNumber,
    traceNumber: claim.traceNumber,
    status: claim.status,
    forwardedToNextPayer,
    chargeCents: charge,
    paymentCents: paid,
    contractualAdjustmentCents: contractual,
    patientResponsibilityCents: patient,
    otherAdjustmentCents: other,
    deniedCents: denied,
    writeOffCents: writeOff,
    priorPayerCents: priorPayer,
    denialRoutes,
    denialScope,
    reviewFlags,
    patientBillingHeld: forwardedToNextPayer && patient !== 0,
    needsWriteOffApproval,
    imbalanceCents: imbalance,
    exceptions,
    actions,
  };
}
