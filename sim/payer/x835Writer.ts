import { formatCents, sumCents } from '../../src/domain/money';
import { isaSegment, x12Text } from '../../src/activities/payer/x837';

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
  /** CLP06 claim filing indicator: 12 PPO, CI commercial, MB Medicare B, MC Medicaid, HM HMO… */
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

const E = '*';
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

function trimTrailing(elements: string[]): string[] {
  let end = elements.length;
  while (end > 1 && elements[end - 1] === '') end--;
  return elements.slice(0, end);
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
  const created = env.createdAt.toISOString();
  const ymd = created.slice(0, 10).replace(/-/g, '');
  const hm = created.slice(11, 16).replace(':', '');

  const body: string[][] = [
    ['ST', '835', env.transactionControlNumber],
    bpr(remit, total),
    ['TRN', '1', remit.traceNumber, `1${remit.payer.taxId}`],
    ['DTM', '405', d8(remit.paymentDate)],
    ['N1', 'PR', x12Text(remit.payer.name), 'XV', remit.payer.id],
    ['N3', x12Text(remit.payer.address.line1, 55)],
    ['N4', x12Text(remit.payer.address.city, 30), remit.payer.address.state, remit.payer.address.zip],
    ['PER', 'BL', 'EDI SUPPORT', 'TE', '8005550199'],
    ['N1', 'PE', x12Text(remit.payee.name), 'XX', remit.payee.npi],
  ];
  if (remit.payee.taxId) body.push(['REF', 'TJ', remit.payee.taxId]);
  if (remit.claims.length > 0) body.push(['LX', '1']);
  for (const claim of remit.claims) {
    body.push([
      'CLP', claim.patientControlNumber, claim.status, formatCents(claim.chargeCents), formatCents(claim.paidCents),
      formatCents(claim.patientResponsibilityCents), claim.filingIndicator, claim.payerClaimControlNumber,
      claim.placeOfService ?? '11', claim.frequencyCode ?? '1',
    ]);
    body.push(...casSegments(claim.claimAdjustments));
    body.push(['NM1', 'QC', '1', 'MEMBER', '', '', '', '', 'MI', claim.memberId]);
    if (claim.remarkCodes?.length) body.push(['MOA', '', '', ...claim.remarkCodes.slice(0, 5)]);
    if (claim.receivedDate) body.push(['DTM', '050', d8(claim.receivedDate)]);
    for (const svc of claim.services) {
      body.push(['SVC', ['HC', svc.code, ...svc.modifiers].join(C), formatCents(svc.chargeCents), formatCents(svc.paidCents), '', String(svc.units)]);
      body.push(['DTM', '472', d8(svc.serviceDate)]);
      body.push(...casSegments(svc.adjustments));
      if (svc.lineControlNumber) body.push(['REF', '6R', svc.lineControlNumber]);
      if (svc.allowedCents !== undefined) body.push(['AMT', 'B6', formatCents(svc.allowedCents)]);
      for (const rarc of svc.remarkCodes ?? []) body.push(['LQ', 'HE', rarc]);
    }
  }
  // PLB: provider id, fiscal period end (Dec 31 of the payment year), then up to six reason:reference / amount pairs.
  for (let i = 0; i < remit.providerAdjustments.length; i += 6) {
    const seg = ['PLB', remit.payee.npi, `${remit.paymentDate.slice(0, 4)}1231`];
    for (const p of remit.providerAdjustments.slice(i, i + 6)) seg.push(p.reference ? [p.reason, p.reference].join(C) : p.reason, formatCents(p.amountCents));
    body.push(seg);
  }
  body.push(['SE', String(body.length + 1), env.transactionControlNumber]);

  const segments = [
    isaSegment(env.senderId, env.receiverId, env.interchangeControlNumber, env.createdAt, env.usage ?? 'P'),
    ['GS', 'HP', env.senderId, env.receiverId, ymd, hm, String(env.groupControlNumber), 'X', '005010X221A1'].join(E),
    ...body.map((s) => trimTrailing(s).join(E)),
    ['GE', '1', String(env.groupControlNumber)].join(E),
    ['IEA', '1', String(env.interchangeControlNumber).padStart(9, '0')].join(E),
  ];
  return segments.map((s) => `${s}~`).join('\n') + '\n';
}
