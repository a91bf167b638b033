/**
 * The journey's stages as data (DESIGN.md "The journey": 11 stages, each with an owner, an SLA and an exit) and its
 * terminal states. Order matters for the UI only; transitions are in machine.ts.
 */
export const JOURNEY_STAGES = [
  'intake',
  'eligibility',
  'prior_auth',
  'scheduling',
  'service',
  'coding',
  'billing_approval',
  'claim_submission',
  'payer_adjudication',
  'patient_balance',
  'posting',
] as const;
export type JourneyStage = (typeof JOURNEY_STAGES)[number];

export const TERMINAL_STATES = ['paid', 'written_off', 'cancelled', 'closed_with_balance'] as const;
export type TerminalState = (typeof TERMINAL_STATES)[number];

export type JourneyState = JourneyStage | TerminalState;

/** Work queues / teams that own a stage (escalation targets are in the SLA policy). */
export type StageOwner =
  | 'intake_team'
  | 'eligibility_team'
  | 'prior_auth_team'
  | 'scheduling_team'
  | 'clinical_team'
  | 'coding_team'
  | 'billing_team'
  | 'claims_team'
  | 'denials_team'
  | 'patient_financial_services'
  | 'cash_posting_team'
  | 'none';

export interface StageInfo {
  /** 1-based position in DESIGN.md; terminal states have 0 */
  order: number;
  label: string;
  owner: StageOwner;
  /** what the stage waits for, for the UI */
  description: string;
  terminal: boolean;
}

export const STAGE_INFO: Readonly<Record<JourneyState, StageInfo>> = {
  intake: {
    order: 1,
    label: 'Intake validation',
    owner: 'intake_team',
    description: 'Referral payload validated; waiting for required documents.',
    terminal: false,
  },
  eligibility: {
    order: 2,
    label: 'Eligibility',
    owner: 'eligibility_team',
    description: 'Waiting for the payer eligibility response (active coverage, benefits, auth requirement).',
    terminal: false,
  },
  prior_auth: {
    order: 3,
    label: 'Prior authorization',
    owner: 'prior_auth_team',
    description: 'Waiting for the payer decision (approved, denied, pended, modified) under the regulatory clock.',
    terminal: false,
  },
  scheduling: {
    order: 4,
    label: 'Scheduling readiness',
    owner: 'scheduling_team',
    description: 'Gate: eligibility ok, auth ok or not required, documents complete; then book the appointment.',
    terminal: false,
  },
  service: {
    order: 5,
    label: 'Service completion',
    owner: 'clinical_team',
    description: 'Waiting for the encounter (service completed) after the appointment.',
    terminal: false,
  },
  coding: {
    order: 6,
    label: 'Documentation & coding review',
    owner: 'coding_team',
    description: 'AI classification; human coding review when confidence is below the site threshold.',
    terminal: false,
  },
  billing_approval: {
    order: 7,
    label: 'Billing release approval',
    owner: 'billing_team',
    description: 'Waiting for a billing release approval by a permitted role other than the preparer.',
    terminal: false,
  },
  claim_submission: {
    order: 8,
    label: 'Claim submission',
    owner: 'claims_team',
    description: 'Invoice posted and claim sent to the payer before the timely-filing deadline.',
    terminal: false,
  },
  payer_adjudication: {
    order: 9,
    label: 'Payer status & denials',
    owner: 'denials_team',
    description: 'Waiting for claim status / remittance; denials routed to work queues, appeals, corrected claims.',
    terminal: false,
  },
  patient_balance: {
    order: 10,
    label: 'Patient responsibility',
    owner: 'patient_financial_services',
    description: 'Statements, payment plans, payments and disputes; No Surprises Act and 501(r) holds apply.',
    terminal: false,
  },
  posting: {
    order: 11,
    label: 'Payment posting & reconciliation',
    owner: 'cash_posting_team',
    description: 'Remittance matched and posted; balances reconciled.',
    terminal: false,
  },
  paid: { order: 0, label: 'Paid', owner: 'none', description: 'Fully paid and reconciled.', terminal: true },
  written_off: { order: 0, label: 'Written off', owner: 'none', description: 'Remaining balance written off with approval.', terminal: true },
  cancelled: { order: 0, label: 'Cancelled', owner: 'none', description: 'Journey cancelled before a claim was filed.', terminal: true },
  closed_with_balance: {
    order: 0,
    label: 'Closed with balance',
    owner: 'none',
    description: 'Closed with an open balance (e.g. placed with collections or uncollectible).',
    terminal: true,
  },
};

export function isTerminal(state: JourneyState): state is TerminalState {
  return (TERMINAL_STATES as readonly string[]).includes(state);
}

export function isJourneyState(value: unknown): value is JourneyState {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(STAGE_INFO, value);
}
