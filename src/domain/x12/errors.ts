/**
 * Errors and issues raised while reading X12.
 *
 * - `X12ParseError` is thrown when the input cannot be parsed (bad ISA, invalid segment id, missing required element,
 *   non-numeric amount, …) and, in strict mode, for every structural issue of severity `error` or `warning`.
 * - `X12Issue` records a structural problem the lenient parser tolerated (SE01 count mismatch, no envelope, …).
 *
 * Positions follow the fixture facts (shared/fixtures/x12/835/facts.json): `segmentIndex` is the 1-based count of
 * segments from the start of the file (ISA = 1, or the first ST when there is no envelope); `byteOffset` is the
 * 0-based UTF-8 byte offset of the segment's first character in the raw input (a BOM counts as 3 bytes; leading
 * indentation is not part of the segment).
 */

export type IssueSeverity = 'error' | 'warning' | 'info';

export type X12ErrorCode =
  | 'INVALID_ISA'
  | 'INVALID_START'
  | 'INVALID_SEGMENT_ID'
  | 'SEGMENT_TOO_LONG'
  | 'MISSING_ELEMENT'
  | 'INVALID_AMOUNT'
  | 'INVALID_VALUE'
  | 'PARSER_FINISHED'
  | X12IssueCode;

export type X12IssueCode =
  | 'NO_ENVELOPE'
  | 'TRUNCATED_SEGMENT'
  | 'SE_COUNT_MISMATCH'
  | 'SE_CONTROL_MISMATCH'
  | 'GE_COUNT_MISMATCH'
  | 'GE_CONTROL_MISMATCH'
  | 'IEA_COUNT_MISMATCH'
  | 'IEA_CONTROL_MISMATCH'
  | 'MISSING_SE'
  | 'MISSING_GE'
  | 'MISSING_IEA'
  | 'MISSING_GS'
  | 'UNEXPECTED_SEGMENT'
  | 'MISSING_BPR'
  | 'NOT_835'
  | 'SVC_MISSING_AMOUNT'
  | 'SVC_MISSING_PROCEDURE_CODE'
  | 'CAS_GROUP_NOT_IN_VERSION'
  | 'INVALID_QUANTITY'
  | 'COMPONENT_SEPARATOR_FALLBACK'
  | 'ISSUES_TRUNCATED';

/** Where in the input something happened. Every field is optional because a problem may concern the whole file. */
export interface X12Position {
  segmentIndex?: number;
  segmentId?: string;
  /** Element position such as `CLP04` (or `SVC01-2` for a component). */
  element?: string;
  byteOffset?: number;
}

export interface X12Issue extends X12Position {
  severity: IssueSeverity;
  code: X12IssueCode;
  message: string;
}

export class X12ParseError extends Error {
  readonly code: X12ErrorCode;
  readonly segmentIndex?: number;
  readonly segmentId?: string;
  readonly element?: string;
  readonly byteOffset?: number;

  constructor(code: X12ErrorCode, message: string, position: X12Position = {}) {
    super(describe(message, position));
    this.name = 'X12ParseError';
    this.code = code;
    this.segmentIndex = position.segmentIndex;
    this.segmentId = position.segmentId;
    this.element = position.element;
    this.byteOffset = position.byteOffset;
  }

  /** Plain shape for logs and the CLI (no raw data values beyond what the message carries). */
  toJSON(): { error: string; code: X12ErrorCode; segmentIndex: number | null; segmentId: string | null; element: string | null; byteOffset: number | null; message: string } {
    return {
      error: this.name,
      code: this.code,
      segmentIndex: this.segmentIndex ?? null,
      segmentId: this.segmentId ?? null,
      element: this.element ?? null,
      byteOffset: this.byteOffset ?? null,
      message: this.message,
    };
  }
}

function describe(message: string, p: X12Position): string {
  const where: string[] = [];
  if (p.segmentIndex !== undefined) where.push(`segment ${p.segmentIndex}`);
  if (p.segmentId) where.push(p.element ? `${p.segmentId}/${p.element}` : p.segmentId);
  else if (p.element) where.push(p.element);
  if (p.byteOffset !== undefined) where.push(`@byte ${p.byteOffset}`);
  return where.length > 0 ? `${where.join(' ')}: ${message}` : message;
}

/**
 * Collects issues; in strict mode any issue that is not `info` is thrown as an X12ParseError right away.
 * Keeps at most `maxIssues` entries so a pathological 50 MB file cannot grow the list without bound.
 */
export class IssueLog {
  readonly issues: X12Issue[] = [];
  private dropped = 0;

  constructor(
    private readonly strict: boolean,
    private readonly maxIssues: number,
  ) {}

  add(severity: IssueSeverity, code: X12IssueCode, message: string, position: X12Position = {}): void {
    if (this.strict && severity !== 'info') throw new X12ParseError(code, message, position);
    if (this.issues.length < this.maxIssues) this.issues.push({ severity, code, message, ...compact(position) });
    else this.dropped++;
  }

  /** Final list, with a trailing note when some issues were dropped. */
  finish(): X12Issue[] {
    if (this.dropped > 0) {
      this.issues.push({ severity: 'warning', code: 'ISSUES_TRUNCATED', message: `${this.dropped} further issue(s) not listed` });
      this.dropped = 0;
    }
    return this.issues;
  }
}

function compact(p: X12Position): X12Position {
  const out: X12Position = {};
  if (p.segmentIndex !== undefined) out.segmentIndex = p.segmentIndex;
  if (p.segmentId !== undefined) out.segmentId = p.segmentId;
  if (p.element !== undefined) out.element = p.element;
  if (p.byteOffset !== undefined) out.byteOffset = p.byteOffset;
  return out;
}
