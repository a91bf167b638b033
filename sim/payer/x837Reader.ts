import type { ClaimStatus277 } from './ack277caWriter';
import type { SegmentError } from './ack999Writer';
import { SimMoneyError, centsFromDecimal, totalCents } from './money';
import { npiCheckDigitOk } from './npi';
import { X12SyntaxError, tokenizeX12 } from './x12';

/**
 * Reads the subset of an 837P (005010X222A1) the emulator adjudicates, and sorts what is wrong with it the way a
 * clearinghouse front end does:
 * - not X12 at all → X12SyntaxError (HTTP 400);
 * - syntax / implementation-guide problems (counts, control numbers, guide version, bad numbers and dates) →
 *   `syntax`, reported in the 999 (IK3/IK4/IK5) — the transaction is rejected before anyone reads the claim;
 * - content edits (NPI check digit, unknown member, codes, balancing) → `edits`, each with the 277CA status
 *   (category A7 "rejected for invalid information" + status code source 508 + entity) that reports it.
 * `errors` lists every problem as text, for people and the JSON acknowledgement.
 */
export interface SubmittedLine {
  code: string;
  modifiers: string[];
  chargeCents: number;
  units: number;
  diagnosisPointers: number[];
  serviceDate?: string;
  lineControlNumber?: string;
}

export interface SubmittedClaim {
  claimId: string;
  totalChargeCents: number;
  frequencyCode: string;
  placeOfService: string;
  memberRef: string;
  payerId: string;
  billingNpi: string;
  billingName: string;
  filingIndicator: string;
  priorAuthNumber?: string;
  payerClaimControlNumber?: string;
  /** SBR01 of 2000B: P primary, S secondary, T tertiary (a secondary claim carries the primary in 2320/2330) */
  payerResponsibility?: string;
  /** 2320 AMT*D: what the other (prior) payer paid, when this is a secondary claim */
  otherPayerPaidCents?: number;
  /** 2320 claim-level CAS*PR amounts: what the prior payer left to the patient (a secondary claim) */
  otherPayerPatientResponsibilityCents?: number;
  diagnoses: string[];
  lines: SubmittedLine[];
  /** 2010BA NM1*IL last name as received (echoed in the 277CA patient loop). */
  subscriberLastName?: string;
}

export interface ContentEdit {
  message: string;
  status: ClaimStatus277;
}

export interface ReceivedEnvelope {
  senderId: string;
  submitterName: string;
  groupControlNumber: string;
  groupVersion: string;
  transactionControlNumber: string;
  implementationReference: string;
}

export interface Read837 {
  claim?: SubmittedClaim;
  errors: string[];
  envelope: ReceivedEnvelope;
  syntax: { segmentErrors: SegmentError[]; transactionErrorCodes: string[] };
  edits: ContentEdit[];
}

const DATE8 = /^(\d{4})(\d{2})(\d{2})$/;

