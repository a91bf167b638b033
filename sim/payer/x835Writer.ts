import { envelope } from './envelope';
import { decimalFromCents as formatCents, totalCents as sumCents } from './money';
import { x12Safe } from './x12Charset';

/**
 * X12 835 (005010X221A1) writer for the payer emulator. Input is an adjudicated remittance model in integer cents;
 * output is one interchange with one functional group and one transaction set:
 *
 *   ISA GS ST BPR TRN DTM*405 N1*PR N3 N4 PER*BL N1*PE REF*TJ
 *   LX { CLP CAS* NM1*QC MOA? REF*EA? DTM*050 { SVC DTM*472 CAS* REF*6R AMT*B6 LQ*HE* } }
 *   PLB* SE GE IEA
 *
 * The writer refuses to produce a file that does not balance (service, claim and transaction level, the rules in
 * DOMAIN.md) so every emulator file is a valid positive fixture; BPR02 is computed here as ΣCLP04 − ΣPLB and must
 * not be negative (a payer carries a net debit forward with a PLB FB/WO instead).
 */

export type CasGroup = 'CO' | 'PR' | 'OA' | 'PI';

export interface Adjustment {
  group: CasGroup;
  /** CARC, e.g. "45", "1", "197". */
  reason: string;
  amountCents: number;
  quantity?: number;
}

export interface RemitService {
  code: string;
  modifiers: string[];
  chargeCents: number;
  paidCents: number;
  units: number;
  /** YYYY-MM-DD */
  serviceDate: string;
  adjustments: Adjustment[];
  allowedCents?: number;
  /** 837 REF*6R line item control number, echoed back. */
  lineControlNumber?: string;
  remarkCodes?: string[];
}

/** CLP02 claim status codes used by the emulator (005010). */
export type ClaimStatusCode = '1' | '2' | '3' | '4' | '19' | '20' | '21' | '22' | '23' | '25';

export interface RemitClaim {
  /** CLP01: our claim id (837 CLM01). */
  patientControlNumber: string;
  status: ClaimStatusCode;
  chargeCents: number;
  paidCents: number;
  patientResponsibilityCents: number;
  /** CLP06 claim filing indicator (835 code list, see filingIndicator.ts): 12 PPO, MB Medicare B, MC Medicaid, HM HMO… */
  filingIndicator: string;
  /** CLP07 payer claim control number. */
  payerClaimControlNumber: string;
  /** CLP08 facility code (place of service) and CLP09 frequency code. */
  placeOfService?: string;
  frequencyCode?: string;
  memberId: string;
  claimAdjustments: Adjustment[];
  /** Claim-level RARCs (MOA03..07), e.g. MA130. */
  remarkCodes?: string[];
  /** DTM*050 claim received date, YYYY-MM-DD. */
  receivedDate?: string;
  services: RemitService[];
}

export interface ProviderAdjustment {
  /** PLB03-1 adjustment reason: L6 interest, WO overpayment recovery, FB forward balance, CS adjustment… */
  reason: string;
  /** PLB03-2 reference (e.g. the recouped claim's CCN). */
  reference?: string;
  /** Positive reduces the payment, negative increases it (interest is negative). */
  amountCents: number;
}

export interface Remittance {
  payer: { id: string; name: string; taxId: string; address: { line1: string; city: string; state: string; zip: string } };
  payee: { name: string; npi: string; taxId?: string };
  /** How a positive total is paid; a zero total is always written as a notification (BPR01 H, NON). */
  paymentMethod: 'ACH' | 'CHK';
  /** TRN02: check or EFT trace number (the key to match the deposit). */
  traceNumber: string;
  /** YYYY-MM-DD: BPR16 payment (effective) date and DTM*405 production date. */
  paymentDate: string;
  claims: RemitClaim[];
  providerAdjustments: ProviderAdjustment[];
}

export interface Envelope {
  senderId: string;
  receiverId: string;
  interchangeControlNumber: number;
  groupControlNumber: number;
  transactionControlNumber: string;
  createdAt: Date;
  usage?: 'T' | 'P';
}

export class UnbalancedRemittanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnbalancedRemittanceError';
  }
}

const C = ':';

function d8(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`expected YYYY-MM-DD, got ${date}`);
  return date.replace(/-/g, '');
}

/** Payment total of a remittance: ΣCLP04 − ΣPLB. */
export function paymentTotalCents(remit: Remittance): number {
  return sumCents(remit.claims.map((c) => c.paidCents)) - sumCents(remit.providerAdjustments.map((p) => p.amountCents));
}

/** Check the three balancing rules; returns the first problem found or undefined. */
export function balancingProblem(remit: Remittance): string | undefined {
  for (const claim of remit.claims) {
    for (const [i, svc] of claim.services.entries()) {
      const casTotal = sumCents(svc.adjustments.map((a) => a.amountCents));
      if (svc.chargeCents - casTotal !== svc.paidCents) return `claim ${claim.patientControlNumber} service ${i + 1}: SVC02 - CAS != SVC03`;
    }
    const adj = sumCents([...claim.claimAdjustments, ...claim.services.flatMap((s) => s.adjustments)].map((a) => a.amountCents));
    if (claim.chargeCents - adj !== claim.paidCents) return `claim ${claim.patientControlNumber}: CLP03 - CAS != CLP04`;
    if (claim.services.length > 0 && sumCents(claim.services.map((s) => s.chargeCents)) !== claim.chargeCents) return `claim ${claim.patientControlNumber}: SVC02 sum != CLP03`;
  }
  if (paymentTotalCents(remit) < 0) return 'BPR02 would be negative';
  return undefined;
}

