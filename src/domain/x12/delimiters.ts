/**
 * Separator detection. X12 declares its own separators in the ISA segment (DOMAIN.md "Remittance"):
 * element separator = 4th character of ISA, repetition separator = ISA11 (5010; 4010 carries `U` there),
 * component separator = ISA16, segment terminator = the character right after ISA16.
 * A bare ST..SE file (no envelope) is read by inferring element separator and terminator from the ST segment.
 */
import { X12ParseError } from './errors';

export interface Delimiters {
  element: string;
  /** ISA16; for files without ISA this is a guess (`:`), see `componentInferred`. */
  component: string;
  /** ISA11 when it is a separator (5010+); undefined in 4010 (`U`). */
  repetition?: string;
  segment: string;
  componentInferred?: boolean;
}

export type Detection =
  | { kind: 'need-more' }
  /** `end` is the index of the ISA's segment terminator in the buffer. */
  | { kind: 'found'; delimiters: Delimiters; end: number };

/** Longest ISA we are willing to scan for (fixed width is 106; tolerate padding gone wrong). */
const MAX_ISA_LENGTH = 512;
/** Longest ST segment we scan when inferring separators without an envelope. */
const MAX_ST_LENGTH = 128;

export function isAlphaNumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isUsableSeparator(ch: string | undefined): ch is string {
  if (ch === undefined || ch.length !== 1) return false;
  const code = ch.charCodeAt(0);
  return !isAlphaNumeric(code) && code !== 32;
}

function printable(ch: string | undefined): string {
  if (ch === undefined) return 'end of input';
  return JSON.stringify(ch);
}

/**
 * Reads separators from an ISA starting at `pos` (which must hold "ISA"). Counts element separators instead of
 * assuming the fixed 106-character layout, then checks the result is consistent (a short ISA would otherwise borrow
 * separators from the following segments).
 */
export function detectIsa(buf: string, pos: number, final: boolean, segmentIndex: number, byteOffset: number): Detection {
  const at = { segmentIndex, segmentId: 'ISA', byteOffset };
  if (buf.length - pos < 4) {
    if (!final) return { kind: 'need-more' };
    throw new X12ParseError('INVALID_ISA', 'ISA segment is truncated', { ...at, element: 'ISA01' });
  }
  const element = buf[pos + 3];
  if (!isUsableSeparator(element) || element === '\r' || element === '\n') {
    throw new X12ParseError('INVALID_ISA', `ISA element separator ${printable(element)} is not a valid separator`, { ...at, element: 'ISA01' });
  }
  // Find the separator that precedes ISA16.
  let p = pos + 3;
  for (let n = 1; n <= 15; n++) {
    const next = buf.indexOf(element, p + 1);
    if (next < 0 || next - pos > MAX_ISA_LENGTH) {
      if (!final && next < 0 && buf.length - pos <= MAX_ISA_LENGTH) return { kind: 'need-more' };
      throw shortIsa(buf, pos, element, at);
    }
    p = next;
  }
  // p is the separator before ISA16.
  if (buf.length < p + 3) {
    if (!final) return { kind: 'need-more' };
    throw new X12ParseError('INVALID_ISA', 'ISA segment is truncated before its segment terminator', { ...at, element: 'ISA16' });
  }
  const component = buf[p + 1];
  const segment = buf[p + 2];
  if (!isUsableSeparator(component) || component === '\r' || component === '\n' || component === element) {
    throw shortIsaOr(buf, pos, p, element, at, `ISA16 component separator ${printable(component)} is not a valid separator`, 'ISA16');
  }
  if (segment === element || segment === component || (!isUsableSeparator(segment) && segment !== '\n' && segment !== '\r')) {
    throw shortIsaOr(buf, pos, p, element, at, `segment terminator ${printable(segment)} after ISA16 is not a valid terminator`, 'ISA16');
  }
  // A short ISA would contain the terminator before ISA16.
  const early = buf.indexOf(segment, pos);
  if (early >= 0 && early < p) throw shortIsa(buf, pos, element, at, segment);

  const isa11Start = nthSeparator(buf, pos, element, 11) + 1;
  const isa11 = buf.slice(isa11Start, buf.indexOf(element, isa11Start));
  const repetition = isUsableSeparator(isa11) && isa11 !== element && isa11 !== component && isa11 !== segment ? isa11 : undefined;
  return { kind: 'found', delimiters: { element, component, repetition, segment }, end: p + 2 };
}

function nthSeparator(buf: string, pos: number, element: string, n: number): number {
  let p = pos + 3;
  for (let i = 1; i < n; i++) p = buf.indexOf(element, p + 1);
  return p;
}

function shortIsaOr(buf: string, pos: number, p: number, element: string, at: object, message: string, elementName: string): X12ParseError {
  // If a usual terminator shows up inside the ISA, the real problem is a missing element.
  for (const t of ['~', '\n']) {
    const i = buf.indexOf(t, pos);
    if (i >= 0 && i < p) return shortIsa(buf, pos, element, at, t);
  }
  return new X12ParseError('INVALID_ISA', message, { ...at, element: elementName });
}

function shortIsa(buf: string, pos: number, element: string, at: object, terminator?: string): X12ParseError {
  const candidates = terminator ? [terminator] : ['~', '\n'];
  let stop = Math.min(buf.length, pos + MAX_ISA_LENGTH);
  for (const t of candidates) {
    const i = buf.indexOf(t, pos);
    if (i >= 0 && i < stop) stop = i;
  }
  let count = 0;
  for (let i = pos + 3; i < stop; i++) if (buf[i] === element) count++;
  return new X12ParseError('INVALID_ISA', `ISA has ${count} element(s); 16 are required`, { ...at, element: `ISA${String(Math.min(count + 1, 16)).padStart(2, '0')}` });
}

/**
 * Infers separators from a bare `ST` segment at `pos`: element separator = the character after "ST"; terminator = the
 * first character after that which is neither alphanumeric, a space nor the element separator.
 */
export function detectFromSt(buf: string, pos: number, final: boolean, segmentIndex: number, byteOffset: number): Detection {
  const at = { segmentIndex, segmentId: 'ST', byteOffset };
  if (buf.length - pos < 3) {
    if (!final) return { kind: 'need-more' };
    throw new X12ParseError('INVALID_START', 'input ends inside the first ST segment', at);
  }
  const element = buf[pos + 2];
  if (!isUsableSeparator(element) || element === '\r' || element === '\n') {
    throw new X12ParseError('INVALID_START', `cannot infer the element separator from ST (${printable(element)})`, at);
  }
  const limit = Math.min(buf.length, pos + MAX_ST_LENGTH);
  for (let i = pos + 3; i < limit; i++) {
    const ch = buf[i];
    const code = ch.charCodeAt(0);
    if (ch === element || code === 32 || isAlphaNumeric(code)) continue;
    return { kind: 'found', delimiters: { element, component: ':', segment: ch, componentInferred: true }, end: i };
  }
  if (!final && buf.length - pos < MAX_ST_LENGTH) return { kind: 'need-more' };
  throw new X12ParseError('INVALID_START', 'cannot find the terminator of the first ST segment', at);
}
