import { z } from 'zod';
import { parseCents } from '../money';
import { ackSegments, invalid, optionalElement, requiredElement, transactionSet, unexpected, type AckSegment } from './ackSegments';
import { X12ParseError } from './errors';

/**
 * 277CA Health Care Claim Acknowledgment (005010X214) reader. Walks the HL hierarchy (20 information source,
 * 21 information receiver, 19 billing provider, PT patient) and returns one entry per patient-level claim:
 * the claim's TRN02 (our CLM01), its STC statuses (category code source 507, status code source 508, entity 98),
 * the payer claim control number (REF*1K) and whether the payer accepted it (category A1/A2/A5, A0 forwarded) or
 * rejected it (A3 returned as unprocessable, A4 not found, A6/A7/A8 rejected). Pure; throws X12ParseError with the
 * segment position when the input is not a well-formed 277CA.
 */
export const ACCEPTED_CATEGORIES = ['A0', 'A1', 'A2', 'A5'] as const;
export const REJECTED_CATEGORIES = ['A3', 'A4', 'A6', 'A7', 'A8'] as const;

const StatusSchema = z.object({
  category: z.string().regex(/^[A-Z][0-9A-Z]{1,2}$/),
  statusCode: z.string().regex(/^[0-9A-Z]{1,30}$/),
  entityCode: z.string().regex(/^[0-9A-Z]{2,3}$/).optional(),
  /** STC03: WQ accepted, U rejected. */
  actionCode: z.string().optional(),
  chargeCents: z.number().int().optional(),
  /** STC12 free-text message from the payer. */
  message: z.string().optional(),
});

export const Ack277ClaimSchema = z.object({
  patientControlNumber: z.string().min(1),
  payerClaimControlNumber: z.string().min(1).optional(),
  statuses: z.array(StatusSchema).min(1),
  accepted: z.boolean(),
  /** Segment index (1-based in the file) of the claim's first STC, to point people at it. */
  segmentIndex: z.number().int().positive(),
});

export const Ack277caSchema = z.object({
  reference: z.string().optional(),
  claims: z.array(Ack277ClaimSchema),
});

export type Ack277ca = z.infer<typeof Ack277caSchema>;
export type Ack277Claim = z.infer<typeof Ack277ClaimSchema>;
export type Ack277Status = z.infer<typeof StatusSchema>;

function stc(seg: AckSegment): Ack277Status {
  const parts = requiredElement(seg, 1).split(seg.component);
  const [category, statusCode, entityCode] = parts;
  if (!category || !/^[A-Z][0-9A-Z]{1,2}$/.test(category)) throw invalid(seg, 1, 'STC01-1 is not a claim status category code');
  if (!statusCode || !/^[0-9A-Z]{1,30}$/.test(statusCode)) throw invalid(seg, 1, 'STC01-2 is not a claim status code');
  const action = optionalElement(seg, 3);
  const amount = optionalElement(seg, 4);
  let chargeCents: number | undefined;
  if (amount !== undefined) {
    try {
      chargeCents = parseCents(amount);
    } catch {
      throw invalid(seg, 4, 'STC04 is not a monetary amount');
    }
  }
  const message = optionalElement(seg, 12);
  return {
    category,
    statusCode,
    ...(entityCode ? { entityCode } : {}),
    ...(action ? { actionCode: action } : {}),
    ...(chargeCents !== undefined ? { chargeCents } : {}),
    ...(message ? { message } : {}),
  };
}

export function parse277ca(text: string): Ack277ca {
  const segments = ackSegments(text);
  const { st, body } = transactionSet(segments, '277');
  const reference = st.elements[3];
  if (reference && !reference.startsWith('005010X214')) throw invalid(st, 3, `ST03 ${reference} is not the 277CA guide (005010X214)`);
  const bht = body[0];
  if (!bht || bht.id !== 'BHT') throw new X12ParseError('MISSING_ELEMENT', '277CA must start with BHT', bht ? { segmentIndex: bht.index, segmentId: bht.id, byteOffset: bht.byteOffset } : {});
  const claims: Ack277Claim[] = [];
  let level: string | undefined;
  let claim: { patientControlNumber?: string; payerClaimControlNumber?: string; statuses: Ack277Status[]; at?: number; hl: AckSegment; inService?: boolean } | undefined;
  const close = () => {
    if (!claim) return;
    if (!claim.patientControlNumber) throw new X12ParseError('MISSING_ELEMENT', 'patient-level HL without TRN*2 claim id', { segmentIndex: claim.hl.index, segmentId: 'HL', byteOffset: claim.hl.byteOffset });
    if (claim.statuses.length === 0) throw new X12ParseError('MISSING_ELEMENT', 'patient-level HL without STC', { segmentIndex: claim.hl.index, segmentId: 'HL', byteOffset: claim.hl.byteOffset });
    const first = claim.statuses[0].category;
    claims.push({
      patientControlNumber: claim.patientControlNumber,
      ...(claim.payerClaimControlNumber ? { payerClaimControlNumber: claim.payerClaimControlNumber } : {}),
      statuses: claim.statuses,
      accepted: (ACCEPTED_CATEGORIES as readonly string[]).includes(first),
      segmentIndex: claim.at ?? claim.hl.index,
    });
    claim = undefined;
  };

  for (const seg of body.slice(1)) {
    if (seg.id === 'HL') {
      close();
      level = requiredElement(seg, 3);
      if (!['20', '21', '19', 'PT'].includes(level)) throw invalid(seg, 3, `HL03 ${level} is not a 277CA level (20, 21, 19, PT)`);
      if (level === 'PT') claim = { statuses: [], hl: seg };
      continue;
    }
    if (!level) throw unexpected(seg, `${seg.id} before the first HL`);
    if (!claim) continue; // source/receiver/provider levels: totals and names, not needed per claim
    // 2220D service lines (SVC, then their own STC/REF/DTP) follow the claim's segments; their statuses are per line.
    if (seg.id === 'SVC') claim.inService = true;
    if (claim.inService) continue;
    if (seg.id === 'TRN' && seg.elements[1] === '2') claim.patientControlNumber = requiredElement(seg, 2);
    else if (seg.id === 'STC') {
      claim.at ??= seg.index;
      claim.statuses.push(stc(seg));
    } else if (seg.id === 'REF' && seg.elements[1] === '1K') claim.payerClaimControlNumber = requiredElement(seg, 2);
  }
  close();
  return Ack277caSchema.parse({ ...(bht.elements[3] ? { reference: bht.elements[3] } : {}), claims });
}
