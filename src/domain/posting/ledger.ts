import { sumCents, type Cents } from '../money';
import type { PostingPlan } from './plan';

/**
 * The journey's posting ledger, kept in workflow state (plain JSON). Applying a plan is idempotent by its key
 * (TRN02|CLP01|CLP07|CLP02): a repeated signal or retried activity changes nothing; a reversal (negative amounts)
 * followed by a corrected claim nets to the corrected amounts.
 */
export type LedgerEntry = { key: string } & Pick<
  PostingPlan,
  | 'kind'
  | 'claimId'
  | 'payerClaimControlNumber'
  | 'traceNumber'
  | 'chargeCents'
  | 'paymentCents'
  | 'contractualAdjustmentCents'
  | 'patientResponsibilityCents'
  | 'otherAdjustmentCents'
  | 'deniedCents'
  | 'writeOffCents'
  | 'priorPayerCents'
>;

export interface PostingLedger {
  entries: readonly LedgerEntry[];
}

export const EMPTY_LEDGER: PostingLedger = { entries: [] };

export class PostingError extends Error {
  readonly key: string;
  readonly code: 'has_exceptions' | 'conflict';
  constructor(code: 'has_exceptions' | 'conflict', key: string, message: string) {
    super(message);
    this.name = 'PostingError';
    this.code = code;
    this.key = key;
  }
}

const AMOUNT_FIELDS = [
  'chargeCents',
  'paymentCents',
  'contractualAdjustmentCents',
  'patientResponsibilityCents',
  'otherAdjustmentCents',
  'deniedCents',
  'writeOffCents',
  /** OA-23 on a secondary's remit: the prior payer's part, already posted from its own 835 */
  'priorPayerCents',
] as const;

function entryOf(plan: PostingPlan): LedgerEntry {
  // forwarded (23, not our claim) and predetermination (25, pricing only) are remembered but move no money
  const moves = plan.kind === 'payment' || plan.kind === 'reversal' || plan.kind === 'denial';
  const amount = (n: Cents) => (moves ? n : 0);
  return {
    key: plan.idempotencyKey,
    kind: plan.kind,
    claimId: plan.claimId,
    payerClaimControlNumber: plan.payerClaimControlNumber,
    traceNumber: plan.traceNumber,
    chargeCents: amount(plan.chargeCents),
    paymentCents: amount(plan.paymentCents),
    contractualAdjustmentCents: amount(plan.contractualAdjustmentCents),
    patientResponsibilityCents: amount(plan.patientResponsibilityCents),
    otherAdjustmentCents: amount(plan.otherAdjustmentCents),
    deniedCents: amount(plan.deniedCents),
    writeOffCents: amount(plan.writeOffCents),
    priorPayerCents: amount(plan.priorPayerCents),
  };
}

export function findPosting(ledger: PostingLedger, key: string): LedgerEntry | undefined {
  return ledger.entries.find((e) => e.key === key);
}

/**
 * Apply a plan. Same key again → the same ledger object (no change). A plan with exceptions (unbalanced etc.) is
 * refused with PostingError('has_exceptions'): route it to the exception queue instead. The same key with different
 * amounts is refused with PostingError('conflict').
 */
export function applyPosting(ledger: PostingLedger, plan: PostingPlan): PostingLedger {
  const entry = entryOf(plan);
  const existing = findPosting(ledger, plan.idempotencyKey);
  if (existing) {
    if (AMOUNT_FIELDS.some((f) => existing[f] !== entry[f])) {
      throw new PostingError('conflict', plan.idempotencyKey, `posting ${plan.idempotencyKey} already applied with different amounts`);
    }
    return ledger;
  }
  if (plan.exceptions.length > 0) {
    throw new PostingError('has_exceptions', plan.idempotencyKey, `posting ${plan.idempotencyKey} has exceptions: ${plan.exceptions.join(', ')}`);
  }
  return { entries: [...ledger.entries, entry] };
}

export type LedgerTotals = Record<(typeof AMOUNT_FIELDS)[number], Cents>;

/** Totals over all entries, or one claim's (CLP01) when claimId is given. */
export function ledgerTotals(ledger: PostingLedger, claimId?: string): LedgerTotals {
  const entries = claimId === undefined ? ledger.entries : ledger.entries.filter((e) => e.claimId === claimId);
  const out = {} as LedgerTotals;
  for (const f of AMOUNT_FIELDS) out[f] = sumCents(entries.map((e) => e[f] ?? 0));
  return out;
}

/**
 * Payer A/R still open on a claim: charge − paid − write-offs − patient responsibility − the prior payer's part
 * (OA-23) (denied amounts stay open).
 */
export function openPayerBalanceCents(ledger: PostingLedger, claimId: string): Cents {
  const t = ledgerTotals(ledger, claimId);
  return t.chargeCents - t.paymentCents - t.writeOffCents - t.patientResponsibilityCents - t.priorPayerCents;
}
