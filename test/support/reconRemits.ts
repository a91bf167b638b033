import { write835, type ProviderAdjustment, type RemitClaim, type Remittance } from '../../sim/payer';

type ClaimStatusCode = RemitClaim['status'];

/** One claim payment of a test 835: CLP01, CLP04 and CLP02 (the charge defaults to paid + 20.00 written off CO-45). */
export interface TestClaimPayment {
  claimId: string;
  paidCents: number;
  chargeCents?: number;
  status?: ClaimStatusCode;
}

let seq = 0;
/** A trace number (TRN02) no other test file uses. */
export function uniqueTrace(prefix = 'EFT'): string {
  return `${prefix}${Date.now().toString(36).toUpperCase()}${(++seq).toString(36).toUpperCase()}`;
}

/** A balanced 835 (the payer emulator's writer) with one deposit `traceNumber` paying the given claims. */
export function recon835(traceNumber: string, claims: TestClaimPayment[], providerAdjustments: ProviderAdjustment[] = []): string {
  const remit: Remittance = {
    payer: { id: 'PAYER1', name: 'Payer One', taxId: '111111111', address: { line1: '1 Main St', city: 'Town', state: 'MI', zip: '49000' } },
    payee: { name: 'Clinic', npi: '1234567893' },
    paymentMethod: 'ACH',
    traceNumber,
    paymentDate: new Date().toISOString().slice(0, 10),
    claims: claims.map((c, i) => {
      const chargeCents = c.chargeCents ?? c.paidCents + 2_000;
      const adjustments = chargeCents === c.paidCents ? [] : [{ group: 'CO' as const, reason: '45', amountCents: chargeCents - c.paidCents }];
      return {
        patientControlNumber: c.claimId,
        status: c.status ?? (c.paidCents === 0 ? '4' : '1'),
        chargeCents,
        paidCents: c.paidCents,
        patientResponsibilityCents: 0,
        filingIndicator: '12', // 835 CLP06 (PPO); CI is an 837 SBR09 code only
        payerClaimControlNumber: `CCN${i + 1}`,
        memberId: 'M-OPAQUE-1',
        claimAdjustments: [],
        services: [{ code: '99213', modifiers: [], chargeCents, paidCents: c.paidCents, units: 1, serviceDate: '2026-01-05', adjustments }],
      };
    }),
    providerAdjustments,
  };
  return write835(remit, { senderId: 'PAYER1', receiverId: 'CLINIC', interchangeControlNumber: 1, groupControlNumber: 1, transactionControlNumber: '0001', createdAt: new Date() });
}

/** The same 835 with CLP04 of the `nth` claim (1-based) replaced by text that is not an amount. */
export function corruptClaimAmount(x12: string, nth = 1): string {
  let seen = 0;
  return x12
    .split('~')
    .map((seg) => {
      if (!seg.replace(/^\s+/, '').startsWith('CLP*') || ++seen !== nth) return seg;
      const el = seg.split('*');
      el[4] = '8O.OO';
      return el.join('*');
    })
    .join('~');
}

/** One claim of a coordination-of-benefits test 835: status (1 primary, 19 crossed over, 2 secondary) and its CAS. */
export interface CobClaimPayment {
  claimId: string;
  status: '1' | '2' | '19';
  chargeCents: number;
  paidCents: number;
  /** service-level CAS, e.g. CO-45, PR-2, OA-23; PR amounts make CLP05 */
  adjustments: { group: 'CO' | 'PR' | 'OA'; reason: string; amountCents: number }[];
  filingIndicator?: string;
}

/** A balanced 835 (the emulator's writer) from `payerId` for claims of a primary or secondary adjudication. */
export function cob835(traceNumber: string, payerId: string, claims: CobClaimPayment[]): string {
  const remit: Remittance = {
    payer: { id: payerId, name: `Payer ${payerId}`, taxId: '222222222', address: { line1: '2 Main St', city: 'Town', state: 'MI', zip: '49000' } },
    payee: { name: 'Clinic', npi: '1234567893' },
    paymentMethod: 'ACH',
    traceNumber,
    paymentDate: new Date().toISOString().slice(0, 10),
    claims: claims.map((c, i) => ({
      patientControlNumber: c.claimId,
      status: c.status,
      chargeCents: c.chargeCents,
      paidCents: c.paidCents,
      patientResponsibilityCents: c.adjustments.filter((a) => a.group === 'PR').reduce((s, a) => s + a.amountCents, 0),
      filingIndicator: c.filingIndicator ?? '12',
      payerClaimControlNumber: `${payerId}CCN${i + 1}`,
      memberId: 'M-OPAQUE-1',
      claimAdjustments: [],
      services: [{ code: '99214', modifiers: [], chargeCents: c.chargeCents, paidCents: c.paidCents, units: 1, serviceDate: new Date().toISOString().slice(0, 10), adjustments: c.adjustments }],
    })),
    providerAdjustments: [],
  };
  return write835(remit, { senderId: payerId, receiverId: 'CLINIC', interchangeControlNumber: 1, groupControlNumber: 1, transactionControlNumber: '0001', createdAt: new Date() });
}
