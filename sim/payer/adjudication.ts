import { clp06FromSbr09 } from './filingIndicator';
import { percentOfCents as applyBasisPoints, totalCents as sumCents } from './money';
import type { SubmittedClaim } from './x837Reader';
import type { Adjustment, RemitClaim, RemitService } from './x835Writer';

/**
 * Adjudication rules of the payer emulator. Pure: a submitted claim and a rule in, a balanced 835 claim out.
 *
 * pay: allowed = charge × allowedBasisPoints (CO-45 for the rest), then patient responsibility from the allowed
 *      amount in line order: PR-1 deductible, PR-3 copay, PR-2 coinsurance on what remains; the payer pays the rest.
 * deny: every line adjusted in full with the given group/CARC (CO-197 no auth, CO-16 + MA130, CO-29 timely filing…),
 *      CLP02 = 4.
 * reversal: the previous payment with every amount negated, CLP02 = 22 (same payer claim control number).
 */
export interface PayRule {
  kind: 'pay';
  /** Contracted allowed amount as basis points of charge (default 8000 = 80%). */
  allowedBasisPoints?: number;
  /** Deductible to apply (default: the member's remaining deductible). */
  deductibleCents?: number;
  /** Copay per claim (default: the member's copay). */
  copayCents?: number;
  /** Coinsurance rate (default: the member's coinsurance). */
  coinsuranceBasisPoints?: number;
  /**
   * Extra adjustments on the first line, taken out of the payer's payment (e.g. CO-237 MIPS penalty, CO-253
   * sequestration on a Medicare claim); the 835 stays balanced.
   */
  extraAdjustments?: Adjustment[];
}

export interface DenyRule {
  kind: 'deny';
  carc: string;
  group?: 'CO' | 'PR' | 'OA';
  /** Claim-level remark codes (MOA), e.g. MA130 with CO-16. */
  rarcs?: string[];
}

export interface PendRule {
  kind: 'pend';
}

/** Reverse the last payment of the claim (CLP02 = 22) and pay it again under `corrected`. */
export interface ReverseAndCorrectRule {
  kind: 'reverseAndCorrect';
  corrected: PayRule | DenyRule;
}

export type AdjudicationRule = PayRule | DenyRule | PendRule | ReverseAndCorrectRule;

export interface PatientBenefits {
  copayCents: number;
  deductibleRemainingCents: number;
  coinsuranceBasisPoints: number;
}

export interface ClaimContext {
  payerClaimControlNumber: string;
  receivedDate: string;
  benefits: PatientBenefits;
}

function service(claim: SubmittedClaim, i: number, paidCents: number, adjustments: Adjustment[], allowedCents?: number): RemitService {
  const line = claim.lines[i];
  return {
    code: line.code,
    modifiers: line.modifiers,
    chargeCents: line.chargeCents,
    paidCents,
    units: line.units,
    serviceDate: line.serviceDate ?? claim.lines[0].serviceDate ?? '1970-01-01',
    adjustments: adjustments.filter((a) => a.amountCents !== 0),
    ...(allowedCents !== undefined ? { allowedCents } : {}),
    ...(line.lineControlNumber ? { lineControlNumber: line.lineControlNumber } : {}),
  };
}

function claimShell(claim: SubmittedClaim, ctx: ClaimContext, status: RemitClaim['status'], services: RemitService[]): RemitClaim {
  const paid = sumCents(services.map((s) => s.paidCents));
  const patientResp = sumCents(services.flatMap((s) => s.adjustments.filter((a) => a.group === 'PR').map((a) => a.amountCents)));
  return {
    patientControlNumber: claim.claimId,
    status,
    chargeCents: claim.totalChargeCents,
    paidCents: paid,
    patientResponsibilityCents: patientResp,
    filingIndicator: clp06FromSbr09(claim.filingIndicator),
    payerClaimControlNumber: ctx.payerClaimControlNumber,
    placeOfService: claim.placeOfService,
    frequencyCode: claim.frequencyCode,
    memberId: claim.memberRef,
    claimAdjustments: [],
    receivedDate: ctx.receivedDate,
    services,
  };
}

