import { envelope, type EnvelopeIds } from './envelope';
import { x12Safe } from './x12Charset';

/**
 * 999 Implementation Acknowledgment (005010X231A1) for one received 837 functional group with one transaction set:
 *
 *   ST*999 AK1*HC*<GS06>*<GS08> AK2*837*<ST02>*<ST03> { IK3 [CTX] { IK4 } } IK5 AK9 SE
 *
 * IK3 names the segment in error (id, position counted from ST = 1, loop id, IK304 syntax code); IK4 the element
 * (position, data element reference number, IK403 code, the bad value copied back). IK5/AK9 carry the disposition:
 * A accepted, E accepted with errors noted, R rejected.
 */
export type AckDisposition = 'A' | 'E' | 'R';

export interface ElementError {
  /** IK401-1 element position in the segment; IK401-2 component position when the error is in a composite. */
  position: number;
  component?: number;
  /** IK402 data element reference number (e.g. 782 monetary amount, 1250 date format qualifier). */
  dataElementRef?: string;
  /** IK403: 1 required missing, 6 invalid character, 7 invalid code value, 8 invalid date, I12 pattern mismatch… */
  code: string;
  badValue?: string;
}

export interface SegmentError {
  segmentId: string;
  /** Position in the transaction set, ST = 1. */
  position: number;
  loopId?: string;
  /** IK304: 1 unrecognized segment, 2 unexpected, 3 required missing, 8 has data element errors, I4/I6/I9… */
  code?: string;
  elements: ElementError[];
}

export interface Ack999Input {
  ids: EnvelopeIds;
  stControl: string;
  /** The acknowledged group and transaction set. */
  groupControlNumber: string;
  groupVersion: string;
  transactionSetId: string;
  transactionControlNumber: string;
  implementationReference?: string;
  disposition: AckDisposition;
  /** IK502..: 4 segment count mismatch, 3 ST02/SE02 mismatch, 5 segments in error, I5 implementation errors, I6… */
  transactionErrorCodes: string[];
  segmentErrors: SegmentError[];
}

export function write999(input: Ack999Input): string {
  const body: string[][] = [
    ['AK1', 'HC', input.groupControlNumber, input.groupVersion],
    ['AK2', input.transactionSetId, input.transactionControlNumber, input.implementationReference ?? ''],
  ];
  for (const seg of input.segmentErrors) {
    body.push(['IK3', seg.segmentId, String(seg.position), seg.loopId ?? '', seg.code ?? '8']);
    for (const el of seg.elements) {
      const where = [String(el.position), el.component !== undefined ? String(el.component) : ''].join(':').replace(/:$/, '');
      body.push(['IK4', where, el.dataElementRef ?? '', el.code, el.badValue !== undefined ? x12Safe(el.badValue, 99) : '']);
    }
  }
  body.push(['IK5', input.disposition, ...input.transactionErrorCodes.slice(0, 5)]);
  const accepted = input.disposition === 'R' ? 0 : 1;
  body.push(['AK9', input.disposition, '1', '1', String(accepted)]);
  return envelope(input.ids, 'FA', '005010X231A1', '999', input.stControl, body);
}