export function read837(text: string): Read837 {
  const doc = tokenizeX12(text);
  const { component } = doc;
  const segmentErrors: SegmentError[] = [];
  const transactionErrorCodes: string[] = [];
  const edits: ContentEdit[] = [];
  const syntaxMessages: string[] = [];
  const edit = (message: string, statusCode: string, entityCode?: string) => edits.push({ message, status: { category: 'A7', statusCode, ...(entityCode ? { entityCode } : {}) } });

  const stIndex = doc.segments.findIndex((s) => s[0] === 'ST');
  const seIndex = doc.segments.findIndex((s) => s[0] === 'SE');
  if (stIndex < 0 || seIndex < stIndex) throw new X12SyntaxError('no ST/SE transaction set');
  const st = doc.segments[stIndex];
  if (st[1] !== '837') throw new X12SyntaxError(`transaction set ${st[1]} is not an 837`);
  const isa = doc.segments[0];
  const gs = doc.segments.find((s) => s[0] === 'GS') ?? [];
  const env: ReceivedEnvelope = {
    senderId: (isa[6] ?? '').trim(),
    submitterName: '',
    groupControlNumber: gs[6] ?? '',
    groupVersion: gs[8] ?? '',
    transactionControlNumber: st[2] ?? '',
    implementationReference: st[3] ?? '',
  };
  /** Position of a segment inside the transaction set, ST = 1 (IK302). */
  const pos = (absolute: number) => absolute - stIndex + 1;
  const elementError = (absolute: number, loopId: string, position: number, code: string, dataElementRef: string, message: string, componentPos?: number) => {
    const seg = doc.segments[absolute];
    segmentErrors.push({ segmentId: seg[0], position: pos(absolute), loopId, code: '8', elements: [{ position, ...(componentPos ? { component: componentPos } : {}), dataElementRef, code, badValue: (componentPos ? (seg[position] ?? '').split(component)[componentPos - 1] : seg[position]) ?? '' }] });
    syntaxMessages.push(message);
  };

  if (st[3] && st[3] !== '005010X222A1') {
    transactionErrorCodes.push('I6');
    syntaxMessages.push(`ST03 ${st[3]} is not 005010X222A1 (professional)`);
  }
  const se = doc.segments[seIndex];
  if (Number(se[1]) !== seIndex - stIndex + 1) {
    transactionErrorCodes.push('4');
    syntaxMessages.push(`SE01 segment count ${se[1]} does not match ${seIndex - stIndex + 1}`);
  }
  if (se[2] !== st[2]) {
    transactionErrorCodes.push('3');
    syntaxMessages.push('SE02 does not match ST02');
  }

  const money = (absolute: number, loopId: string, position: number, what: string): number => {
    try {
      return centsFromDecimal(doc.segments[absolute][position] ?? '');
    } catch (err) {
      if (!(err instanceof SimMoneyError)) throw err;
      elementError(absolute, loopId, position, '6', '782', `${what} is not a valid amount`);
      return 0;
    }
  };

  let billingNpi = '';
  let billingName = '';
  let memberRef = '';
  let subscriberLastName: string | undefined;
  let payerId = '';
  let filingIndicator = '';
  let priorAuthNumber: string | undefined;
  let payerClaimControlNumber: string | undefined;
  let payerResponsibility = '';
  let otherPayerPaidCents: number | undefined;
  let otherPayerPatientCents: number | undefined;
  /** 2320/2330 repeat SBR, NM1*IL and NM1*PR for the other payer: only the first (2000B/2010BA/2010BB) is this claim's */
  let inOtherPayerLoops = false;
  const diagnoses: string[] = [];
  const lines: SubmittedLine[] = [];
  let clmIndex = -1;
  let current: SubmittedLine | undefined;

  for (let i = stIndex; i < seIndex; i++) {
    const seg = doc.segments[i];
    const [id, e1, , , , , , , , e9] = seg;
    if (id === 'NM1' && e1 === '41') env.submitterName = seg[3] ?? '';
    else if (id === 'NM1' && e1 === '85') {
      billingNpi = e9 ?? '';
      billingName = seg[3] ?? '';
    } else if (id === 'NM1' && e1 === 'IL' && !inOtherPayerLoops) {
      memberRef = e9 ?? '';
      subscriberLastName = seg[3];
    } else if (id === 'NM1' && e1 === 'PR' && !inOtherPayerLoops) payerId = e9 ?? '';
    else if (id === 'SBR' && !payerResponsibility) {
      payerResponsibility = e1 ?? '';
      filingIndicator = seg[9] ?? '';
    } else if (id === 'SBR') inOtherPayerLoops = true;
    else if (id === 'AMT' && e1 === 'D' && inOtherPayerLoops && otherPayerPaidCents === undefined) otherPayerPaidCents = money(i, '2320', 2, '2320 AMT02');
    else if (id === 'CAS' && e1 === 'PR' && inOtherPayerLoops && !current) {
      // 2320 CAS: group, then up to six reason/amount/quantity triplets (amounts at 3, 6, … 18)
      for (let k = 3; k <= 18 && seg[k] !== undefined; k += 3) otherPayerPatientCents = (otherPayerPatientCents ?? 0) + money(i, '2320', k, '2320 CAS amount');
    }
    else if (id === 'CLM') {
      if (clmIndex >= 0) continue;
      clmIndex = i;
    } else if (id === 'REF' && e1 === 'G1' && !current) priorAuthNumber = seg[2];
    else if (id === 'REF' && e1 === 'F8' && !current) payerClaimControlNumber = seg[2];
    else if (id === 'HI') {
      seg.slice(1).forEach((comp, k) => {
        const [qualifier, code] = comp.split(component);
        if (!['ABK', 'ABF', 'BK', 'BF'].includes(qualifier) || !code) elementError(i, '2300', k + 1, '7', '1270', 'HI diagnosis composite must be ABK/ABF:code', 1);
        else diagnoses.push(code);
      });
    } else if (id === 'LX') {
      current = undefined;
      inOtherPayerLoops = false;
    } else if (id === 'SV1') {
      const [qualifier, code, ...modifiers] = (seg[1] ?? '').split(component);
      if (qualifier !== 'HC' || !code) edit(`line ${lines.length + 1}: SV101 must be HC:<procedure code>`, '454');
      current = {
        code: code ?? '',
        modifiers: modifiers.filter(Boolean),
        chargeCents: money(i, '2400', 2, `line ${lines.length + 1} SV102`),
        units: Number(seg[4] ?? '0'),
        diagnosisPointers: (seg[7] ?? '').split(component).filter(Boolean).map(Number),
      };
      lines.push(current);
    } else if (id === 'DTP' && e1 === '472' && current) {
      const m = DATE8.exec(seg[3] ?? '');
      if (!m) elementError(i, '2400', 3, '8', '1251', `line ${lines.length}: DTP*472 date is invalid`);
      else current.serviceDate = `${m[1]}-${m[2]}-${m[3]}`;
    } else if (id === 'REF' && e1 === '6R' && current) {
      current.lineControlNumber = seg[2];
    }
  }

  const claimCount = doc.segments.slice(stIndex, seIndex).filter((s) => s[0] === 'CLM').length;
  const result = (claim?: SubmittedClaim): Read837 => ({
    ...(claim ? { claim } : {}),
    errors: [...syntaxMessages, ...edits.map((e) => e.message)],
    envelope: env,
    syntax: { segmentErrors, transactionErrorCodes: segmentErrors.length > 0 && !transactionErrorCodes.includes('5') ? [...transactionErrorCodes, '5'] : transactionErrorCodes },
    edits,
  });
  if (claimCount !== 1) {
    if (claimCount === 0) {
      segmentErrors.push({ segmentId: 'CLM', position: pos(seIndex), loopId: '2300', code: '3', elements: [] });
      syntaxMessages.push('no CLM segment');
    } else edit('one claim per interchange is supported', '21');
    return result();
  }

  const clm = doc.segments[clmIndex];
  const [placeOfService, , frequencyCode] = (clm[5] ?? '').split(component);
  const claim: SubmittedClaim = {
    claimId: clm[1] ?? '',
    totalChargeCents: money(clmIndex, '2300', 2, 'CLM02'),
    frequencyCode: frequencyCode ?? '',
    placeOfService: placeOfService ?? '',
    memberRef,
    payerId,
    billingNpi,
    billingName,
    filingIndicator,
    ...(priorAuthNumber ? { priorAuthNumber } : {}),
    payerResponsibility: payerResponsibility || 'P',
    ...(otherPayerPaidCents !== undefined ? { otherPayerPaidCents } : {}),
    ...(otherPayerPatientCents !== undefined ? { otherPayerPatientResponsibilityCents: otherPayerPatientCents } : {}),
    ...(payerClaimControlNumber ? { payerClaimControlNumber } : {}),
    ...(subscriberLastName !== undefined ? { subscriberLastName } : {}),
    diagnoses,
    lines,
  };

  if (!/^[A-Za-z0-9-]{1,38}$/.test(claim.claimId)) edit('CLM01 patient control number is missing or invalid', '21');
  if (!['1', '7', '8'].includes(claim.frequencyCode)) edit('CLM05-3 claim frequency code must be 1, 7 or 8', '21');
  if (!npiCheckDigitOk(billingNpi)) edit('billing provider NPI (NM1*85) is missing or fails the check digit', '562', '85');
  if (!memberRef) edit('subscriber member id (NM1*IL) is missing', '164', 'IL');
  if (!payerId) edit('payer id (NM1*PR) is missing', '116', 'PR');
  if (diagnoses.length === 0) edit('no diagnosis codes (HI)', '255');
  for (const d of diagnoses) if (!/^[A-TV-Z]\d[0-9A-Z][0-9A-Z]{0,4}$/.test(d)) edit(`diagnosis ${d} is not a valid ICD-10-CM code`, '255');
  if (lines.length === 0) edit('no service lines (SV1)', '454');
  lines.forEach((l, i) => {
    if (!/^(?:\d{4}[0-9FTU]|[A-Z]\d{4})$/.test(l.code)) edit(`line ${i + 1}: procedure code is not CPT/HCPCS`, '454');
    if (!Number.isInteger(l.units) || l.units < 1) edit(`line ${i + 1}: units must be a positive integer`, '21');
    if (l.chargeCents <= 0) edit(`line ${i + 1}: charge must be positive`, '178');
    if (!l.serviceDate) edit(`line ${i + 1}: service date (DTP*472) is missing`, '187');
    if (l.diagnosisPointers.length === 0 || l.diagnosisPointers.some((p) => !Number.isInteger(p) || p < 1 || p > diagnoses.length)) edit(`line ${i + 1}: diagnosis pointer is invalid`, '255');
  });
  if (lines.length > 0 && totalCents(lines.map((l) => l.chargeCents)) !== claim.totalChargeCents) edit('CLM02 total charge does not equal the sum of SV102 line charges', '400');
  return result(claim);
}