/** Returns the 835 claim and the deductible consumed (the emulator decrements the member's remaining deductible). */
export function applyPayRule(claim: SubmittedClaim, rule: PayRule, ctx: ClaimContext): { remit: RemitClaim; deductibleUsedCents: number } {
  const allowedBps = rule.allowedBasisPoints ?? 8000;
  if (!Number.isInteger(allowedBps) || allowedBps < 0 || allowedBps > 10_000) throw new RangeError('allowedBasisPoints must be 0..10000');
  let deductibleLeft = rule.deductibleCents ?? ctx.benefits.deductibleRemainingCents;
  let copayLeft = rule.copayCents ?? ctx.benefits.copayCents;
  const coinsBps = rule.coinsuranceBasisPoints ?? ctx.benefits.coinsuranceBasisPoints;
  let deductibleUsed = 0;
  const services = claim.lines.map((line, i) => {
    const allowed = applyBasisPoints(line.chargeCents, allowedBps);
    const deductible = Math.min(deductibleLeft, allowed);
    deductibleLeft -= deductible;
    deductibleUsed += deductible;
    const copay = Math.min(copayLeft, allowed - deductible);
    copayLeft -= copay;
    const coinsurance = applyBasisPoints(allowed - deductible - copay, coinsBps);
    const extra = i === 0 ? (rule.extraAdjustments ?? []) : [];
    const extraCents = sumCents(extra.map((a) => a.amountCents));
    const paid = allowed - deductible - copay - coinsurance - extraCents;
    if (paid < 0) throw new RangeError('extraAdjustments exceed the payment of the first line');
    return service(
      claim,
      i,
      paid,
      [
        { group: 'CO', reason: '45', amountCents: line.chargeCents - allowed },
        ...extra,
        { group: 'PR', reason: '1', amountCents: deductible },
        { group: 'PR', reason: '2', amountCents: coinsurance },
        { group: 'PR', reason: '3', amountCents: copay },
      ],
      allowed,
    );
  });
  return { remit: claimShell(claim, ctx, '1', services), deductibleUsedCents: deductibleUsed };
}

/** A secondary (or tertiary) claim: SBR01 S/T with the prior payer's AMT*D and CAS*PR in loop 2320. */
export function isSecondaryClaim(claim: SubmittedClaim): boolean {
  return (claim.payerResponsibility === 'S' || claim.payerResponsibility === 'T') && claim.otherPayerPaidCents !== undefined;
}

/**
 * Pay a secondary claim (CLP02 2): what the prior payer covered — charge less the patient share it left (2320 CAS*PR) —
 * is OA-23 (informational: the prior payer's part, never the provider's to write off again); the secondary pays
 * `allowedBasisPoints` (default 8000) of that patient share and the rest stays the patient's (PR-2). Spread over the
 * lines by charge, the last line taking the rounding, so every line and the claim balance.
 */
export function applySecondaryPayRule(claim: SubmittedClaim, rule: PayRule, ctx: ClaimContext): RemitClaim {
  const bps = rule.allowedBasisPoints ?? 8000;
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) throw new RangeError('allowedBasisPoints must be 0..10000');
  const total = claim.totalChargeCents;
  const patientShare = Math.min(total, Math.max(0, claim.otherPayerPatientResponsibilityCents ?? 0));
  let shareLeft = patientShare;
  const services = claim.lines.map((line, i) => {
    const last = i === claim.lines.length - 1;
    const share = last ? shareLeft : Math.min(shareLeft, line.chargeCents, total > 0 ? Math.floor((patientShare * line.chargeCents) / total) : 0);
    shareLeft -= share;
    const paid = applyBasisPoints(share, bps);
    return service(claim, i, paid, [
      { group: 'OA', reason: '23', amountCents: line.chargeCents - share },
      { group: 'PR', reason: '2', amountCents: share - paid },
    ]);
  });
  return claimShell(claim, ctx, '2', services);
}

export function applyDenyRule(claim: SubmittedClaim, rule: DenyRule, ctx: ClaimContext): RemitClaim {
  const group = rule.group ?? 'CO';
  const services = claim.lines.map((line, i) => service(claim, i, 0, [{ group, reason: rule.carc, amountCents: line.chargeCents }]));
  const remit = claimShell(claim, ctx, '4', services);
  if (rule.rarcs?.length) remit.remarkCodes = rule.rarcs;
  return remit;
}

/** CLP02 = 22: the previous claim payment with every amount negated, so posting it undoes the original exactly. */
export function reversalOf(previous: RemitClaim): RemitClaim {
  const neg = (a: Adjustment): Adjustment => ({ ...a, amountCents: -a.amountCents });
  return {
    ...previous,
    status: '22',
    chargeCents: -previous.chargeCents,
    paidCents: -previous.paidCents,
    patientResponsibilityCents: -previous.patientResponsibilityCents,
    claimAdjustments: previous.claimAdjustments.map(neg),
    services: previous.services.map((s) => ({
      ...s,
      chargeCents: -s.chargeCents,
      paidCents: -s.paidCents,
      ...(s.allowedCents !== undefined ? { allowedCents: -s.allowedCents } : {}),
      adjustments: s.adjustments.map(neg),
    })),
  };
}
