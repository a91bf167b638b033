import { z } from 'zod';
import { ackSegments, integerElement, invalid, optionalElement, requiredElement, transactionSet, unexpected } from './ackSegments';
import { X12ParseError } from './errors';

/**
 * 999 Implementation Acknowledgment (005010X231A1) reader: did the receiver accept the 837 transaction set, and if
 * not, which segment (IK3: id, position in the set counted from ST = 1, loop, syntax code) and which element (IK4:
 * position, component, data element number, error code) were wrong. Pure; throws X12ParseError with the segment
 * position when the input is not a well-formed 999.
 *
 *   AK1 { AK2 { IK3 [CTX] { IK4 [CTX] } } IK5 } AK9
 */

/** IK501 transaction set disposition: A accepted, E accepted with errors noted, M/R/W/X rejected. */
export const IK5_DISPOSITIONS = ['A', 'E', 'M', 'R', 'W', 'X'] as const;
/** AK901 functional group disposition: A, E, P partially accepted, R, M/W/X rejected. */
export const AK9_DISPOSITIONS = ['A', 'E', 'P', 'R', 'M', 'W', 'X'] as const;

const Code = z.string().regex(/^[A-Z0-9]{1,3}$/);

export const Ack999ElementErrorSchema = z.object({
  position: z.number().int().positive(),
  component: z.number().int().positive().optional(),
  repetition: z.number().int().positive().optional(),
  dataElementRef: z.string().regex(/^\d{1,4}$/).optional(),
  /** IK403: 1 required missing, 2 conditional missing, 3 too many elements, 4 too short, 5 too long, 6 invalid character, 7 invalid code value, 8 invalid date, 9 invalid time, 10 exclusion violated, 12 too many repetitions, 13 too many components, I6 code not used, I9 implementation dependent missing, I10/I11/I12/I13… */
  code: Code,
  /** IK404: the offending value copied back by the receiver. May be member data: never log it. */
  badValue: z.string().optional(),
});

export const Ack999SegmentErrorSchema = z.object({
  segmentId: z.string().regex(/^[A-Z][A-Z0-9]{1,2}$/),
  /** IK302: position in the transaction set, ST = 1. */
  position: z.number().int().positive(),
  loopId: z.string().optional(),
  /** IK304: 1 unrecognized segment, 2 unexpected, 3 required missing, 4 loop over max, 5 segment over max use, 6 not in set, 7 out of sequence, 8 has data element errors, I4/I6/I7/I8/I9 implementation. */
  code: Code.optional(),
  elementErrors: z.array(Ack999ElementErrorSchema),
});

export const Ack999TransactionSchema = z.object({
  transactionSetId: z.string(),
  controlNumber: z.string().min(1),
  implementationReference: z.string().optional(),
  disposition: z.enum(IK5_DISPOSITIONS),
  accepted: z.boolean(),
  /** IK502..IK506: 3 ST02/SE02 mismatch, 4 segment count, 5 segments in error, 19 invalid guide reference, I5, I6… */
  errorCodes: z.array(Code),
  segmentErrors: z.array(Ack999SegmentErrorSchema),
});

export const Ack999Schema = z.object({
  /** AK102: the acknowledged group's GS06. */
  groupControlNumber: z.string().min(1),
  groupVersion: z.string().optional(),
  disposition: z.enum(AK9_DISPOSITIONS),
  /** True when at least part of the group was accepted (A, E, P). */
  accepted: z.boolean(),
  counts: z.object({ included: z.number().int().nonnegative(), received: z.number().int().nonnegative(), accepted: z.number().int().nonnegative() }),
  groupErrorCodes: z.array(Code),
  transactionSets: z.array(Ack999TransactionSchema),
});

export type Ack999 = z.infer<typeof Ack999Schema>;
export type Ack999SegmentError = z.infer<typeof Ack999SegmentErrorSchema>;
export type Ack999ElementError = z.infer<typeof Ack999ElementErrorSchema>;

function oneOf<T extends readonly string[]>(list: T, value: string, onError: () => X12ParseError): T[number] {
  if (!(list as readonly string[]).includes(value)) throw onError();
  return value as T[number];
}

