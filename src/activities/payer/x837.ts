import { formatCents, sumCents } from '../../domain/money';
import { buildSecondaryCob } from '../../domain/x12/cob837';
import { toX12Text } from '../../domain/x12/charset';
import { claimFilingIndicator } from './x837Filing';
import type { ClaimDemographics, ClaimRenderInputSchema, Person } from './x837Schema';
import type { z } from 'zod';

/**
 * X12 837P (005010X222A1) generator: one professional claim per interchange.
 *
 * Loops written: ISA/GS/ST envelope, BHT, submitter (1000A), receiver (1000B), billing provider (2000A/2010AA, an
 * organization: NPI, street, 9-digit ZIP, EIN), subscriber (2000B SBR with the filing indicator of the plan,
 * 2010BA name/address and, when the subscriber is the patient, DMG; 2010BB payer), patient (2000C PAT + 2010CA) when the
 * patient is a dependent, claim (2300 CLM, REF*G1 prior auth, REF*F8 original claim for 7/8, HI), rendering provider
 * (2310B) only when an individual other than the billing organization rendered the service, other payer (2320/2330,
 * secondary claims) and service lines (2400 LX/SV1/DTP*472/REF*6R, 2430 line adjudication), SE/GE/IEA with counts.
 * Every text element goes through the X12 character set (see domain/x12/charset).
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
  /** zip: 9 digits (ZIP+4), as 5010 requires in 2010AA N403. */
  address: { line1: string; city: string; state: string; zip: string };
}

export interface X837Options {
  sender: X12Party;
  receiver: X12Party;
  billingProvider: BillingProvider;
  payerName: string;
  /** ISA13 / GS06, 1..999999999. */
  controlNumber: number;
  now: Date;
  usage?: 'T' | 'P';
  contactPhone?: string;
}

/** A claim ready to render: the validated submission with the people on it. */
export type X837Claim = z.output<typeof ClaimRenderInputSchema> & ClaimDemographics;

export const X837_SEPARATORS = { element: '*', component: ':', repetition: '^', segment: '~' } as const;

/** Text element in the X12 basic character set, never containing a delimiter. */
export function x12Text(value: string, max = 60): string {
  return toX12Text(value, max);
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}
function hm(d: Date): string {
  return d.toISOString().slice(11, 16).replace(':', '');
}
const d8 = (iso: string) => iso.replace(/-/g, '');

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

/** NM1 name + N3/N4 address (+ DMG) of a person (2010BA, 2010CA). */
function personSegments(qualifier: 'IL' | 'QC', person: Person, memberId: string | undefined, withDmg: boolean): string[][] {
  const nm1 = ['NM1', qualifier, '1', x12Text(person.last, 60), person.first ? x12Text(person.first, 35) : '', person.middle ? x12Text(person.middle, 25) : ''];
  if (memberId) nm1.push('', '', 'MI', memberId);
  const a = person.address;
  const segs = [nm1, ['N3', x12Text(a.line1, 55), ...(a.line2 ? [x12Text(a.line2, 55)] : [])], ['N4', x12Text(a.city, 30), a.state, a.zip]];
  if (withDmg) segs.push(['DMG', 'D8', d8(person.birthDate), person.gender]);
  return segs;
}

