import { envelope, type EnvelopeIds } from './envelope';
import { decimalFromCents } from './money';
import { x12Safe } from './x12Charset';

/**
 * 277CA Health Care Claim Acknowledgment (005010X214) for one claim:
 *
 *   ST*277 BHT*0085*08
 *   HL*1**20*1  information source (payer)      NM1*PR TRN*1 DTP*050 DTP*009
 *   HL*2*1*21*1 information receiver (submitter) NM1*41 TRN*2 STC*A1:19:PR QTY*90|AA AMT*YU|YY
 *   HL*3*2*19*1 billing provider                 NM1*85 TRN*1 QTY*QA|QC AMT*YU|YY
 *   HL*4*3*PT   patient                          NM1*QC TRN*2*<CLM01> STC REF*1K DTP*472
 *   SE
 *
 * STC01 is category:status[:entity] (category code source 507, status code source 508, entity 98): A1/A2 accepted,
 * A3 returned as unprocessable, A7 rejected for invalid information, A8 rejected for relational field in error.
 * STC03 is WQ (accepted) or U (rejected). REF*1K carries the payer claim control number for the claim either way,
 * so a corrected claim can reference it.
 */
export interface ClaimStatus277 {
  category: string;
  statusCode: string;
  entityCode?: string;
}

export interface Ack277caInput {
  ids: EnvelopeIds;
  stControl: string;
  /** BHT03: the payer's reference for this acknowledgment. */
  reference: string;
  payer: { id: string; name: string };
  submitter: { id: string; name: string };
  billing: { npi: string; name: string };
  patient: { lastName: string; memberId: string };
  claim: {
    patientControlNumber: string;
    chargeCents: number;
    serviceDates: string[];
    receivedDate: string;
    payerClaimControlNumber: string;
    /** Several STC segments may describe one rejection; the first one decides accepted/rejected. */
    statuses: ClaimStatus277[];
    /** Free-text reason (STC12), for people; the codes are what machines read. */
    message?: string;
  };
}

const ACCEPTED = new Set(['A1', 'A2', 'A5']);

function d8(iso: string): string {
  return iso.replace(/-/g, '');
}

function stc01(s: ClaimStatus277): string {
  return [s.category, s.statusCode, s.entityCode].filter((v) => v !== undefined && v !== '').join(':');
}

export function write277ca(input: Ack277caInput): string {
  const { claim } = input;
  const accepted = ACCEPTED.has(claim.statuses[0]?.category ?? '');
  const charge = decimalFromCents(claim.chargeCents);
  const today = d8(input.ids.createdAt.toISOString().slice(0, 10));
  const counts = (acceptedQty: string, rejectedQty: string) => [
    ['QTY', accepted ? acceptedQty : rejectedQty, '1'],
    ['AMT', accepted ? 'YU' : 'YY', charge],
  ];
  const dates = [...claim.serviceDates].sort();
  const body: string[][] = [
    ['BHT', '0085', '08', x12Safe(input.reference, 50), today, input.ids.createdAt.toISOString().slice(11, 16).replace(':', ''), 'TH'],
    ['HL', '1', '', '20', '1'],
    ['NM1', 'PR', '2', x12Safe(input.payer.name), '', '', '', '', 'PI', x12Safe(input.payer.id, 80)],
    ['TRN', '1', x12Safe(input.reference, 50)],
    ['DTP', '050', 'D8', d8(claim.receivedDate)],
    ['DTP', '009', 'D8', today],
    ['HL', '2', '1', '21', '1'],
    ['NM1', '41', '2', x12Safe(input.submitter.name), '', '', '', '', '46', x12Safe(input.submitter.id, 80)],
    ['TRN', '2', x12Safe(input.reference, 50)],
    ['STC', 'A1:19:PR', today, 'WQ', charge],
    ...counts('90', 'AA'),
    ['HL', '3', '2', '19', '1'],
    ['NM1', '85', '2', x12Safe(input.billing.name), '', '', '', '', 'XX', x12Safe(input.billing.npi, 80)],
    ['TRN', '1', '0'],
    ...counts('QA', 'QC'),
    ['HL', '4', '3', 'PT'],
    ['NM1', 'QC', '1', x12Safe(input.patient.lastName || 'UNKNOWN', 60), '', '', '', '', 'MI', x12Safe(input.patient.memberId, 80)],
    ['TRN', '2', x12Safe(claim.patientControlNumber, 50)],
  ];
  claim.statuses.forEach((s, i) => {
    const message = i === 0 && claim.message ? x12Safe(claim.message, 264) : '';
    body.push(['STC', stc01(s), today, accepted ? 'WQ' : 'U', i === 0 ? charge : '', '', '', '', '', '', '', '', message]);
  });
  body.push(['REF', '1K', x12Safe(claim.payerClaimControlNumber, 50)]);
  if (dates.length > 0) {
    const [from, to] = [dates[0], dates[dates.length - 1]];
    body.push(from === to ? ['DTP', '472', 'D8', d8(from)] : ['DTP', '472', 'RD8', `${d8(from)}-${d8(to)}`]);
  }
  return envelope(input.ids, 'HN', '005010X214', '277', input.stControl, body);
}
