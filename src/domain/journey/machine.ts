import { isTerminal, type JourneyStage, type JourneyState } from './stages';

/** Events that move the journey. Self-loops (e.g. auth_pended) are legal and keep the stage (for the timeline). */
export const JOURNEY_EVENTS = [
  'intake_complete',
  'eligibility_confirmed',
  'coverage_changed',
  'auth_not_required',
  'auth_approved',
  'auth_pended',
  'auth_denied',
  'auth_denied_final',
  'scheduled',
  'rescheduled',
  'service_completed',
  'coding_done',
  'billing_changes_requested',
  'billing_approved',
  'claim_submitted',
  /** self-pay: the invoice is the bill; no claim goes to a payer */
  'self_pay_billed',
  'claim_rejected',
  'claim_paid',
  'claim_denied',
  'claim_resubmitted',
  'claim_reversed',
  'patient_balance_due',
  'patient_paid',
  'posting_reconciled',
  'written_off',
  'closed_with_balance',
  'cancelled',
] as const;
export type JourneyEventType = (typeof JOURNEY_EVENTS)[number];
export type JourneyEvent = JourneyEventType | { type: JourneyEventType };

type Table = Readonly<Record<JourneyStage, Readonly<Partial<Record<JourneyEventType, JourneyState>>>>>;

/**
 * Cancel is allowed only before the invoice is posted (up to billing approval); afterwards the journey must end as paid, written off
 * (approved) or closed with a balance, because money is in flight.
 */
const cancellable = { cancelled: 'cancelled' } as const;

export const TRANSITIONS: Table = {
  intake: { intake_complete: 'eligibility', ...cancellable },
  eligibility: {
    eligibility_confirmed: 'prior_auth',
    coverage_changed: 'eligibility',
    ...cancellable,
  },
  prior_auth: {
    auth_not_required: 'scheduling',
    auth_approved: 'scheduling',
    auth_pended: 'prior_auth',
    // A denial opens the appeal / peer-to-peer path inside the stage (DOMAIN.md "Prior authorization clocks").
    auth_denied: 'prior_auth',
    // Appeals exhausted or not pursued: no service will be rendered under this referral.
    auth_denied_final: 'cancelled',
    coverage_changed: 'eligibility',
    ...cancellable,
  },
  scheduling: { scheduled: 'service', coverage_changed: 'eligibility', ...cancellable },
  // A re-check for the date of service that finds coverage gone goes back to eligibility (CO-27 prevention).
  service: { service_completed: 'coding', rescheduled: 'scheduling', coverage_changed: 'eligibility', ...cancellable },
  coding: { coding_done: 'billing_approval', ...cancellable },
  billing_approval: {
    billing_approved: 'claim_submission',
    billing_changes_requested: 'coding',
    ...cancellable,
  },
  // The invoice is posted on entering claim submission: from here money is in flight and cancel is refused.
  claim_submission: { claim_submitted: 'payer_adjudication', self_pay_billed: 'patient_balance' },
  payer_adjudication: {
    claim_paid: 'posting',
    patient_balance_due: 'patient_balance',
    // Denials are worked inside stage 9 (appeal, corrected claim, other payer): the stage stays.
    claim_denied: 'payer_adjudication',
    claim_resubmitted: 'payer_adjudication',
    claim_reversed: 'payer_adjudication',
    // Front-end rejection (277 A3/A6/A7): fix and submit again.
    claim_rejected: 'claim_submission',
    written_off: 'written_off',
    // A write-off the approver refuses leaves the open balance on the books.
    closed_with_balance: 'closed_with_balance',
  },
  patient_balance: {
    patient_balance_due: 'patient_balance',
    patient_paid: 'posting',
    claim_reversed: 'payer_adjudication',
    written_off: 'written_off',
    closed_with_balance: 'closed_with_balance',
  },
  posting: {
    posting_reconciled: 'paid',
    patient_balance_due: 'patient_balance',
    claim_reversed: 'payer_adjudication',
    claim_denied: 'payer_adjudication',
    written_off: 'written_off',
    closed_with_balance: 'closed_with_balance',
  },
};

export class IllegalTransitionError extends Error {
  readonly from: JourneyState;
  readonly event: string;
  constructor(from: JourneyState, event: string) {
    super(`illegal journey transition: ${event} in ${from}`);
    this.name = 'IllegalTransitionError';
    this.from = from;
    this.event = event;
  }
}

function typeOf(event: JourneyEvent): JourneyEventType {
  return typeof event === 'string' ? event : event.type;
}

/** The state after `event`, or undefined when it is not allowed (terminal states allow nothing). */
export function tryNext(state: JourneyState, event: JourneyEvent): JourneyState | undefined {
  if (isTerminal(state)) return undefined;
  const row = TRANSITIONS[state];
  const type = typeOf(event);
  return Object.prototype.hasOwnProperty.call(row, type) ? row[type] : undefined;
}

/** Pure transition function: the new state, or IllegalTransitionError (typed: from, event). */
export function next(state: JourneyState, event: JourneyEvent): JourneyState {
  const to = tryNext(state, event);
  if (to === undefined) throw new IllegalTransitionError(state, typeOf(event));
  return to;
}

export function canTransition(state: JourneyState, event: JourneyEvent): boolean {
  return tryNext(state, event) !== undefined;
}

/** Events accepted in `state` (empty for terminal states), in JOURNEY_EVENTS order. */
export function allowedEvents(state: JourneyState): JourneyEventType[] {
  return JOURNEY_EVENTS.filter((e) => tryNext(state, e) !== undefined);
}
