import { formatCents, sumCents } from '../../domain/money';
import type { SubmitClaimInput } from './types';

/**
 * Minimal X12 837P (005010X222A1) generator: one professional claim per interchange, subscriber = patient.
 *
 * What it writes: ISA/GS/ST envelope, BHT, submitter (1000A) and receiver (1000B), billing provider (2010AA with
 * NPI, address, EIN), subscriber (2000B SBR + 2010BA member id + 2010BB payer), claim (2300 CLM with place of
 * service and frequency code, REF*G1 prior auth, REF*F8 original payer claim number for 7/8, HI diagnoses) and
 * service lines (2400 LX/SV1/DTP*472/REF*6R), closed by SE/GE/IEA with counted segments.
 *
 * What it leaves out on purpose: patient demographics (NM1*IL name, N3/N4, DMG). Journeys carry opaque member
 * references only (no PHI); a real clearinghouse connection enriches the subscriber loop from the EHR/Odoo record,
 * so the subscriber name is a fixed placeholder here.
 */

export interface X12Party {
  /** ISA06/ISA08 and GS02/GS03 id; also NM109 of the submitter/receiver. */
  id: string;
  name: string;
}

export interface BillingProvider {
  npi: string;
  name: string;
  /** Employer identification number, digits only. */
  taxId: string;
  address: { line1: string; city: string; state: string; zip: string };
}

export interface X837Options {
  sender: X12Party;
  receiver: X12Party;
  billingProvider: BillingProvider;
  payerName: string;
  /** SBR09 claim filing indicator (CI commercial, MB Medicare Part B, MC Medicaid, 16 Medicare Advantage HMO…). */
  claimFilingIndicator?: string;
  /** ISA13 / GS06, 1..999999999. */
  controlNumber: number;
  now: Date;
  usage?: 'T' | 'P';
  contactPhone?: string;
}

export const X837_SEPARATORS = { element: '*', component: ':', repetition: '^', segment: '~' } as const;

const SUBSCRIBER_NAME_PLACEHOLDER = 'MEMBER';

/** Strip characters that would break the X12 syntax and upper-case free text (names, addresses). */
export function x12Text(value: string, max = 60): string {
  return value.replace(/[*~:^\r\n]/g, ' ').replace(/\s+/g, ' ').trim().toUpperCase().slice(0, max);
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}
function hm(d: Date): string {
  return d.toISOString().slice(11, 16).replace(':', '');
}

/** NPI check digit (Luhn over "80840" + first nine digits), as required by the NPI standard. */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}

/** Build the ISA segment with its fixed-width fields. */
export function isaSegment(sender: string, receiver: string, controlNumber: number, now: Date, usage: 'T' | 'P'): string {
  if (!Number.isInteger(controlNumber) || controlNumber < 1 || controlNumber > 999_999_999) throw new RangeError('ISA13 control number must be 1..999999999');
  const pad = (s: string, n: number) => x12Text(s, n).padEnd(n, ' ');
  return [
    'ISA', '00', ' '.repeat(10), '00', ' '.repeat(10),
    'ZZ', pad(sender, 15), 'ZZ', pad(receiver, 15),
    ymd(now).slice(2), hm(now), X837_SEPARATORS.repetition, '00501',
    String(controlNumber).padStart(9, '0'), '0', usage, X837_SEPARATORS.component,
  ].join(X837_SEPARATORS.element);
}

/** ICD-10-CM as X12 wants it: no dot, upper case. */
function icdForX12(code: string): string {
  return code.replace('.', '').toUpperCase();
}

