import { SimMoneyError as MoneyError, centsFromDecimal as parseCents, totalCents as sumCents } from './money';
import { npiCheckDigitOk as isValidNpi } from './npi';
import { X12SyntaxError, tokenizeX12 } from './x12';

/**
 * Reads the subset of an 837P (005010X222A1) the emulator adjudicates. Structural problems (not X12 at all) throw
 * X12SyntaxError → HTTP 400; content problems are returned as `errors` → an acknowledgement with status `rejected`,
 * like a clearinghouse 999/277CA front-end edit.
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
  diagnoses: string[];
  lines: SubmittedLine[];
}

export interface Read837 {
  claim?: SubmittedClaim;
  errors: string[];
}

const DATE8 = /^(\d{4})(\d{2})(\d{2})$/;

export function read837(text: string): Read837 {
  const doc = tokenizeX12(text);
  const errors: string[] = [];
  const { component } = doc;
  const money = (value: string | undefined, what: string): number => {
    try {
      return parseCents(value ?? '');
    } catch (err) {
      if (err instanceof MoneyError) errors.push(`${what} is not a valid amount`);
      return 0;
    }
  };

  const stIndex = doc.segments.findIndex((s) => s[0] === 'ST');
  const seIndex = doc.segments.findIndex((s) => s[0] === 'SE');
  if (stIndex < 0 || seIndex < stIndex) throw new X12SyntaxError('no ST/SE transaction set');
  const st = doc.segments[stIndex];
  if (st[1] !== '837') throw new X12SyntaxError(`transaction set ${st[1]} is not an 837`);
  if (st[3] && st[3] !== '005010X222A1') errors.push(`ST03 ${st[3]} is not 005010X222A1 (professional)`);
  const se = doc.segments[seIndex];
  if (Number(se[1]) !== seIndex - stIndex + 1) errors.push(`SE01 segment count ${se[1]} does not match ${seIndex - stIndex + 1}`);
  if (se[2] !== st[2]) errors.push('SE02 does not match ST02');

  const claims = doc.segments.filter((s) => s[0] === 'CLM');
  if (claims.length !== 1) {
    errors.push(claims.length === 0 ? 'no CLM segment' : 'one claim per interchange is supported');
    return { errors };
  }

  let billingNpi = '';
  let billingName = '';
  let memberRef = '';
  let payerId = '';
  let filingIndicator = '';
  let priorAuthNumber: string | undefined;
  let payerClaimControlNumber: string | undefined;
  const diagnoses: string[] = [];
  const lines: SubmittedLine[] = [];
  let clm: string[] | undefined;
  let current: SubmittedLine | undefined;

  for (const seg of doc.segments.slice(stIndex, seIndex)) {
    const [id, e1, , , , , , , , e9] = seg;
    if (id === 'NM1' && e1 === '85') {
      billingNpi = e9 ?? '';
      billingName = seg[3] ?? '';
    }
    else if (id === 'NM1' && e1 === 'IL') memberRef = e9 ?? '';
    else if (id === 'NM1' && e1 === 'PR') payerId = e9 ?? '';
    else if (id === 'SBR') filingIndicator = seg[9] ?? '';
    else if (id === 'CLM') clm = seg;
    else if (id === 'REF' && e1 === 'G1' && !current) priorAuthNumber = seg[2];
    else if (id === 'REF' && e1 === 'F8' && !current) payerClaimControlNumber = seg[2];
    else if (id === 'HI') {
      for (const comp of seg.slice(1)) {
        const [qualifier, code] = comp.split(component);
        if (!['ABK', 'ABF', 'BK', 'BF'].includes(qualifier) || !code) errors.push('HI diagnosis composite must be ABK/ABF:code');
        else diagnoses.push(code);
      }
    } else if (id === 'LX') {
      current = undefined;
    } else if (id === 'SV1') {
      const [qualifier, code, ...modifiers] = (seg[1] ?? '').split(component);
      if (qualifier !== 'HC' || !code) errors.push(`line ${lines.length + 1}: SV101 must be HC:<procedure code>`);
      current = {
        code: code ?? '',
        modifiers: modifiers.filter(Boolean),
        chargeCents: money(seg[2], `line ${lines.length + 1} SV102`),
        units: Number(seg[4] ?? '0'),
        diagnosisPointers: (seg[7] ?? '').split(component).filter(Boolean).map(Number),
      };
      lines.push(current);
    } else if (id === 'DTP' && e1 === '472' && current) {
      const m = DATE8.exec(seg[3] ?? '');
      if (!m) errors.push(`line ${lines.length}: DTP*472 date is invalid`);
      else current.serviceDate = `${m[1]}-${m[2]}-${m[3]}`;
    } else if (id === 'REF' && e1 === '6R' && current) {
      current.lineControlNumber = seg[2];
    }
  }

  if (!clm) return { errors: [...errors, 'no CLM segment'] };
  const [pos, , frequencyCode] = (clm[5] ?? '').split(component);
  const claim: SubmittedClaim = {
    claimId: clm[1] ?? '',
    totalChargeCents: money(clm[2], 'CLM02'),
    frequencyCode: frequencyCode ?? '',
    placeOfService: pos ?? '',
    memberRef,
    payerId,
    billingNpi,
    billingName,
    filingIndicator,
    ...(priorAuthNumber ? { priorAuthNumber } : {}),
    ...(payerClaimControlNumber ? { payerClaimControlNumber } : {}),
    diagnoses,
    lines,
  };

  if (!/^[A-Za-z0-9-]{1,38}$/.test(claim.claimId)) errors.push('CLM01 patient control number is missing or invalid');
  if (!['1', '7', '8'].includes(claim.frequencyCode)) errors.push('CLM05-3 claim frequency code must be 1, 7 or 8');
  if (!isValidNpi(billingNpi)) errors.push('billing provider NPI (NM1*85) is missing or fails the check digit');
  if (!memberRef) errors.push('subscriber member id (NM1*IL) is missing');
  if (!payerId) errors.push('payer id (NM1*PR) is missing');
  if (diagnoses.length === 0) errors.push('no diagnosis codes (HI)');
  for (const d of diagnoses) if (!/^[A-TV-Z]\d[0-9A-Z][0-9A-Z]{0,4}$/.test(d)) errors.push(`diagnosis ${d} is not a valid ICD-10-CM code`);
  if (lines.length === 0) errors.push('no service lines (SV1)');
  lines.forEach((l, i) => {
    if (!/^(?:\d{4}[0-9FTU]|[A-Z]\d{4})$/.test(l.code)) errors.push(`line ${i + 1}: procedure code is not CPT/HCPCS`);
    if (!Number.isInteger(l.units) || l.units < 1) errors.push(`line ${i + 1}: units must be a positive integer`);
    if (l.chargeCents <= 0) errors.push(`line ${i + 1}: charge must be positive`);
    if (!l.serviceDate) errors.push(`line ${i + 1}: service date (DTP*472) is missing`);
    if (l.diagnosisPointers.length === 0 || l.diagnosisPointers.some((p) => !Number.isInteger(p) || p < 1 || p > diagnoses.length)) errors.push(`line ${i + 1}: diagnosis pointer is invalid`);
  });
  if (lines.length > 0 && sumCents(lines.map((l) => l.chargeCents)) !== claim.totalChargeCents) errors.push('CLM02 total charge does not equal the sum of SV102 line charges');
  return { claim, errors };
}
