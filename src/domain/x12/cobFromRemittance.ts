import type { RemittanceClaim } from '../schemas/payer';
import type { CobSubmissionInput } from './cob837';

/**
 * The primary's 835 claim payment (CLP loop, as the journey receives it) → the COB input of the secondary 837P.
 * Pure and deterministic, so the claim lifecycle can call it in workflow code.
 *
 * Line-level adjudication (2430) is used when every SVC names its procedure and carries charge and paid amounts, and
 * their count matches the claim's lines (SVCs come back in the order the lines were sent); otherwise the service-level
 * adjustments are folded into the claim level, which keeps the money balanced: CLP03 = CLP04 + every CAS.
 */
export interface CobParties {
  otherPayer: CobSubmissionInput['otherPayer'];
  /** Member id, relationship and partner ref only: the name is read by the submit activity. */
  otherSubscriber: CobSubmissionInput['otherSubscriber'];
  /** Used when the 835 has no payment date (BPR16 / DTM*405). */
  fallbackAdjudicationDate: string;
}

/** `claimLines`: the lines of the claim the primary adjudicated, in the order sent (their units become SVD05). */
export function cobFromRemittance(remit: RemittanceClaim, parties: CobParties, claimLines: readonly { units: number }[]): CobSubmissionInput {
  if (remit.status === '22') throw new RangeError('a reversal (CLP02 22) is not an adjudication a secondary claim can report');
  if (remit.status === '4') throw new RangeError('a denied primary claim (CLP02 4) is corrected or appealed, not billed to the secondary');
  const adjudicationDate = remit.paymentDate ?? parties.fallbackAdjudicationDate;
  const strip = (a: RemittanceClaim['adjustments'][number]) => ({ group: a.group, reason: a.reason, amountCents: a.amountCents, ...(a.quantity && Number.isInteger(a.quantity) && a.quantity > 0 ? { quantity: a.quantity } : {}) });
  const base = { otherPayer: parties.otherPayer, otherSubscriber: parties.otherSubscriber, paidCents: remit.paidCents, adjudicationDate };

  const lines = remit.services.map((svc, i) => {
    const [qualifier, code, ...modifiers] = (svc.procedure ?? '').split(':');
    if (!code || !['HC', 'AD', 'ER', 'IV', 'WK'].includes(qualifier) || svc.chargeCents === undefined || svc.paidCents === undefined) return undefined;
    return { lineNumber: i + 1, procedureCode: code, modifiers: modifiers.filter(Boolean), chargeCents: svc.chargeCents, paidCents: svc.paidCents, units: claimLines[i]?.units ?? 1, adjustments: svc.adjustments.map(strip) };
  });
  const lineLevel = lines.length > 0 && lines.length === claimLines.length && lines.every((l) => l !== undefined);
  if (lineLevel) return { ...base, claimAdjustments: remit.adjustments.map(strip), lines: lines as NonNullable<(typeof lines)[number]>[] };
  return { ...base, claimAdjustments: [...remit.adjustments, ...remit.services.flatMap((s) => s.adjustments)].map(strip) };
}
