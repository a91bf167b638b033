import type { RemittanceMessage } from './schemas/payer';
import { CLP_STATUS_CODES } from './schemas/payer';
import { IsoDateSchema } from './schemas/common';
import type { ClaimPayment, Transaction, X12ParseResult } from './x12';

/**
 * Adapts the X12 835 parse result to the journey's remittance messages: one message per claim payment (CLP loop),
 * with messageId = posting key `${TRN02}|${CLP01}|${CLP07}|${CLP02}` so redelivery of the same file is a duplicate.
 * Claims the journey cannot take (unknown CLP02, no CLP07, no TRN02) are returned as `skipped` with the reason.
 */
export interface AdaptedRemittance {
  messages: { transactionControlNumber: string; message: RemittanceMessage }[];
  skipped: { patientControlNumber: string; segmentIndex: number; reason: string }[];
}

const STATUS = new Set<string>(CLP_STATUS_CODES);
const RARC_QUALIFIERS = new Set(['HE', 'MOA', 'MIA']);
const CODE = /^[A-Z0-9]{1,8}$/;

/** CCYYMMDD → YYYY-MM-DD (undefined when it is not a date). */
export function x12DateToIso(date: string | undefined): string | undefined {
  if (!date || !/^\d{8}$/.test(date)) return undefined;
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
  // Files in the wild carry impossible dates (e.g. BPR16 20002316): treat them as absent.
  return IsoDateSchema.safeParse(iso).success ? iso : undefined;
}

function claimMessage(tx: Transaction, claim: ClaimPayment): RemittanceMessage | string {
  if (!tx.traceNumber) return 'transaction has no TRN02 trace number';
  if (!STATUS.has(claim.status)) return `CLP02 ${claim.status} is not a 5010 claim status`;
  const pccn = claim.payerClaimControlNumber ?? '';
  if (!pccn) return 'CLP07 payer claim control number missing';
  const remarkCodes = claim.remarks.filter((r) => RARC_QUALIFIERS.has(r.qualifier) && CODE.test(r.code)).map((r) => r.code);
  return {
    messageId: `${tx.traceNumber}|${claim.patientControlNumber}|${pccn}|${claim.status}`.slice(0, 128),
    traceNumber: tx.traceNumber,
    patientControlNumber: claim.patientControlNumber,
    status: claim.status as RemittanceMessage['status'],
    chargeCents: claim.chargeCents,
    paidCents: claim.paidCents,
    patientResponsibilityCents: claim.patientResponsibilityCents ?? 0,
    payerClaimControlNumber: pccn,
    adjustments: claim.adjustments.map((a) => ({ group: a.group, reason: a.reason, amountCents: a.amountCents, ...(a.quantity !== undefined ? { quantity: a.quantity } : {}) })),
    services: claim.services.map((s) => ({
      procedure: s.procedure.raw.slice(0, 64),
      ...(s.chargeCents !== undefined ? { chargeCents: s.chargeCents } : {}),
      ...(s.paidCents !== undefined ? { paidCents: s.paidCents } : {}),
      ...(x12DateToIso(s.serviceDate) ? { serviceDate: x12DateToIso(s.serviceDate) } : {}),
      adjustments: s.adjustments.map((a) => ({ group: a.group, reason: a.reason, amountCents: a.amountCents, ...(a.quantity !== undefined ? { quantity: a.quantity } : {}) })),
      remarkCodes: s.remarks.filter((r) => CODE.test(r.code)).map((r) => r.code),
    })),
    remarkCodes,
    ...(tx.payer?.payerId ?? tx.payer?.id ? { payerId: (tx.payer?.payerId ?? tx.payer?.id)!.slice(0, 80) } : {}),
    ...(x12DateToIso(tx.payment?.date) ? { paymentDate: x12DateToIso(tx.payment?.date) } : {}),
  };
}

export function remittanceMessagesFrom835(result: Pick<X12ParseResult, 'transactions'>): AdaptedRemittance {
  const out: AdaptedRemittance = { messages: [], skipped: [] };
  for (const tx of result.transactions) {
    for (const claim of tx.claims) {
      const m = claimMessage(tx, claim);
      if (typeof m === 'string') out.skipped.push({ patientControlNumber: claim.patientControlNumber, segmentIndex: claim.segmentIndex, reason: m });
      else out.messages.push({ transactionControlNumber: tx.controlNumber, message: m });
    }
  }
  return out;
}