export function build837P(claim: SubmitClaimInput, opts: X837Options): string {
  const e = X837_SEPARATORS.element;
  const c = X837_SEPARATORS.component;
  const now = opts.now;
  const ctl = String(opts.controlNumber);
  const bp = opts.billingProvider;
  const npi = claim.billingNpi ?? bp.npi;

  // Distinct diagnoses across lines (max 12 on the claim), each line pointing at up to 4 of them.
  const diagnoses: string[] = [];
  for (const line of claim.lines) for (const d of line.icd10) if (!diagnoses.includes(icdForX12(d))) diagnoses.push(icdForX12(d));
  if (diagnoses.length > 12) throw new RangeError('an 837P claim carries at most 12 diagnosis codes');

  const body: string[][] = [
    ['ST', '837', '0001', '005010X222A1'],
    ['BHT', '0019', '00', claim.claimId, ymd(now), hm(now), 'CH'],
    ['NM1', '41', '2', x12Text(opts.sender.name), '', '', '', '', '46', x12Text(opts.sender.id, 80)],
    ['PER', 'IC', 'BILLING OFFICE', 'TE', opts.contactPhone ?? '8005550100'],
    ['NM1', '40', '2', x12Text(opts.receiver.name), '', '', '', '', '46', x12Text(opts.receiver.id, 80)],
    ['HL', '1', '', '20', '1'],
    ['NM1', '85', '2', x12Text(bp.name), '', '', '', '', 'XX', npi],
    ['N3', x12Text(bp.address.line1, 55)],
    ['N4', x12Text(bp.address.city, 30), x12Text(bp.address.state, 2), bp.address.zip.replace(/\D/g, '')],
    ['REF', 'EI', bp.taxId.replace(/\D/g, '')],
    ['HL', '2', '1', '22', '0'],
    ['SBR', 'P', '18', '', '', '', '', '', '', opts.claimFilingIndicator ?? 'CI'],
    ['NM1', 'IL', '1', SUBSCRIBER_NAME_PLACEHOLDER, '', '', '', '', 'MI', claim.memberRef],
    ['NM1', 'PR', '2', x12Text(opts.payerName), '', '', '', '', 'PI', claim.payerId],
    ['CLM', claim.claimId, formatCents(sumCents(claim.lines.map((l) => l.chargeCents))), '', '', [claim.placeOfService ?? '11', 'B', claim.frequencyCode].join(c), 'Y', 'A', 'Y', 'Y'],
  ];
  if (claim.priorAuthNumber) body.push(['REF', 'G1', claim.priorAuthNumber]);
  if (claim.frequencyCode !== '1' && claim.payerClaimControlNumber) body.push(['REF', 'F8', claim.payerClaimControlNumber]);
  body.push(['HI', ...diagnoses.map((d, i) => [i === 0 ? 'ABK' : 'ABF', d].join(c))]);
  claim.lines.forEach((line, i) => {
    const pointers = [...new Set(line.icd10.map((d) => diagnoses.indexOf(icdForX12(d)) + 1))].slice(0, 4);
    body.push(
      ['LX', String(i + 1)],
      ['SV1', ['HC', line.code, ...line.modifiers].join(c), formatCents(line.chargeCents), 'UN', String(line.units), '', '', pointers.join(c)],
      ['DTP', '472', 'D8', claim.serviceDate.replace(/-/g, '')],
      ['REF', '6R', `${claim.claimId}-${i + 1}`],
    );
  });
  body.push(['SE', String(body.length + 1), '0001']);

  const segments = [
    isaSegment(opts.sender.id, opts.receiver.id, opts.controlNumber, now, opts.usage ?? 'P'),
    ['GS', 'HC', x12Text(opts.sender.id, 15), x12Text(opts.receiver.id, 15), ymd(now), hm(now), ctl, 'X', '005010X222A1'].join(e),
    ...body.map((s) => trimTrailing(s).join(e)),
    ['GE', '1', ctl].join(e),
    ['IEA', '1', String(opts.controlNumber).padStart(9, '0')].join(e),
  ];
  return segments.map((s) => s + X837_SEPARATORS.segment).join('\n') + '\n';
}

/** X12 forbids trailing empty elements. */
function trimTrailing(elements: string[]): string[] {
  let end = elements.length;
  while (end > 1 && elements[end - 1] === '') end--;
  return elements.slice(0, end);
}
