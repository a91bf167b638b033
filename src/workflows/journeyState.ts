import type { ApprovalPolicyOverride, JourneyState, Referral, SiteCalendar, SlaPolicy } from '../domain';

/** One audit entry: who did what, when, why. Mirrored to Odoo chatter. No PHI in `detail`. */
export interface TimelineEntry {
  at: string;
  stage: string;
  action: string;
  actor: string;
  role?: string;
  /** the identity provider that verified the actor (decisions API), when there was one */
  issuer?: string;
  reason?: string;
  detail?: string;
}

export type SlaLevel = 'on_track' | 'warning' | 'escalated' | 'breached' | 'on_hold';

export interface DeadlineView {
  step: string;
  rule: string;
  kind: string;
  owner: string;
  escalateTo: string;
  warnAt: string;
  dueAt: string;
  breachAt: string;
  level: SlaLevel;
}

export interface OpenException {
  queue: string;
  reason: string;
  openedAt: string;
  ref?: string;
}

/** The `status` query: enough for an operator or a client to know where the journey is. */
export interface JourneyStatus {
  journeyId: string;
  siteId: string;
  referralId: string;
  payerId?: string;
  stage: JourneyState | 'awaiting_referral';
  stageLabel: string;
  awaiting: string;
  slaState: SlaLevel;
  deadlines: DeadlineView[];
  openExceptions: OpenException[];
  balanceCents: number;
  paidCents: number;
  claimIds: string[];
  onHold: boolean;
  /** the journey's own money ledger, which must equal what Odoo holds for it (test/support/ledgerInvariant.ts) */
  ledger: JourneyLedger;
  pendingApproval?: { kind: string; amountCents: number; requesterId: string };
  outcome?: JourneyOutcome['state'];
  historyRuns: number;
}

/**
 * The journey's ledger as it believes Odoo holds it. Counted only at commit points (after the Odoo activity that
 * records the money returned), so a stage rerun after hold → resume never counts twice.
 */
export interface JourneyLedger {
  /** the one receivable of the journey (its `ref` is the first claim id; later claim ids reuse it) */
  invoiceId?: number;
  /** invoice total (cents); 0 before the draft invoice exists or after it was voided */
  chargeCents: number;
  /** payer payments registered in Odoo */
  paidCents: number;
  /** patient payments registered in Odoo */
  patientPaidCents: number;
  /** contractual adjustments (CAS CO) credited in Odoo */
  adjustedCents: number;
  /** approved write-offs credited in Odoo */
  writtenOffCents: number;
  /** what Odoo should show as residual on the invoice: charge − paid − patient paid − adjusted − written off */
  balanceCents: number;
  claimIds: string[];
  /** every payment the journey registered, by its Odoo memo (payer: `TRN02/CLP01`, patient: `<claim>/patient/<id>`) */
  payments: { memo: string; amountCents: number; source: 'payer' | 'patient' }[];
  /** every credit note the journey created, by its business key */
  credits: { key: string; amountCents: number; kind: 'contractual' | 'write_off' }[];
}

/** Tunables captured at start so a running journey never changes behaviour when config changes. */
export interface JourneyOptions {
  /** AI coding confidence below this goes to human review (DOMAIN.md governance). */
  codingConfidenceThreshold: number;
  /** A hold pauses internal SLA clocks (regulatory clocks keep running: the law does not pause). */
  pauseSlaOnHold: boolean;
  /** Continue-as-new once history passes this many events. */
  continueAsNewAfterEvents: number;
  /** Timeline entries kept in workflow state (the full trail is mirrored to Odoo chatter). */
  timelineLimit: number;
  /** The site's business calendar (time zone, holidays, closures) for every SLA clock. */
  calendar: SiteCalendar;
  /** SLA overrides by site/payer; defaults are the cited rules in src/domain/sla/rules.ts. */
  slaPolicy?: Pick<SlaPolicy, 'sites' | 'payers'>;
  /** Approval limits per role and kind (cents) overriding the domain defaults (src/domain/approvals). */
  approvalPolicy?: ApprovalPolicyOverride;
  /** Statement cycle of the patient balance, in days after the first statement. */
  statementDays: number[];
  /** Non-profit hospital: IRS §501(r) periods apply before extraordinary collection actions. */
  nonProfit501r: boolean;
}

export const DEFAULT_JOURNEY_OPTIONS: JourneyOptions = {
  codingConfidenceThreshold: 0.8,
  pauseSlaOnHold: true,
  continueAsNewAfterEvents: 2000,
  timelineLimit: 500,
  calendar: { timeZone: 'America/New_York' },
  statementDays: [0, 30, 60, 90],
  nonProfit501r: false,
};

export interface JourneyInput {
  siteId: string;
  referralId: string;
  /** absent when a payer message started the journey before the referral arrived */
  referral?: Referral;
  options?: Partial<JourneyOptions>;
  /** state carried across continue-as-new (opaque to callers) */
  carried?: unknown;
}

export interface JourneyOutcome {
  state: 'paid' | 'written_off' | 'cancelled' | 'closed_with_balance';
  paidCents: number;
  patientPaidCents: number;
  writtenOffCents: number;
  balanceCents: number;
}
