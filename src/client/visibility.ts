import { JourneyInputError } from './errors';

/**
 * Visibility queries over the journey's search attributes. Values are restricted to the id alphabet
 * `[A-Za-z0-9._-]` (every PHI-free attribute value we write fits it), then single-quoted; anything else is refused
 * instead of escaped, so no input can change the shape of the query.
 */
export const JOURNEY_WORKFLOW_TYPE = 'referralJourney';
const SAFE_VALUE = /^[A-Za-z0-9._-]{1,64}$/;

/** Whether `value` can go into a visibility query (quoteValue would take it). */
export const isQueryableValue = (value: string): boolean => SAFE_VALUE.test(value);

export interface JourneyListFilter {
  stage?: string;
  siteId?: string;
  payerId?: string;
  slaState?: string;
  exceptionQueue?: string;
  /** RUNNING (default: any) */
  executionStatus?: 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'ContinuedAsNew' | 'TimedOut';
  /** at most this many rows (default 50, max 1000) */
  limit?: number;
}

const FILTER_ATTRIBUTES: [keyof JourneyListFilter, string][] = [
  ['stage', 'Stage'],
  ['siteId', 'SiteId'],
  ['payerId', 'PayerId'],
  ['slaState', 'SlaState'],
  ['exceptionQueue', 'ExceptionQueue'],
  ['executionStatus', 'ExecutionStatus'],
];

export function quoteValue(field: string, value: string): string {
  if (!SAFE_VALUE.test(value)) {
    throw new JourneyInputError('list filter', [{ path: field, message: 'must be 1-64 characters of [A-Za-z0-9._-]' }]);
  }
  return `'${value}'`;
}

/** `WorkflowType = 'referralJourney' AND Stage = 'coding' AND ExceptionQueue = 'denials'` (KeywordList `=` means "contains"). */
export function buildJourneyQuery(filter: JourneyListFilter = {}): string {
  const clauses = [`WorkflowType = '${JOURNEY_WORKFLOW_TYPE}'`];
  for (const [field, attribute] of FILTER_ATTRIBUTES) {
    const value = filter[field];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw new JourneyInputError('list filter', [{ path: field, message: 'must be a string' }]);
    clauses.push(`${attribute} = ${quoteValue(field, value)}`);
  }
  return clauses.join(' AND ');
}

/** The journeys whose `ClaimIds` contain `claimId` (CLP01). */
export function claimQuery(claimId: string): string {
  return `WorkflowType = '${JOURNEY_WORKFLOW_TYPE}' AND ClaimIds = ${quoteValue('claimId', claimId)}`;
}

/** The journeys whose `ClaimIds` contain any of `claimIds` (each must be a valid id: see quoteValue). */
export function claimsQuery(claimIds: readonly string[]): string {
  return `WorkflowType = '${JOURNEY_WORKFLOW_TYPE}' AND ClaimIds IN (${claimIds.map((c) => quoteValue('claimId', c)).join(', ')})`;
}

export function listLimit(limit: number | undefined): number {
  if (limit === undefined) return 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new JourneyInputError('list filter', [{ path: 'limit', message: 'must be an integer from 1 to 1000' }]);
  }
  return limit;
}
