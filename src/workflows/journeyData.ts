import type {
  AppointmentScheduled,
  ClaimStatus,
  DocumentReceived,
  EligibilityResult,
  JourneyState,
  PatientDispute,
  PatientPayment,
  PriorAuthDecision,
  Referral,
  RemittanceMessage,
  ServiceCompleted,
} from '../domain';
import type { JourneyFacts } from './journeyFacts';
import type { DecisionReceipt } from './messages';
import type { LedgerState } from './ledger';
import type { Rung } from './slaLadder';
import { DEFAULT_JOURNEY_OPTIONS, type JourneyInput, type JourneyOptions, type OpenException, type TimelineEntry } from './journeyState';

/**
 * Everything a journey remembers, serialisable so continue-as-new can carry it. Ids and coded facts only:
 * the patient is an opaque ref and no free-text notes are stored (DOMAIN.md "minimum necessary").
 */
export interface JourneyData {
  journeyId: string;
  siteId: string;
  referralId: string;
  options: JourneyOptions;
  runs: number;
  /** patch level of this journey (runtime/patchLevel.ts), carried across continue-as-new; absent on older runs */
  patchLevel?: number;
  referral?: Referral;
  stage: JourneyState | 'awaiting_referral';
  awaiting: string;
  exceptions: OpenException[];
  timeline: TimelineEntry[];
  /** entries ever recorded / ever mirrored to Odoo (absolute counts: the kept timeline is trimmed) */
  timelineTotal: number;
  mirroredTotal: number;
  seenMessageIds: string[];
  /** inbox messages (`kind:messageId`) a stage or child has applied, or that went to cash posting as unapplied */
  consumed: string[];
  /** receipts of applied decision updates by update id, so a retried update gets its first answer */
  appliedUpdates: { id: string; receipt: DecisionReceipt }[];
  /** SLA rungs already fired, by clock (`step|rule|breachAt`), so a re-entered wait never fires a rung twice */
  firedRungs: Record<string, Rung[]>;
  onHold: boolean;
  holdReason?: string;
  /** integration record ids (Odoo) */
  partnerId?: number;
  intakeTaskId?: number;
  /** the journey's claims to its (primary) payer, in order; the last is the current one */
  claimIds: string[];
  /** claims to a second coverage (coordination of benefits); absent in journeys of older builds */
  secondaryClaimIds?: string[];
  claimAttempt: number;
  /** the money the journey knows Odoo holds (payments and credits by business key) */
  ledger: LedgerState;
  facts: JourneyFacts;
  /** external messages received (deduplicated), consumed by the stages and forwarded to children */
  inbox: Inbox;
}

export interface Inbox {
  eligibility: EligibilityResult[];
  priorAuth: PriorAuthDecision[];
  appointments: AppointmentScheduled[];
  services: ServiceCompleted[];
  documents: DocumentReceived[];
  claimStatus: ClaimStatus[];
  remittances: RemittanceMessage[];
  payments: PatientPayment[];
  disputes: PatientDispute[];
}

export function emptyInbox(): Inbox {
  return { eligibility: [], priorAuth: [], appointments: [], services: [], documents: [], claimStatus: [], remittances: [], payments: [], disputes: [] };
}

export function emptyLedger(): LedgerState {
  return { chargeCents: 0, payments: [], credits: [] };
}

export function initialData(input: JourneyInput, journeyId: string): JourneyData {
  if (input.carried) {
    // Carried from an earlier run, possibly by an older build: fields added since then get their defaults.
    const carried = input.carried as Partial<JourneyData> & JourneyData;
    return {
      ...carried,
      runs: carried.runs + 1,
      mirroredTotal: carried.mirroredTotal ?? carried.timelineTotal,
      consumed: carried.consumed ?? [],
      firedRungs: carried.firedRungs ?? {},
      appliedUpdates: carried.appliedUpdates ?? [],
      ledger: carried.ledger ?? emptyLedger(),
    };
  }
  return {
    journeyId,
    siteId: input.siteId,
    referralId: input.referralId,
    options: { ...DEFAULT_JOURNEY_OPTIONS, ...input.options },
    runs: 1,
    referral: input.referral,
    stage: 'awaiting_referral',
    awaiting: 'referral',
    exceptions: [],
    timeline: [],
    timelineTotal: 0,
    mirroredTotal: 0,
    seenMessageIds: [],
    consumed: [],
    firedRungs: {},
    appliedUpdates: [],
    onHold: false,
    claimIds: [],
    claimAttempt: 0,
    ledger: emptyLedger(),
    facts: {},
    inbox: emptyInbox(),
  };
}

/** Every claim id of the journey, primary and secondary: what remittances route by and what the ledger covers. */
export function allClaimIds(d: Pick<JourneyData, 'claimIds' | 'secondaryClaimIds'>): string[] {
  return d.secondaryClaimIds?.length ? [...d.claimIds, ...d.secondaryClaimIds] : d.claimIds;
}
