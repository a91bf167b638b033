/**
 * 835 balancing (DOMAIN.md "Remittance"; facts.json `conventions`), all in integer cents:
 * - service:     SVC02 − ΣCAS(service) = SVC03                         difference = (SVC02 − ΣCAS) − SVC03
 * - claim:       CLP03 − ΣCAS(claim) − ΣCAS(services) = CLP04           difference = (CLP03 − ΣCAS) − CLP04
 * - transaction: BPR02 = ΣCLP04 − ΣPLB                                  difference = BPR02 − (ΣCLP04 − ΣPLB)
 * CAS sums include every group (CO, PR, OA, PI, CR) and all six reason/amount triples. A service line missing SVC02
 * or SVC03 cannot be shown to balance and counts as unbalanced (missing amounts taken as 0 in the difference).
 */
import { assertCents, type Cents } from '../money';
import type {
  Adjustment,
  ClaimImbalance,
  ClaimPayment,
  Plb,
  ServiceImbalance,
  ServiceLine,
  Transaction,
  TransactionBalance,
} from './remittance';

export function casTotalCents(adjustments: readonly Adjustment[]): Cents {
  let total = 0;
  for (const a of adjustments) total += a.amountCents;
  return total;
}

export function plbTotalCents(plbs: readonly Plb[]): Cents {
  let total = 0;
  for (const p of plbs) for (const a of p.adjustments) total += a.amountCents;
  return total;
}

export interface ServiceBalance {
  casCents: Cents;
  differenceCents: Cents;
  missingAmounts: boolean;
  balanced: boolean;
}

export function balanceService(line: ServiceLine): ServiceBalance {
  const casCents = casTotalCents(line.adjustments);
  const missingAmounts = line.chargeCents === undefined || line.paidCents === undefined;
  const differenceCents = (line.chargeCents ?? 0) - casCents - (line.paidCents ?? 0);
  return { casCents, differenceCents, missingAmounts, balanced: !missingAmounts && differenceCents === 0 };
}

export interface ClaimBalance {
  claimCasCents: Cents;
  serviceCasCents: Cents;
  expectedPaidCents: Cents;
  differenceCents: Cents;
  balanced: boolean;
}

export function balanceClaim(claim: ClaimPayment): ClaimBalance {
  const claimCasCents = casTotalCents(claim.adjustments);
  let serviceCasCents = 0;
  for (const s of claim.services) serviceCasCents += casTotalCents(s.adjustments);
  const expectedPaidCents = claim.chargeCents - claimCasCents - serviceCasCents;
  const differenceCents = expectedPaidCents - claim.paidCents;
  return { claimCasCents, serviceCasCents, expectedPaidCents, differenceCents, balanced: differenceCents === 0 };
}

/** Balances one transaction: payment against claims and PLB, every claim, every service line. */
export function balanceTransaction(tx: Pick<Transaction, 'controlNumber' | 'payment' | 'claims' | 'providerAdjustments'>): TransactionBalance {
  const claimImbalances: ClaimImbalance[] = [];
  const serviceImbalances: ServiceImbalance[] = [];
  let claimPaidCents = 0;
  for (const claim of tx.claims) {
    claimPaidCents += claim.paidCents;
    let serviceCasCents = 0;
    for (const line of claim.services) {
      const casCents = casTotalCents(line.adjustments);
      serviceCasCents += casCents;
      const missingAmounts = line.chargeCents === undefined || line.paidCents === undefined;
      const differenceCents = (line.chargeCents ?? 0) - casCents - (line.paidCents ?? 0);
      if (missingAmounts || differenceCents !== 0) {
        serviceImbalances.push({
          level: 'service',
          transactionControlNumber: tx.controlNumber,
          patientControlNumber: claim.patientControlNumber,
          svc01: line.procedure.raw,
          segmentIndex: line.segmentIndex,
          byteOffset: line.byteOffset,
          chargeCents: line.chargeCents,
          casCents,
          paidCents: line.paidCents,
          differenceCents,
          missingAmounts,
        });
      }
    }
    const claimCasCents = casTotalCents(claim.adjustments);
    const expectedPaidCents = claim.chargeCents - claimCasCents - serviceCasCents;
    if (expectedPaidCents !== claim.paidCents) {
      claimImbalances.push({
        level: 'claim',
        transactionControlNumber: tx.controlNumber,
        patientControlNumber: claim.patientControlNumber,
        status: claim.status,
        segmentIndex: claim.segmentIndex,
        byteOffset: claim.byteOffset,
        chargeCents: claim.chargeCents,
        claimCasCents,
        serviceCasCents,
        expectedPaidCents,
        paidCents: claim.paidCents,
        differenceCents: expectedPaidCents - claim.paidCents,
      });
    }
  }
  claimPaidCents = assertCents(claimPaidCents, 'sum of CLP04');
  const plbCents = plbTotalCents(tx.providerAdjustments);
  const expectedPaymentCents = claimPaidCents - plbCents;
  // BPR03 D: a debit — the provider owes the payer (net recoupment); the amount counts as negative.
  const paymentCents = tx.payment?.totalCents === undefined ? undefined : tx.payment.creditDebit === 'D' ? -tx.payment.totalCents : tx.payment.totalCents;
  const differenceCents = (paymentCents ?? 0) - expectedPaymentCents;
  const paymentBalanced = paymentCents !== undefined && differenceCents === 0;
  return {
    paymentCents,
    claimPaidCents,
    plbCents,
    expectedPaymentCents,
    differenceCents,
    paymentBalanced,
    claimImbalances,
    serviceImbalances,
    balanced: paymentBalanced && claimImbalances.length === 0 && serviceImbalances.length === 0,
  };
}
