import type { z } from 'zod';

/**
 * Typed errors of the journey client. Messages carry field paths, codes and ids only — never values, because
 * values may be PHI (member refs, amounts tied to a patient). Each has a stable `code` for the CLI and HTTP layers.
 */

export interface FieldIssue {
  /** dotted path into the input, e.g. `orderedServices.0.cpt` (empty for the root) */
  path: string;
  message: string;
}

export class JourneyClientError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The caller's input failed schema validation (nothing was sent to Temporal). */
export class JourneyInputError extends JourneyClientError {
  readonly what: string;
  readonly issues: FieldIssue[];
  constructor(what: string, issues: FieldIssue[]) {
    super('invalid_input', `${what} is invalid: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.what = what;
    this.issues = issues;
  }

  /** First failing path (the one an HTTP 400 names). */
  get path(): string {
    return this.issues[0]?.path ?? '';
  }

  static fromZod(what: string, error: z.ZodError, prefix: readonly (string | number)[] = []): JourneyInputError {
    return new JourneyInputError(
      what,
      error.issues.map((i) => ({ path: [...prefix, ...i.path].join('.'), message: safeIssueMessage(i) })),
    );
  }
}

/** zod's message without the received value (enum/literal messages echo it, and it may be PHI). */
export function safeIssueMessage(issue: z.ZodIssue): string {
  switch (issue.code) {
    case 'invalid_enum_value':
      return `must be one of ${issue.options.map(String).join(', ')}`;
    case 'invalid_union_discriminator':
      return `must be one of ${issue.options.map(String).join(', ')}`;
    case 'invalid_literal':
      return `must be ${JSON.stringify(issue.expected)}`;
    case 'unrecognized_keys':
      return `unknown field(s) ${issue.keys.join(', ')}`;
    default:
      return issue.message;
  }
}

/** The journey's update validator refused the decision (role, amount limit, segregation of duties, wrong stage…). */
export class DecisionRefusedError extends JourneyClientError {
  readonly journeyId: string;
  readonly update: string;
  constructor(journeyId: string, update: string, reason: string) {
    super('decision_refused', `${update} refused by ${journeyId}: ${reason}`);
    this.journeyId = journeyId;
    this.update = update;
  }
}

export class JourneyNotFoundError extends JourneyClientError {
  readonly journeyId: string;
  constructor(journeyId: string) {
    super('journey_not_found', `journey ${journeyId} not found`);
    this.journeyId = journeyId;
  }
}

/** The journey has finished: a late message cannot reopen it (workflow id reuse is refused on purpose). */
export class JourneyClosedError extends JourneyClientError {
  readonly journeyId: string;
  constructor(journeyId: string) {
    super('journey_closed', `journey ${journeyId} is closed`);
    this.journeyId = journeyId;
  }
}

/** An 835 that cannot be parsed; names the segment and position from the X12 parser. */
export class RemittanceParseError extends JourneyClientError {
  readonly x12Code: string;
  readonly segmentIndex?: number;
  readonly segmentId?: string;
  readonly element?: string;
  readonly byteOffset?: number;
  constructor(x12Code: string, message: string, position: { segmentIndex?: number; segmentId?: string; element?: string; byteOffset?: number }) {
    super('remittance_parse_error', message);
    this.x12Code = x12Code;
    this.segmentIndex = position.segmentIndex;
    this.segmentId = position.segmentId;
    this.element = position.element;
    this.byteOffset = position.byteOffset;
  }
}

/** An 835 claim payment whose CLP01 matches no journey (or several): kept in the dead-letter store. */
export class ClaimNotMatchedError extends JourneyClientError {
  readonly claimId: string;
  readonly reason: 'unmatched_claim' | 'ambiguous_claim' | 'journey_closed';
  constructor(claimId: string, reason: 'unmatched_claim' | 'ambiguous_claim' | 'journey_closed', detail: string) {
    super(reason, `claim ${claimId}: ${detail}`);
    this.claimId = claimId;
    this.reason = reason;
  }
}

/** No worker answered in time (a query needs a worker polling the journey's task queue). */
export class JourneyUnavailableError extends JourneyClientError {
  readonly journeyId: string;
  constructor(journeyId: string, what: string, timeoutMs: number) {
    super('journey_unavailable', `no worker answered the ${what} query of ${journeyId} within ${Math.round(timeoutMs / 1000)} s (is a worker polling its task queue?)`);
    this.journeyId = journeyId;
  }
}