export function build837P(claim: X837Claim, opts: X837Options): string {
  const e = X837_SEPARATORS.element;
  const c = X837_SEPARATORS.component;
  const now = opts.now;
  const ctl = String(opts.controlNumber);
  const bp = opts.billingProvider;
  const npi = claim.billingNpi ?? bp.npi;
  const billingZip = bp.address.zip.replace(/\D/g, '');
  if (!/^\d{9}$/.test(billingZip)) throw new RangeError('2010AA N403: the billing provider ZIP must have 9 digits (ZIP+4)');
  if (claim.frequencyCode !== '1' && !claim.payerClaimControlNumber) throw new RangeError(`frequency ${claim.frequencyCode} needs REF*F8 (payerClaimControlNumber)`);
  const dependent = claim.patientRelationship !== undefined;
  if (dependent && !claim.patient) throw new RangeError('a dependent patient (2000C) needs the patient demographics');

  // Distinct diagnoses across lines (max 12 on the claim), each line pointing at up to 4 of them.
  const diagnoses: string[] = [];
  for (const line of claim.lines) for (const d of line.icd10) if (!diagnoses.includes(icdForX12(d))) diagnoses.push(icdForX12(d));
  if (diagnoses.length > 12) throw new RangeError('an 837P claim carries at most 12 diagnosis codes');
  const chargeCents = sumCents(claim.lines.map((l) => l.chargeCents));
  const cob = claim.cob ? buildSecondaryCob(claim.cob, chargeCents) : undefined;

  const body: string[][] = [
    ['ST', '837', '0001', '005010X222A1'],
    ['BHT', '0019', '00', claim.claimId, ymd(now), hm(now), 'CH'],
    ['NM1', '41', '2', x12Text(opts.sender.name), '', '', '', '', '46', x12Text(opts.sender.id, 80)],
    ['PER', 'IC', 'BILLING OFFICE', 'TE', opts.contactPhone ?? '8005550100'],
    ['NM1', '40', '2', x12Text(opts.receiver.name), '', '', '', '', '46', x12Text(opts.receiver.id, 80)],
    ['HL', '1', '', '20', '1'],
    ['NM1', '85', '2', x12Text(bp.name), '', '', '', '', 'XX', npi],
    ['N3', x12Text(bp.address.line1, 55)],
    ['N4', x12Text(bp.address.city, 30), x12Text(bp.address.state, 2), billingZip],
    ['REF', 'EI', bp.taxId.replace(/\D/g, '')],
    ['HL', '2', '1', '22', dependent ? '1' : '0'],
    // SBR01: S when a primary already adjudicated (COB); SBR02 18 only when the subscriber is the patient.
    ['SBR', cob ? 'S' : 'P', dependent ? '' : '18', '', '', '', '', '', '', claimFilingIndicator(claim.planType, claim.claimFilingIndicator)],
    ...personSegments('IL', claim.subscriber, claim.memberRef, !dependent),
    ['NM1', 'PR', '2', x12Text(opts.payerName), '', '', '', '', 'PI', claim.payerId],
  ];
  if (dependent && claim.patient) {
    body.push(['HL', '3', '2', '23', '0'], ['PAT', claim.patientRelationship as string], ...personSegments('QC', claim.patient, undefined, true));
  }
  body.push(['CLM', claim.claimId, formatCents(chargeCents), '', '', [claim.placeOfService ?? '11', 'B', claim.frequencyCode].join(c), 'Y', 'A', 'Y', 'Y']);
  if (claim.priorAuthNumber) body.push(['REF', 'G1', claim.priorAuthNumber]);
  if (claim.frequencyCode !== '1' && claim.payerClaimControlNumber) body.push(['REF', 'F8', claim.payerClaimControlNumber]);
  body.push(['HI', ...diagnoses.map((d, i) => [i === 0 ? 'ABK' : 'ABF', d].join(c))]);
  // 2310B only for an individual rendering provider distinct from the billing organization (IG note N290).
  const rp = claim.renderingProvider;
  if (rp && rp.npi !== npi) {
    body.push(['NM1', '82', '1', x12Text(rp.last, 60), rp.first ? x12Text(rp.first, 35) : '', '', '', '', 'XX', rp.npi]);
    if (rp.taxonomy) body.push(['PRV', 'PE', 'PXC', rp.taxonomy]);
  }
  if (cob) body.push(...cob.claim);
  claim.lines.forEach((line, i) => {
    const pointers = [...new Set(line.icd10.map((d) => diagnoses.indexOf(icdForX12(d)) + 1))].slice(0, 4);
    body.push(
      ['LX', String(i + 1)],
      ['SV1', ['HC', line.code, ...line.modifiers].join(c), formatCents(line.chargeCents), 'UN', String(line.units), '', '', pointers.join(c)],
      ['DTP', '472', 'D8', d8(claim.serviceDate)],
      ['REF', '6R', `${claim.claimId}-${i + 1}`],
      ...(cob?.byLine.get(i + 1) ?? []),
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
