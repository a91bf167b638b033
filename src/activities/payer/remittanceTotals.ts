import { x12DateToIso } from '../../domain/remittanceFromX12';
import { parse835, X12ParseError, type X12IssueCode, type X12Position } from '../../domain/x12';

/**
 * What reconciliation needs from one 835, and nothing else: per transaction (deposit) its trace and payment, per
 * claim its net paid amount. Pure: the activity does the I/O; the file text never leaves the activity.
 */
export interface DepositTotal {
  /** TRN02: the EFT / check trace; Odoo payer payments carry it as the memo prefix `<TRN02>/` */
  traceNumber: string;
  /** BPR02, unsigned as in the file */
  paymentCents: number;
  /** BPR03: C the payer pays us, D we owe the payer */
  creditDebit: 'C' | 'D';
  /** BPR16 as YYYY-MM-DD, when it is a date */
  paymentDate?: string;
  /** Σ PLB amounts (positive reduces the payment): provider-level, never posted to a claim invoice */
  plbCents: number;
}

export interface ClaimTotal {
  /** CLP01: our claim id as the payer paid it (attempt 2+ for a resubmitted claim) */
  claimId: string;
  traceNumber: string;
  /** Σ CLP04 of this claim in this deposit: a reversal (CLP02 22, negative) nets against its correction */
  paidCents: number;
  /** CLP02 of the last occurrence */
  status: string;
}

export interface RemittanceTotals {
  deposits: DepositTotal[];
  claims: ClaimTotal[];
}

/** The file cannot be reconciled; `position` says where (segment index, id, element, byte offset). */
export class MalformedRemittanceError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly position: X12Position,
  ) {
    super(message);
    this.name = 'MalformedRemittanceError';
  }
}

// Service-line problems leave CLP04 intact, so the claim total is still right; every other error-level issue
// (truncated file, broken envelope, missing BPR, count mismatches) means the totals may be incomplete.
const TOLERATED: ReadonlySet<X12IssueCode> = new Set<X12IssueCode>(['SVC_MISSING_AMOUNT', 'SVC_MISSING_PROCEDURE_CODE']);

/** Trace numbers and claim ids become Odoo query keys and ticket titles: bounded and printable (X12 allows 50 / 38). */
const KEY = /^\P{Cc}{1,80}$/u;

function malformed(code: string, message: string, position: X12Position): MalformedRemittanceError {
  // X12ParseError formats the position the same way as every other X12 error ("segment 12 CLP/CLP04 @byte 340: …").
  return new MalformedRemittanceError(new X12ParseError(code as X12IssueCode, message, position).message, code, position);
}

export function remittanceTotals(content: string): RemittanceTotals {
  const deposits: DepositTotal[] = [];
  const claims = new Map<string, ClaimTotal>();
  let failure: MalformedRemittanceError | undefined;
  let result;
  try {
    // Transactions are folded as they close and not retained: a 50 MB file costs its totals, not its tree.
    result = parse835(content, {
      retainTransactions: false,
      onTransaction: (tx) => {
        if (failure) return;
        const at = { segmentIndex: tx.segmentIndex, segmentId: 'ST', byteOffset: tx.byteOffset };
        if (!tx.payment) return; // reported as a MISSING_BPR issue below
        if (!tx.traceNumber) {
          failure = malformed('MISSING_ELEMENT', `transaction ${tx.controlNumber} has no TRN02 trace number: its deposit cannot be matched`, at);
          return;
        }
        if (!KEY.test(tx.traceNumber)) {
          failure = malformed('INVALID_VALUE', 'TRN02 is longer than 80 characters or holds control characters', at);
          return;
        }
        const odd = tx.claims.find((c) => !KEY.test(c.patientControlNumber));
        if (odd) {
          failure = malformed('INVALID_VALUE', 'CLP01 is longer than 80 characters or holds control characters', { segmentIndex: odd.segmentIndex, segmentId: 'CLP', element: 'CLP01', byteOffset: odd.byteOffset });
          return;
        }
        const creditDebit = tx.payment.creditDebit === 'D' ? 'D' : 'C';
        const paymentDate = x12DateToIso(tx.payment.date);
        deposits.push({ traceNumber: tx.traceNumber, paymentCents: tx.payment.totalCents, creditDebit, ...(paymentDate ? { paymentDate } : {}), plbCents: tx.balance.plbCents });
        for (const c of tx.claims) {
          const key = `${tx.traceNumber}\u0000${c.patientControlNumber}`;
          const seen = claims.get(key);
          if (seen) {
            seen.paidCents += c.paidCents;
            seen.status = c.status;
          } else claims.set(key, { claimId: c.patientControlNumber, traceNumber: tx.traceNumber, paidCents: c.paidCents, status: c.status });
        }
      },
    });
  } catch (err) {
    if (err instanceof X12ParseError) {
      throw new MalformedRemittanceError(err.message, err.code, { segmentIndex: err.segmentIndex, segmentId: err.segmentId, element: err.element, byteOffset: err.byteOffset });
    }
    throw err;
  }
  if (failure) throw failure;
  const broken = result.issues.find((i) => i.severity === 'error' && !TOLERATED.has(i.code));
  if (broken) throw malformed(broken.code, broken.message, { segmentIndex: broken.segmentIndex, segmentId: broken.segmentId, element: broken.element, byteOffset: broken.byteOffset });
  if (result.transactionCount === 0) throw malformed('INVALID_START', 'no 835 transaction in the file', {});
  return { deposits, claims: [...claims.values()] };
}
