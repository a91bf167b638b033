/**
 * Streaming segment tokenizer: accepts text in chunks of any size and hands each complete segment (already split into
 * elements) to a sink, so a large file never exists as one big array of segment strings.
 *
 * Tolerates a UTF-8 BOM, CR/LF or LF after terminators, a line break as the terminator itself, indentation before
 * segments, several interchanges with different separators, and a bare ST..SE file without envelope.
 */
import { detectFromSt, detectIsa, isAlphaNumeric, type Delimiters, type Detection } from './delimiters';
import { X12ParseError } from './errors';

export interface SegmentSink {
  /** `elements[0]` is the segment id. The array is owned by the receiver. */
  segment(elements: string[], segmentIndex: number, byteOffset: number): void;
  /** Called when separators are (re)declared: at each ISA, or once when inferred from a bare ST. */
  delimiters(delimiters: Delimiters, source: 'ISA' | 'ST', segmentIndex: number, byteOffset: number): void;
  /** The input ended with data after the last terminator; it is still handed to `segment` afterwards. */
  unterminated(segmentIndex: number, segmentId: string, byteOffset: number): void;
}

export interface TokenizerOptions {
  /** Longest segment accepted before the input is declared broken (guards against a wrong terminator). */
  maxSegmentLength?: number;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** UTF-8 byte length of s[from, to). */
export function utf8Length(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Filler that may surround segments: space, tab, CR, LF, VT, FF, NUL and SUB (DOS end-of-file ^Z). Other control
 * characters are left alone because some trading partners use them as separators.
 */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12 || c === 0 || c === 26;
}

function isSegmentId(id: string): boolean {
  const len = id.length;
  if (len < 2 || len > 3) return false;
  const first = id.charCodeAt(0);
  if (first < 65 || first > 90) return false;
  for (let i = 1; i < len; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

export class SegmentTokenizer {
  private buf = '';
  /** Index in `buf` of the first unconsumed character. */
  private pos = 0;
  /** UTF-8 byte offset of buf[pos] in the whole input. */
  private bytePos = 0;
  /** Whether `buf` holds only ASCII (then char distance == byte distance). */
  private ascii = true;
  /** Where the terminator search may resume (avoids rescanning a long pending segment). */
  private searchFrom = 0;
  private delims: Delimiters | undefined;
  private started = false;
  private finished = false;
  private count = 0;
  private readonly maxSegmentLength: number;

  constructor(
    private readonly sink: SegmentSink,
    options: TokenizerOptions = {},
  ) {
    this.maxSegmentLength = options.maxSegmentLength ?? 1 << 20;
  }

  get segmentCount(): number {
    return this.count;
  }

  get currentDelimiters(): Delimiters | undefined {
    return this.delims;
  }

  push(chunk: string): void {
    if (this.finished) throw new X12ParseError('PARSER_FINISHED', 'push() after end()');
    if (chunk.length === 0) return;
    if (!this.started) {
      if (chunk.charCodeAt(0) === 0xfeff) {
        chunk = chunk.slice(1);
        this.bytePos += 3;
      }
      this.started = true;
      if (chunk.length === 0) return;
    }
    const chunkAscii = !NON_ASCII.test(chunk);
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.ascii = chunkAscii;
      this.searchFrom = Math.max(0, this.searchFrom - this.pos);
    } else {
      this.buf = this.buf.slice(this.pos) + chunk;
      this.ascii = this.ascii && chunkAscii;
      this.searchFrom -= this.pos;
    }
    this.pos = 0;
    this.drain(false);
  }

  end(): void {
    if (this.finished) return;
    this.drain(true);
    this.finished = true;
    this.buf = '';
    this.pos = 0;
  }

  private advanceBytes(to: number): void {
    this.bytePos += this.ascii ? to - this.pos : utf8Length(this.buf, this.pos, to);
    this.pos = to;
  }

  private drain(final: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    for (;;) {
      // Skip whitespace (CR/LF after terminators, indentation, blank lines).
      let start = this.pos;
      while (start < len && isSpace(buf.charCodeAt(start))) start++;
      if (start >= len) {
        this.advanceBytes(start);
        this.searchFrom = start;
        return;
      }
      if (start !== this.pos) {
        this.advanceBytes(start);
        if (this.searchFrom < start) this.searchFrom = start;
      }
      // Each ISA (re)declares the separators; without any, the input must start with ISA or a bare ST.
      if (len - start < 4 && !final) return;
      const isIsa = buf.charCodeAt(start) === 73 && buf.charCodeAt(start + 1) === 83 && buf.charCodeAt(start + 2) === 65;
      let end: number;
      if (isIsa || this.delims === undefined) {
        const index = this.count + 1;
        let found: Detection;
        let source: 'ISA' | 'ST';
        if (isIsa) {
          found = detectIsa(buf, start, final, index, this.bytePos);
          source = 'ISA';
        } else if (buf.charCodeAt(start) === 83 && buf.charCodeAt(start + 1) === 84 && !isAlphaNumeric(buf.charCodeAt(start + 2))) {
          found = detectFromSt(buf, start, final, index, this.bytePos);
          source = 'ST';
        } else {
          const head = buf.slice(start, start + 3).replace(/[^ -~]/g, '?');
          throw new X12ParseError('INVALID_START', `input must start with an ISA (or a bare ST) segment, found "${head}"`, { segmentIndex: index, byteOffset: this.bytePos });
        }
        if (found.kind === 'need-more') return;
        this.delims = found.delimiters;
        this.sink.delimiters(found.delimiters, source, index, this.bytePos);
        end = found.end;
      } else {
        end = buf.indexOf(this.delims.segment, this.searchFrom > start ? this.searchFrom : start);
        if (end < 0) {
          if (len - start > this.maxSegmentLength) {
            throw new X12ParseError('SEGMENT_TOO_LONG', `no segment terminator ${JSON.stringify(this.delims.segment)} within ${this.maxSegmentLength} characters`, {
              segmentIndex: this.count + 1,
              byteOffset: this.bytePos,
            });
          }
          if (!final) {
            this.searchFrom = len;
            return;
          }
          end = len;
        }
      }
      // Trim trailing whitespace (e.g. CR when LF terminates, spaces before the terminator).
      let stop = end;
      while (stop > start && isSpace(buf.charCodeAt(stop - 1))) stop--;
      const elements = buf.slice(start, stop).split(this.delims.element);
      const id = elements[0];
      const index = ++this.count;
      if (!isSegmentId(id)) {
        throw new X12ParseError('INVALID_SEGMENT_ID', `"${id.slice(0, 8).replace(/[^ -~]/g, '?')}" is not a segment id`, { segmentIndex: index, byteOffset: this.bytePos });
      }
      if (end === len) this.sink.unterminated(index, id, this.bytePos);
      this.sink.segment(elements, index, this.bytePos);
      this.advanceBytes(end === len ? len : end + 1);
      this.searchFrom = this.pos;
    }
  }
}
