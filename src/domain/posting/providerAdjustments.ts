import { sumCents, type Cents } from '../money';

/**
 * PLB provider-level adjustments of one 835 transaction → posting lines (DOMAIN.md "Clarifications (second pass)":
 * PLB WO/FB reference the claim in PLB03-2; L6 is interest; 72 an authorized return). Nothing is silently ignored:
 * a code this table does not know, or a recoupment whose claim cannot be found, becomes a review line.
 *
 * Sign (X12 835 PLB04): positive reduces the payment (the payer takes money back), negative increases it.
 */
export type PlbLineKind =
  /** WO overpayment recovery / FB forwarding balance against a claim: reduces that claim's payment (recoupment) */
  | 'recoupment'
  /** L6 interest owed by the payer (prompt-pay): its own income line, never applied to the claim */
  | 'interest'
  /** 72 authorized return: the provider returned money (refund) — its own line */
  | 'authorized_return'
  /** anything else, or a WO/FB whose claim is not in our books: cash posting reviews it */
  | 'review';

export interface PlbInput {
  reason: string;
  reference?: string;
  amountCents: Cents;
}

export interface PlbLine {
  kind: PlbLineKind;
  reason: string;
  /** the claim id (CLP01) the recoupment applies to */
  claimId?: string;
  /** the payment change the line makes: negative for money taken back, positive for interest paid */
  paymentEffectCents: Cents;
  /** business key for Odoo: search by ref before create */
  ref: string;
  note: string;
}

export interface ClaimRef {
  /** CLP01 */
  patientControlNumber: string;
  /** CLP07 */
  payerClaimControlNumber?: string;
}

/**
 * PLB03-2 for WO/FB is the payer's claim control number (CLP07) or our claim id (CLP01), sometimes followed by other
 * text; `knownClaims` are the claims of our books (this file's CLPs and earlier ones).
 */
export function planProviderAdjustments(traceNumber: string, plbs: readonly PlbInput[], knownClaims: readonly ClaimRef[]): PlbLine[] {
  return plbs.map((p, i) => {
    const reason = p.reason.trim().toUpperCase();
    const ref = `${traceNumber}|PLB|${i}|${reason}`;
    const effect = 0 - p.amountCents;
    if (reason === 'WO' || reason === 'FB') {
      const reference = (p.reference ?? '').trim();
      const claim = knownClaims.find((c) => reference !== '' && (reference === c.payerClaimControlNumber || reference === c.patientControlNumber || reference.startsWith(`${c.payerClaimControlNumber ?? '\u0000'} `)));
      if (claim) return { kind: 'recoupment', reason, claimId: claim.patientControlNumber, paymentEffectCents: effect, ref, note: `${reason} against ${reference}` };
      return { kind: 'review', reason, paymentEffectCents: effect, ref, note: `${reason} references ${reference || 'no claim'}: not in our books` };
    }
    if (reason === 'L6') return { kind: 'interest', reason, paymentEffectCents: effect, ref, note: 'interest (prompt payment)' };
    if (reason === '72') return { kind: 'authorized_return', reason, paymentEffectCents: effect, ref, note: `authorized return ${p.reference ?? ''}`.trim() };
    return { kind: 'review', reason, paymentEffectCents: effect, ref, note: `PLB ${reason} needs review` };
  });
}

/** Σ payment effect of the lines: with ΣCLP04 it must give BPR02 (BPR02 = ΣCLP04 − ΣPLB). */
export function plbPaymentEffectCents(lines: readonly PlbLine[]): Cents {
  return sumCents(lines.map((l) => l.paymentEffectCents));
}
