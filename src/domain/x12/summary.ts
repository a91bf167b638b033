/**
 * Remittance summary: counts, money totals (integer cents), balancing verdict, status/CAS code inventories, issues.
 * Built incrementally (one transaction at a time) so a streamed file never needs its transactions retained.
 */
import { assertCents, type Cents } from '../money';
import type { IssueSeverity, X12Issue, X12IssueCode } from './errors';
import type { Transaction, X12ParseResult } from './remittance';

export interface SummaryIssue {
  severity: IssueSeverity;
  code: X12IssueCode;
  segmentIndex: number | null;
  segmentId: string | null;
  element: string | null;
  message: string;
}

export interface X12Summary {
  transactionCount: number;
  claimCount: number;
  serviceLineCount: number;
  /** Σ BPR02 */
  paymentTotalCents: Cents;
  /** Σ CLP04 */
  claimPaidTotalCents: Cents;
  /** Σ PLB amounts */
  plbTotalCents: Cents;
  /** Every transaction balances against its claims and PLB, and every claim and service line balances. */
  balanced: boolean;
  /** Every transaction's BPR02 == ΣCLP04 − ΣPLB. */
  paymentBalanced: boolean;
  transactionsUnbalanced: number;
  claimsUnbalanced: number;
  serviceLinesUnbalanced: number;
  /** CLP02 → number of claims */
  clpStatusCounts: Record<string, number>;
  /** CAS group → sorted unique reason codes (claim and service level) */
  casGroups: Record<string, string[]>;
  /** PLB reason codes, sorted unique */
  plbReasons: string[];
  /** TRN02 values, unique, in file order */
  traceNumbers: string[];
  issues: SummaryIssue[];
}

export interface SummaryAccumulator {
  add(tx: Transaction): void;
  finish(issues: readonly X12Issue[]): X12Summary;
}

export function createSummaryAccumulator(): SummaryAccumulator {
  let transactionCount = 0;
  let claimCount = 0;
  let serviceLineCount = 0;
  let paymentTotalCents = 0;
  let claimPaidTotalCents = 0;
  let plbTotalCents = 0;
  let transactionsUnbalanced = 0;
  let claimsUnbalanced = 0;
  let serviceLinesUnbalanced = 0;
  const clpStatusCounts = new Map<string, number>();
  const casGroups = new Map<string, Set<string>>();
  const plbReasons = new Set<string>();
  const traceNumbers = new Set<string>();

  const noteCas = (group: string, reason: string): void => {
    let set = casGroups.get(group);
    if (!set) casGroups.set(group, (set = new Set()));
    set.add(reason);
  };

  return {
    add(tx: Transaction): void {
      transactionCount++;
      const b = tx.balance;
      paymentTotalCents += b.paymentCents ?? 0;
      claimPaidTotalCents += b.claimPaidCents;
      plbTotalCents += b.plbCents;
      if (!b.paymentBalanced) transactionsUnbalanced++;
      claimsUnbalanced += b.claimImbalances.length;
      serviceLinesUnbalanced += b.serviceImbalances.length;
      if (tx.traceNumber !== undefined) traceNumbers.add(tx.traceNumber);
      for (const claim of tx.claims) {
        claimCount++;
        clpStatusCounts.set(claim.status, (clpStatusCounts.get(claim.status) ?? 0) + 1);
        for (const a of claim.adjustments) noteCas(a.group, a.reason);
        for (const line of claim.services) {
          serviceLineCount++;
          for (const a of line.adjustments) noteCas(a.group, a.reason);
        }
      }
      for (const plb of tx.providerAdjustments) for (const a of plb.adjustments) plbReasons.add(a.reason);
    },
    finish(issues: readonly X12Issue[]): X12Summary {
      const sortedKeys = <T>(m: Map<string, T>): string[] => [...m.keys()].sort();
      return {
        transactionCount,
        claimCount,
        serviceLineCount,
        paymentTotalCents: assertCents(paymentTotalCents, 'payment total'),
        claimPaidTotalCents: assertCents(claimPaidTotalCents, 'claim paid total'),
        plbTotalCents: assertCents(plbTotalCents, 'PLB total'),
        balanced: transactionsUnbalanced === 0 && claimsUnbalanced === 0 && serviceLinesUnbalanced === 0,
        paymentBalanced: transactionsUnbalanced === 0,
        transactionsUnbalanced,
        claimsUnbalanced,
        serviceLinesUnbalanced,
        clpStatusCounts: Object.fromEntries(sortedKeys(clpStatusCounts).map((k) => [k, clpStatusCounts.get(k)!])),
        casGroups: Object.fromEntries(sortedKeys(casGroups).map((k) => [k, [...casGroups.get(k)!].sort()])),
        plbReasons: [...plbReasons].sort(),
        traceNumbers: [...traceNumbers],
        issues: issues.map((i) => ({
          severity: i.severity,
          code: i.code,
          segmentIndex: i.segmentIndex ?? null,
          segmentId: i.segmentId ?? null,
          element: i.element ?? null,
          message: i.message,
        })),
      };
    },
  };
}

/** Summary of a parse result whose transactions were retained (the default). */
export function summarize835(result: X12ParseResult): X12Summary {
  if (result.transactions.length !== result.transactionCount) {
    throw new Error('summarize835 needs retained transactions; use createSummaryAccumulator with onTransaction instead');
  }
  const acc = createSummaryAccumulator();
  for (const tx of result.transactions) acc.add(tx);
  return acc.finish(result.issues);
}