/** CAS segments: adjustments grouped by group code, at most six reason/amount/quantity triples per segment. */
function casSegments(adjustments: Adjustment[]): string[][] {
  const out: string[][] = [];
  const groups = [...new Set(adjustments.map((a) => a.group))];
  for (const group of groups) {
    const triples = adjustments.filter((a) => a.group === group && a.amountCents !== 0);
    for (let i = 0; i < triples.length; i += 6) {
      const seg = ['CAS', group];
      for (const a of triples.slice(i, i + 6)) seg.push(a.reason, formatCents(a.amountCents), a.quantity !== undefined ? String(a.quantity) : '');
      out.push(seg);
    }
  }
  return out;
}

function bpr(remit: Remittance, total: number): string[] {
  const amount = formatCents(total);
  const date = d8(remit.paymentDate);
  if (total === 0) return ['BPR', 'H', amount, 'C', 'NON', '', '', '', '', '', '', '', '', '', '', '', date];
  if (remit.paymentMethod === 'CHK') return ['BPR', 'I', amount, 'C', 'CHK', '', '', '', '', '', '', '', '', '', '', '', date];
  // ACH: CCP+ addenda, sender DFI (01 ABA routing) and account, originating company id (1 + EIN), receiver DFI/account.
  return ['BPR', 'I', amount, 'C', 'ACH', 'CCP', '01', '011000015', 'DA', '000123456789', `1${remit.payer.taxId}`, '', '01', '021000021', 'DA', '000987654321', date];
}

export function write835(remit: Remittance, env: Envelope): string {
  const problem = balancingProblem(remit);
  if (problem) throw new UnbalancedRemittanceError(problem);
  const total = paymentTotalCents(remit);
  // Every text element goes through x12Safe: names and ids may carry accents or delimiters from upstream. Ids are
  // not cut to the guide's maximum: a too-long id stays visible to the receiver (tests rely on that to probe it).
  const t = (value: string, max?: number) => x12Safe(value, max);

  const body: string[][] = [
    bpr(remit, total),
    ['TRN', '1', t(remit.traceNumber, 50), `1${remit.payer.taxId}`],
    ['DTM', '405', d8(remit.paymentDate)],
    ['N1', 'PR', t(remit.payer.name), 'XV', t(remit.payer.id, 80)],
    ['N3', t(remit.payer.address.line1, 55)],
    ['N4', t(remit.payer.address.city, 30), t(remit.payer.address.state, 2), t(remit.payer.address.zip, 15)],
    ['PER', 'BL', 'EDI SUPPORT', 'TE', '8005550199'],
    ['N1', 'PE', t(remit.payee.name), 'XX', t(remit.payee.npi, 80)],
  ];
  if (remit.payee.taxId) body.push(['REF', 'TJ', t(remit.payee.taxId, 50)]);
  if (remit.claims.length > 0) body.push(['LX', '1']);
  for (const claim of remit.claims) {
    body.push([
      'CLP', t(claim.patientControlNumber, 200), claim.status, formatCents(claim.chargeCents), formatCents(claim.paidCents),
      formatCents(claim.patientResponsibilityCents), claim.filingIndicator, t(claim.payerClaimControlNumber, 200),
      claim.placeOfService ?? '11', claim.frequencyCode ?? '1',
    ]);
    body.push(...casSegments(claim.claimAdjustments));
    body.push(['NM1', 'QC', '1', 'MEMBER', '', '', '', '', 'MI', t(claim.memberId, 200)]);
    if (claim.remarkCodes?.length) body.push(['MOA', '', '', ...claim.remarkCodes.slice(0, 5).map((r) => t(r, 50))]);
    if (claim.receivedDate) body.push(['DTM', '050', d8(claim.receivedDate)]);
    for (const svc of claim.services) {
      body.push(['SVC', ['HC', svc.code, ...svc.modifiers].map((p) => t(p, 48)).join(C), formatCents(svc.chargeCents), formatCents(svc.paidCents), '', String(svc.units)]);
      body.push(['DTM', '472', d8(svc.serviceDate)]);
      body.push(...casSegments(svc.adjustments));
      if (svc.lineControlNumber) body.push(['REF', '6R', t(svc.lineControlNumber, 50)]);
      if (svc.allowedCents !== undefined) body.push(['AMT', 'B6', formatCents(svc.allowedCents)]);
      for (const rarc of svc.remarkCodes ?? []) body.push(['LQ', 'HE', t(rarc, 30)]);
    }
  }
  // PLB: provider id, fiscal period end (Dec 31 of the payment year), then up to six reason:reference / amount pairs.
  for (let i = 0; i < remit.providerAdjustments.length; i += 6) {
    const seg = ['PLB', t(remit.payee.npi, 50), `${remit.paymentDate.slice(0, 4)}1231`];
    for (const p of remit.providerAdjustments.slice(i, i + 6)) seg.push(p.reference ? [p.reason, t(p.reference, 50)].join(C) : p.reason, formatCents(p.amountCents));
    body.push(seg);
  }
  // 835 X221A1 does not use ST03; GS08 carries the guide version.
  return envelope(
    { senderId: env.senderId, receiverId: env.receiverId, interchangeControlNumber: env.interchangeControlNumber, groupControlNumber: env.groupControlNumber, createdAt: env.createdAt, ...(env.usage ? { usage: env.usage } : {}) },
    'HP', '005010X221A1', '835', env.transactionControlNumber, body, { st03: false },
  );
}