export function parse999(text: string): Ack999 {
  const segments = ackSegments(text);
  const { body, se } = transactionSet(segments, '999');
  let ak1: { groupControlNumber: string; groupVersion?: string } | undefined;
  let ak9: Pick<Ack999, 'disposition' | 'counts' | 'groupErrorCodes'> | undefined;
  type OpenSet = Ack999['transactionSets'][number] & { closed: boolean };
  const sets: OpenSet[] = [];
  let set: OpenSet | undefined;
  let segment: Ack999SegmentError | undefined;

  for (const seg of body) {
    if (ak9) throw unexpected(seg, `${seg.id} after AK9`);
    switch (seg.id) {
      case 'AK1': {
        if (ak1) throw unexpected(seg, 'a second AK1');
        const version = optionalElement(seg, 3);
        ak1 = { groupControlNumber: requiredElement(seg, 2), ...(version ? { groupVersion: version } : {}) };
        break;
      }
      case 'AK2': {
        if (!ak1) throw unexpected(seg, 'AK2 before AK1');
        if (set && !set.closed) throw unexpected(seg, 'AK2 before the previous set was closed by IK5');
        const reference = optionalElement(seg, 3);
        set = { transactionSetId: requiredElement(seg, 1), controlNumber: requiredElement(seg, 2), ...(reference ? { implementationReference: reference } : {}), disposition: 'A', accepted: true, errorCodes: [], segmentErrors: [], closed: false };
        sets.push(set);
        segment = undefined;
        break;
      }
      case 'IK3': {
        if (!set || set.closed) throw unexpected(seg, 'IK3 outside an AK2 loop');
        const segmentId = requiredElement(seg, 1);
        if (!/^[A-Z][A-Z0-9]{1,2}$/.test(segmentId)) throw invalid(seg, 1, 'IK301 is not a segment id');
        const loopId = optionalElement(seg, 3);
        const code = optionalElement(seg, 4);
        segment = { segmentId, position: integerElement(seg, 2), ...(loopId ? { loopId } : {}), ...(code ? { code } : {}), elementErrors: [] };
        set.segmentErrors.push(segment);
        break;
      }
      case 'IK4': {
        if (!segment || !set || set.closed) throw unexpected(seg, 'IK4 without an IK3');
        const where = requiredElement(seg, 1).split(seg.component);
        if (!where.every((p) => p === '' || /^\d{1,4}$/.test(p)) || where[0] === '') throw invalid(seg, 1, 'IK401 must be position[:component[:repetition]]');
        const [position, component, repetition] = where.map((p) => (p === '' ? undefined : Number(p)));
        const ref = optionalElement(seg, 2);
        const badValue = optionalElement(seg, 4);
        segment.elementErrors.push({
          position: position!,
          ...(component ? { component } : {}),
          ...(repetition ? { repetition } : {}),
          ...(ref ? { dataElementRef: ref } : {}),
          code: requiredElement(seg, 3),
          ...(badValue !== undefined ? { badValue } : {}),
        });
        break;
      }
      case 'CTX':
        break; // context of an IK3/IK4 (business unit, segment context): not needed to route the error
      case 'IK5': {
        if (!set || set.closed) throw unexpected(seg, 'IK5 outside an AK2 loop');
        set.disposition = oneOf(IK5_DISPOSITIONS, requiredElement(seg, 1), () => invalid(seg, 1, `IK501 ${seg.elements[1]} is not A, E, M, R, W or X`));
        set.accepted = set.disposition === 'A' || set.disposition === 'E';
        set.errorCodes = seg.elements.slice(2).filter(Boolean);
        set.closed = true;
        segment = undefined;
        break;
      }
      case 'AK9': {
        if (!ak1) throw unexpected(seg, 'AK9 before AK1');
        if (set && !set.closed) throw unexpected(seg, 'AK9 before IK5 closed the last set');
        ak9 = {
          disposition: oneOf(AK9_DISPOSITIONS, requiredElement(seg, 1), () => invalid(seg, 1, `AK901 ${seg.elements[1]} is not A, E, P, R, M, W or X`)),
          counts: { included: integerElement(seg, 2), received: integerElement(seg, 3), accepted: integerElement(seg, 4) },
          groupErrorCodes: seg.elements.slice(5).filter(Boolean),
        };
        break;
      }
      default:
        throw unexpected(seg, `${seg.id} does not belong in a 999`);
    }
  }
  if (!ak1) throw new X12ParseError('MISSING_ELEMENT', '999 has no AK1', { segmentIndex: se.index, segmentId: 'SE' });
  if (!ak9) throw new X12ParseError('MISSING_ELEMENT', '999 has no AK9', { segmentIndex: se.index, segmentId: 'SE' });
  const result = {
    ...ak1,
    ...ak9,
    accepted: ak9.disposition === 'A' || ak9.disposition === 'E' || ak9.disposition === 'P',
    transactionSets: sets.map(({ closed: _closed, ...s }) => s),
  };
  return Ack999Schema.parse(result);
}
