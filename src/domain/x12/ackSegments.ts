import type { Delimiters } from './delimiters';
import { X12ParseError } from './errors';
import { SegmentTokenizer } from './tokenizer';

/**
 * Acknowledgments (999, 277CA) are small: read them whole into positioned segments on the streaming tokenizer, then
 * walk them. Each segment keeps where it was (1-based index, byte offset) so a parser can say where input is wrong.
 */
export interface AckSegment {
  id: string;
  elements: string[];
  index: number;
  byteOffset: number;
  component: string;
  repetition?: string;
}

export function ackSegments(text: string): AckSegment[] {
  const out: AckSegment[] = [];
  let delims: Delimiters | undefined;
  const tokenizer = new SegmentTokenizer({
    segment(elements, index, byteOffset) {
      out.push({ id: elements[0], elements, index, byteOffset, component: delims?.component ?? ':', ...(delims?.repetition ? { repetition: delims.repetition } : {}) });
    },
    delimiters(d) {
      delims = d;
    },
    unterminated() {
      // Tolerated: the last segment is still delivered to segment().
    },
  });
  tokenizer.push(text);
  tokenizer.end();
  return out;
}

/** Element n of a segment, or a positioned error when it is required and empty. */
export function requiredElement(seg: AckSegment, n: number): string {
  const value = seg.elements[n];
  if (value === undefined || value === '') {
    throw new X12ParseError('MISSING_ELEMENT', `${seg.id}${String(n).padStart(2, '0')} is required`, { segmentIndex: seg.index, segmentId: seg.id, element: `${seg.id}${String(n).padStart(2, '0')}`, byteOffset: seg.byteOffset });
  }
  return value;
}

export function optionalElement(seg: AckSegment, n: number): string | undefined {
  const value = seg.elements[n];
  return value === undefined || value === '' ? undefined : value;
}

export function invalid(seg: AckSegment, n: number, message: string): X12ParseError {
  const element = `${seg.id}${String(n).padStart(2, '0')}`;
  return new X12ParseError('INVALID_VALUE', message, { segmentIndex: seg.index, segmentId: seg.id, element, byteOffset: seg.byteOffset });
}

export function unexpected(seg: AckSegment, message: string): X12ParseError {
  return new X12ParseError('UNEXPECTED_SEGMENT', message, { segmentIndex: seg.index, segmentId: seg.id, byteOffset: seg.byteOffset });
}

/** Positive integer element (counts, positions). */
export function integerElement(seg: AckSegment, n: number): number {
  const raw = requiredElement(seg, n);
  if (!/^\d{1,9}$/.test(raw)) throw invalid(seg, n, 'must be a positive integer');
  return Number(raw);
}

/** The single ST..SE transaction set of an acknowledgment whose ST01 must be `setId`. */
export function transactionSet(segments: AckSegment[], setId: string): { st: AckSegment; body: AckSegment[]; se: AckSegment } {
  const stAt = segments.findIndex((s) => s.id === 'ST');
  if (stAt < 0) throw new X12ParseError('INVALID_START', `no ST segment: not a ${setId}`, {});
  const st = segments[stAt];
  if (st.elements[1] !== setId) throw invalid(st, 1, `transaction set ${st.elements[1] ?? '(none)'} is not a ${setId}`);
  const seAt = segments.findIndex((s, i) => i > stAt && s.id === 'SE');
  if (seAt < 0) throw new X12ParseError('MISSING_SE', `${setId} has no SE trailer`, { segmentIndex: segments[segments.length - 1].index, segmentId: segments[segments.length - 1].id });
  const se = segments[seAt];
  if (integerElement(se, 1) !== seAt - stAt + 1) throw new X12ParseError('SE_COUNT_MISMATCH', `SE01 ${se.elements[1]} but the set has ${seAt - stAt + 1} segments`, { segmentIndex: se.index, segmentId: 'SE', element: 'SE01', byteOffset: se.byteOffset });
  if (se.elements[2] !== st.elements[2]) throw new X12ParseError('SE_CONTROL_MISMATCH', 'SE02 does not match ST02', { segmentIndex: se.index, segmentId: 'SE', element: 'SE02', byteOffset: se.byteOffset });
  return { st, body: segments.slice(stAt + 1, seAt), se };
}
