import { RemittanceMessageSchema, type RemittanceMessage } from '../domain/schemas/payer';
import type { ClaimPayment, ServiceLine, Transaction } from '../domain/x12';
import { safeIssueMessage, type FieldIssue } from './errors';

/**
 * Adapts one claim payment of the X12 parser (CLP loop + its transaction's TRN/BPR/N1*PR) to the journey's
 * `RemittanceMessage`. The message id is `${TRN02}|${CLP01}|${CLP07}|${CLP02}`: the same claim payment in a
 * re-sent file dedupes in the journey, a reversal (CLP02 22) or a later correction (new TRN02) does not.
 */
export type AdaptedClaim = { ok: true; message: RemittanceMessage } | { ok: false; claimId: string; issues: FieldIssue[] };

export function remittanceMessageId(traceNumber: string, claim: Pick<ClaimPayment, 'patientControlNumber' | 'payerClaimControlNumber' | 'status'>): string {
  return `${traceNumber}|${claim.patientControlNumber}|${claim.payerClaimControlNumber ?? ''}|${claim.status}`;
}

export function adaptClaimPayment(tx: Transaction, claim: ClaimPayment): AdaptedClaim {
  const traceNumber = tx.traceNumber ?? tx.trace?.number ?? '';
  const remarks = claim.remarks.map((r) => r.code);
  const candidate = {
    messageId: remittanceMessageId(traceNumber, claim),
    traceNumber,
    patientControlNumber: claim.patientControlNumber,
    status: claim.status,
    chargeCents: claim.chargeCents,
    paidCents: claim.paidCents,
    patientResponsibilityCents: claim.patientResponsibilityCents ?? 0,
    payerClaimControlNumber: claim.payerClaimControlNumber ?? '',
    adjustments: claim.adjustments.map(adjustment),
    services: claim.services.map(service),
    remarkCodes: remarks,
    ...optional('payerId', tx.payer?.payerId ?? tx.payer?.id),
    ...optional('paymentDate', isoDate(tx.payment?.date) ?? isoDate(tx.productionDate)),
  };
  const parsed = RemittanceMessageSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, message: parsed.data };
  return {
    ok: false,
    claimId: claim.patientControlNumber,
    issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: safeIssueMessage(i) })),
  };
}

function adjustment(a: ClaimPayment['adjustments'][number]): RemittanceMessage['adjustments'][number] {
  return { group: a.group, reason: a.reason, amountCents: a.amountCents, ...(a.quantity !== undefined ? { quantity: a.quantity } : {}) };
}

function service(s: ServiceLine): RemittanceMessage['services'][number] {
  const remarkCodes = s.remarks.map((r) => r.code);
  return {
    procedure: s.procedure.raw,
    ...optional('chargeCents', s.chargeCents),
    ...optional('paidCents', s.paidCents),
    ...optional('serviceDate', isoDate(s.serviceDate ?? s.serviceDateFrom)),
    adjustments: s.adjustments.map(adjustment),
    ...(remarkCodes.length > 0 ? { remarkCodes } : {}),
  };
}

/** CCYYMMDD → YYYY-MM-DD (undefined when absent or not a date). */
export function isoDate(ccyymmdd: string | undefined): string | undefined {
  if (!ccyymmdd || !/^\d{8}$/.test(ccyymmdd)) return undefined;
  return `${ccyymmdd.slice(0, 4)}-${ccyymmdd.slice(4, 6)}-${ccyymmdd.slice(6, 8)}`;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
