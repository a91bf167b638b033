import {
  WithStartWorkflowOperation,
  WorkflowClient,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  type Client,
  type WorkflowClientInterceptor,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type DataConverter, type LoadedDataConverter, type SearchAttributePair, type QueryDefinition, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { z } from 'zod';
import { journeyWorkflowId, parseJourneyWorkflowId } from '../domain/ids';
import {
  CancelRequestSchema,
  HoldRequestSchema,
  ResumeRequestSchema,
  type CancelRequest,
  type HoldRequest,
  type ResumeRequest,
} from '../domain/schemas/control';
import {
  CodingReviewInputSchema,
  DecisionInputSchema,
  JourneyAddressSchema,
  PayerMessageSchema,
  WriteOffDecisionInputSchema,
  type CodingReviewInput,
  type DecisionInput,
  type JourneyAddress,
  type PayerMessage,
  type WriteOffDecisionInput,
} from '../domain/schemas/decisions';
import type { RemittanceMessage } from '../domain/schemas/payer';
import { ReferralSchema, type Referral } from '../domain/schemas/referral';
import { planProviderAdjustments } from '../domain/posting/providerAdjustments';
import { x12DateToIso } from '../domain/remittanceFromX12';
import { X12ParseError, parse835, type X12ParseResult } from '../domain/x12';
import type { JourneyInput, JourneyOptions, JourneyOutcome, JourneyStatus, TimelineEntry } from '../workflows/journeyState';
import { cashPostingWorkflowId, type cashPosting, type CashPostingInput } from '../workflows/cashPosting';
import * as messages from '../workflows/messages';
import type { DecisionReceipt } from '../workflows/messages';
import { BalanceCents, ExceptionQueue, NextDeadline, PayerId, SiteId, SlaState, Stage } from '../workflows/searchAttributes';
import { tracingClientInterceptors } from '../observability/temporal';
import { ensureTracing } from '../observability/tracing';
import { correlationInterceptor, withCorrelationId } from './correlation';
import type { DeadLetterStore } from './deadLetters';
import {
  ClaimNotMatchedError,
  DecisionRefusedError,
  JourneyClosedError,
  JourneyInputError,
  JourneyNotFoundError,
  JourneyUnavailableError,
  RemittanceParseError,
} from './errors';
import { adaptTransaction, type AdaptedClaim } from './remittanceAdapter';
import { JOURNEY_WORKFLOW_TYPE, buildJourneyQuery, claimQuery, claimsQuery, isQueryableValue, listLimit, type JourneyListFilter } from './visibility';

/** Claim ids per visibility query when an 835's claims are looked up together (a query stays well under size limits). */
const CLAIMS_PER_LOOKUP = 50;

/** A journey a claim id points at, and whether any run of it is open. */
export type JourneyMatch = { journeyId: string; running: boolean };

/** The journeys a visibility listing found, one entry per workflow id (running if any of its runs is). */
class JourneyMatches {
  private readonly running = new Map<string, boolean>();

  add(info: { workflowId: string; status: { name: string } }): void {
    this.running.set(info.workflowId, (this.running.get(info.workflowId) ?? false) || info.status.name === 'RUNNING');
  }

  get size(): number {
    return this.running.size;
  }

  list(): JourneyMatch[] {
    return [...this.running].map(([journeyId, running]) => ({ journeyId, running }));
  }
}

/** The journey workflow's signature (the implementation lives in src/workflows; the client starts it by name). */
export type ReferralJourneyWorkflow = (input: JourneyInput) => Promise<JourneyOutcome>;

export type Decision =
  | { type: 'approve' | 'reject' | 'requestChanges'; input: DecisionInput }
  | { type: 'completeCodingReview'; input: CodingReviewInput }
  | { type: 'decideWriteOff'; input: WriteOffDecisionInput }
  | { type: 'hold'; input: HoldRequest }
  | { type: 'resume'; input: ResumeRequest }
  | { type: 'cancel'; input: CancelRequest };
export type DecisionType = Decision['type'];

const DECISIONS: Record<DecisionType, { update: UpdateDefinition<DecisionReceipt, [any]>; schema: z.ZodTypeAny }> = {
  approve: { update: messages.approve, schema: DecisionInputSchema },
  reject: { update: messages.reject, schema: DecisionInputSchema },
  requestChanges: { update: messages.requestChanges, schema: DecisionInputSchema },
  completeCodingReview: { update: messages.completeCodingReview, schema: CodingReviewInputSchema },
  decideWriteOff: { update: messages.decideWriteOff, schema: WriteOffDecisionInputSchema },
  hold: { update: messages.hold, schema: HoldRequestSchema },
  resume: { update: messages.resume, schema: ResumeRequestSchema },
  cancel: { update: messages.cancel, schema: CancelRequestSchema },
};
export const DECISION_TYPES = Object.keys(DECISIONS) as DecisionType[];

/** Payer message kind → the signal that carries it in signal mode. */
const PAYER_SIGNALS: Record<PayerMessage['kind'], SignalDefinition<[any]>> = {
  eligibility: messages.eligibilityResult,
  prior_auth: messages.priorAuthDecision,
  claim_status: messages.claimStatus,
  remittance: messages.remittance,
};

export type DeliveryMode = 'update' | 'signal';

export interface CallOptions {
  /** stamped on the Temporal calls (header `rcm-correlation-id`, memo on start); see correlation.ts */
  correlationId?: string;
}

export interface DeliveryOptions extends CallOptions {
  /** `update` (default): update-with-start, returns the journey's receipt; `signal`: signal-with-start, fire and forget */
  mode?: DeliveryMode;
  /**
   * Bound the wait for the journey's receipt in update mode. When it passes (no worker, overloaded worker) the
   * message is sent again by signal-with-start so it is durably kept; the journey dedupes by messageId.
   */
  timeoutMs?: number;
}

export interface StartOptions extends CallOptions {
  /**
   * Bound the wait for the journey's receipt. When it passes (no worker polling: deploy, crash loop) the journey is
   * made durable by a plain start carrying the referral as its input (idempotent: USE_EXISTING), and the result says
   * `receiptPending` — as payer messages fall back to signal-with-start. Unset: wait as long as the server does.
   */
  timeoutMs?: number;
}

/** The journey answered (receipt), or no worker did in time and the referral is durably in the journey's input. */
export type StartResult =
  | { journeyId: string; runId?: string; receipt: DecisionReceipt; receiptPending?: false }
  | { journeyId: string; runId?: string; receipt?: undefined; receiptPending: true };

export interface DeliveryResult {
  journeyId: string;
  runId?: string;
  /** how it was finally delivered */
  mode: DeliveryMode;
  /** the journey's answer (update mode only) */
  receipt?: DecisionReceipt;
  /** update mode timed out and the message went by signal instead */
  fellBackToSignal?: boolean;
}

export interface JourneySummary {
  journeyId: string;
  runId: string;
  /** execution status: running, completed, failed, canceled, terminated, continued_as_new, timed_out */
  status: string;
  stage?: string;
  siteId?: string;
  payerId?: string;
  slaState?: string;
  nextDeadline?: string;
  exceptionQueues: string[];
  balanceCents?: number;
  startTime: string;
}

export interface IngestProgress {
  done: number;
  total: number;
}

export interface IngestOptions extends CallOptions {
  strict?: boolean;
  onProgress?: (p: IngestProgress) => void;
  mode?: DeliveryMode;
  /** concurrent deliveries (default 4) */
  concurrency?: number;
  /** where unmatched/invalid claims go (default: the store given to createJourneyClient) */
  deadLetters?: DeadLetterStore;
  /** recorded as the dead letters' source (default `ingest-835`) */
  source?: string;
}

export interface IngestIssue {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  segmentIndex?: number;
  claimId?: string;
  deadLetterId?: string;
}

export interface IngestSummary {
  transactions: number;
  claims: number;
  delivered: number;
  duplicates: number;
  unmatched: number;
  /** claims that failed RemittanceMessageSchema, were ambiguous, or whose journey is closed */
  invalid: number;
  /** claims a delivery error kept from the journey (dead-lettered) */
  failed: number;
  /** transactions whose BPR/CLP/SVC amounts do not balance */
  unbalanced: number;
  /** transactions with BPR02 ≠ ΣCLP04 − ΣPLB: none of their claims posted, the transaction dead-lettered */
  quarantined?: number;
  /** transactions handed to cash posting (PLB lines to post, or a quarantine ticket): one workflow each */
  cashPosting?: number;
  traceNumbers: string[];
  issues: IngestIssue[];
}

export interface JourneyClient {
  readonly workflowClient: WorkflowClient;
  startJourney(referral: unknown, opts?: StartOptions): Promise<StartResult>;
  decide(journeyId: string, decision: Decision | { type: string; input: unknown }, opts?: CallOptions): Promise<DecisionReceipt>;
  deliverPayerMessage(address: JourneyAddress, message: PayerMessage | unknown, opts?: DeliveryOptions): Promise<DeliveryResult>;
  status(journeyId: string): Promise<JourneyStatus>;
  timeline(journeyId: string): Promise<TimelineEntry[]>;
  list(filter?: JourneyListFilter): Promise<JourneySummary[]>;
  /** Journeys whose ClaimIds contain this CLP01 (distinct workflow ids; `running` if any run of it is open). */
  findJourneysByClaimId(claimId: string): Promise<JourneyMatch[]>;
  /** Route one adapted 835 claim payment to its journey by ClaimIds (throws ClaimNotMatchedError). */
  deliverRemittance(message: RemittanceMessage, opts?: DeliveryOptions): Promise<DeliveryResult>;
  ingestRemittance(fileText: string, opts?: IngestOptions): Promise<IngestSummary>;
}

export interface JourneyClientOptions {
  client: Client;
  taskQueueFor(siteId: string): string;
  /** the site's journey options (calendar, AI threshold, approval limits) captured by a new journey */
  optionsFor?(siteId: string): Partial<JourneyOptions> | undefined;
  /** dead-letter store for ingestRemittance (unmatched/invalid claims) */
  deadLetters?: DeadLetterStore;
  /** default delivery options for payer messages */
  delivery?: Pick<DeliveryOptions, 'mode' | 'timeoutMs'>;
  /** default bound on startJourney's wait for the receipt (see StartOptions.timeoutMs) */
  startTimeoutMs?: number;
  /** how long status/timeline wait for a worker to answer (default 10 s) */
  queryTimeoutMs?: number;
}

/**
 * The typed journey client: validates with the domain schemas before anything reaches Temporal, starts and
 * addresses journeys by their PHI-free workflow id, and turns Temporal errors into the typed errors of errors.ts.
 */
export function createJourneyClient(opts: JourneyClientOptions): JourneyClient {
  const wf = workflowClientWithCorrelation(opts.client);
  const connection = opts.client.connection;

  /** Like translate, but a missing workflow that exists as a closed run is reported as closed. */
  async function translateExisting(err: unknown, journeyId: string, what: string): Promise<unknown> {
    const t = translate(err, journeyId, what);
    if (!(t instanceof JourneyNotFoundError)) return t;
    try {
      const d = await wf.getHandle(journeyId).describe();
      if (d.status.name !== 'RUNNING') return new JourneyClosedError(journeyId);
    } catch {
      /* really not found */
    }
    return t;
  }

  function correlated<T>(callOpts: CallOptions | undefined, fn: () => Promise<T>): Promise<T> {
    return callOpts?.correlationId ? withCorrelationId(callOpts.correlationId, fn) : fn();
  }

  function memo(callOpts: CallOptions | undefined): Record<string, unknown> | undefined {
    return callOpts?.correlationId ? { correlationId: callOpts.correlationId } : undefined;
  }

  function startOptions(address: JourneyAddress, referral: Referral | undefined, callOpts: CallOptions | undefined) {
    const searchAttributes: SearchAttributePair[] = [
      { key: SiteId, value: address.siteId },
      { key: Stage, value: referral ? 'intake' : 'awaiting_referral' },
    ];
    if (referral) searchAttributes.push({ key: PayerId, value: referral.payerId });
    const options = opts.optionsFor?.(address.siteId);
    const input: JourneyInput = {
      ...(referral ? { siteId: address.siteId, referralId: address.referralId, referral } : { ...address }),
      ...(options ? { options } : {}),
    };
    return {
      workflowId: journeyWorkflowId(address.siteId, address.referralId),
      taskQueue: opts.taskQueueFor(address.siteId),
      args: [input] as [JourneyInput],
      workflowIdConflictPolicy: 'USE_EXISTING' as const,
      // A paid/cancelled journey is never reopened by a late message; a failed/terminated one may be restarted.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' as const,
      typedSearchAttributes: searchAttributes,
      staticSummary: referral
        ? `Referral ${address.referralId} · site ${address.siteId} · payer ${referral.payerId}`
        : `Referral ${address.referralId} · site ${address.siteId} · started by a payer message`,
      staticDetails: referral
        ? `plan ${referral.planType} · ${referral.urgency} · ${referral.orderedServices.length} ordered service(s)`
        : 'waiting for the referral',
      ...(memo(callOpts) ? { memo: memo(callOpts) } : {}),
    };
  }

  async function updateWithStart<Ret>(
    address: JourneyAddress,
    referral: Referral | undefined,
    update: UpdateDefinition<Ret, [any]>,
    arg: unknown,
    callOpts: CallOptions | undefined,
  ): Promise<{ runId?: string; result: Ret }> {
    const journeyId = journeyWorkflowId(address.siteId, address.referralId);
    const startWorkflowOperation = new WithStartWorkflowOperation<ReferralJourneyWorkflow>(JOURNEY_WORKFLOW_TYPE, startOptions(address, referral, callOpts));
    try {
      // startUpdateWithStart + result() is executeUpdateWithStart that also tells us the run id.
      const handle = await wf.startUpdateWithStart<ReferralJourneyWorkflow, Ret, [any]>(update, { args: [arg], waitForStage: 'ACCEPTED', startWorkflowOperation });
      return { runId: handle.workflowRunId, result: await handle.result() };
    } catch (err) {
      throw translate(err, journeyId, update.name);
    }
  }

  async function query<T>(journeyId: string, def: QueryDefinition<T, []>): Promise<T> {
    checkJourneyId(journeyId);
    const timeoutMs = opts.queryTimeoutMs ?? 10_000;
    try {
      return await connection.withDeadline(Date.now() + timeoutMs, () => wf.getHandle(journeyId).query(def));
    } catch (err) {
      if (isTimeout(err)) throw new JourneyUnavailableError(journeyId, def.name, timeoutMs);
      throw translate(err, journeyId, def.name);
    }
  }

  function withTimeout<T>(timeoutMs: number | undefined, fn: () => Promise<T>): Promise<T> {
    return timeoutMs ? connection.withDeadline(Date.now() + timeoutMs, fn) : fn();
  }

  async function signalWithStart(address: JourneyAddress, message: PayerMessage, callOpts: CallOptions | undefined): Promise<DeliveryResult> {
    const journeyId = journeyWorkflowId(address.siteId, address.referralId);
    try {
      const handle = await wf.signalWithStart<ReferralJourneyWorkflow, [any]>(JOURNEY_WORKFLOW_TYPE, {
        ...startOptions(address, undefined, callOpts),
        signal: PAYER_SIGNALS[message.kind],
        signalArgs: [message.payload],
      });
      return { journeyId, runId: handle.signaledRunId, mode: 'signal' };
    } catch (err) {
      throw translate(err, journeyId, PAYER_SIGNALS[message.kind].name);
    }
  }

  async function deliver(addressIn: JourneyAddress, messageIn: unknown, deliveryOpts: DeliveryOptions = {}): Promise<DeliveryResult> {
    const address = parseOr(JourneyAddressSchema, addressIn, 'journey address');
    const message = parseOr(PayerMessageSchema, messageIn, 'payer message');
    const mode = deliveryOpts.mode ?? opts.delivery?.mode ?? 'update';
    const timeoutMs = deliveryOpts.timeoutMs ?? opts.delivery?.timeoutMs;
    return correlated(deliveryOpts, async () => {
      if (mode === 'signal') return signalWithStart(address, message, deliveryOpts);
      try {
        const { runId, result } = await withTimeout(timeoutMs, () => updateWithStart(address, undefined, messages.deliverPayerMessage, message, deliveryOpts));
        return { journeyId: journeyWorkflowId(address.siteId, address.referralId), runId, mode: 'update', receipt: result };
      } catch (err) {
        if (!isTimeout(err)) throw err;
        const viaSignal = await signalWithStart(address, message, deliveryOpts);
        return { ...viaSignal, fellBackToSignal: true };
      }
    });
  }

  /**
   * No worker accepted the submitReferral update in time. A plain start with the referral as input is durable and
   * idempotent (USE_EXISTING returns the running journey). If the journey already existed, the referral is safe only
   * when that run's input carries it (our own update-with-start got as far as the start, an earlier attempt did, or
   * continue-as-new carried it); a journey started by a payer message that has no referral yet would drop it, so the
   * caller is told to retry (JourneyUnavailableError) instead of being told "accepted".
   */
  async function startWithoutReceipt(address: JourneyAddress, referral: Referral, callOpts: CallOptions | undefined, waitedMs: number): Promise<StartResult> {
    const journeyId = journeyWorkflowId(address.siteId, address.referralId);
    let runId: string;
    try {
      runId = (await wf.start<ReferralJourneyWorkflow>(JOURNEY_WORKFLOW_TYPE, startOptions(address, referral, callOpts))).firstExecutionRunId;
    } catch (err) {
      throw translate(err, journeyId, messages.submitReferral.name);
    }
    const carried = await referralInRunInput(journeyId, runId);
    if (carried === undefined) throw new JourneyUnavailableError(journeyId, messages.submitReferral.name, waitedMs);
    if (JSON.stringify(carried) !== JSON.stringify(referral)) {
      throw new DecisionRefusedError(journeyId, messages.submitReferral.name, 'a different referral was already submitted for this journey');
    }
    return { journeyId, runId, receiptPending: true };
  }

  /** The referral in a run's start input (`referral`, or `carried.referral` after continue-as-new), decoded. */
  async function referralInRunInput(journeyId: string, runId: string): Promise<unknown> {
    const res = await connection.workflowService.getWorkflowExecutionHistory({
      namespace: opts.client.options.namespace,
      execution: { workflowId: journeyId, runId },
      maximumPageSize: 1,
    });
    const started = res.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
    if (!started) return undefined;
    const converter = opts.client.options.loadedDataConverter as LoadedDataConverter;
    const input = await decodeFromPayloadsAtIndex<JourneyInput & { carried?: { referral?: unknown } }>(converter, 0, started.input?.payloads);
    return input?.referral ?? input?.carried?.referral;
  }

  async function findJourneysByClaimId(claimId: string): Promise<JourneyMatch[]> {
    const found = new JourneyMatches();
    for await (const info of wf.list({ query: claimQuery(claimId), pageSize: 20 })) {
      found.add(info);
      if (found.size > 10) break;
    }
    return found.list();
  }

  /**
   * One visibility query for many claim ids (an 835's claims): what `findJourneysByClaimId` answers for each, in
   * pages of CLAIMS_PER_LOOKUP. Ids outside the id alphabet are left out (their own lookup reports them).
   */
  async function findJourneysByClaimIds(claimIds: readonly string[]): Promise<Map<string, JourneyMatch[]>> {
    const valid = [...new Set(claimIds)].filter(isQueryableValue);
    const found = new Map<string, JourneyMatches>();
    for (let i = 0; i < valid.length; i += CLAIMS_PER_LOOKUP) {
      const chunk = valid.slice(i, i + CLAIMS_PER_LOOKUP);
      const wanted = new Map(chunk.map((c) => [c, new JourneyMatches()]));
      for await (const info of wf.list({ query: claimsQuery(chunk), pageSize: 100 })) {
        const ids = info.searchAttributes?.ClaimIds;
        for (const c of Array.isArray(ids) ? ids : []) if (typeof c === 'string') wanted.get(c)?.add(info);
      }
      for (const [c, journeys] of wanted) found.set(c, journeys);
    }
    return new Map([...found].map(([c, journeys]) => [c, journeys.list()]));
  }

  async function deliverRemittance(message: RemittanceMessage, deliveryOpts: DeliveryOptions = {}, known?: JourneyMatch[]): Promise<DeliveryResult> {
    const claimId = message.patientControlNumber;
    let matches: JourneyMatch[];
    try {
      matches = known ?? (await findJourneysByClaimId(claimId));
    } catch (err) {
      // A CLP01 outside the id alphabet cannot be one of ours.
      if (err instanceof JourneyInputError) throw new ClaimNotMatchedError(claimId, 'unmatched_claim', 'claim id is not a journey claim id');
      throw err;
    }
    const running = matches.filter((m) => m.running);
    if (matches.length === 0) throw new ClaimNotMatchedError(claimId, 'unmatched_claim', 'no journey has this claim id');
    if (running.length > 1 || (running.length === 0 && matches.length > 1)) {
      throw new ClaimNotMatchedError(claimId, 'ambiguous_claim', `${matches.length} journeys have this claim id`);
    }
    if (running.length === 0) throw new ClaimNotMatchedError(claimId, 'journey_closed', `journey ${matches[0].journeyId} is closed`);
    const address = parseJourneyWorkflowId(running[0].journeyId);
    if (!address) throw new ClaimNotMatchedError(claimId, 'unmatched_claim', 'matching workflow is not a journey');
    return deliver(address, { kind: 'remittance', payload: message }, deliveryOpts);
  }

  return {
    workflowClient: wf,

    async startJourney(referralIn, callOpts) {
      const referral = parseOr(ReferralSchema, referralIn, 'referral');
      const address = { siteId: referral.siteId, referralId: referral.referralId };
      const journeyId = journeyWorkflowId(address.siteId, address.referralId);
      const timeoutMs = callOpts?.timeoutMs ?? opts.startTimeoutMs;
      return correlated(callOpts, async (): Promise<StartResult> => {
        try {
          const { runId, result } = await withTimeout(timeoutMs, () => updateWithStart(address, referral, messages.submitReferral, referral, callOpts));
          return { journeyId, runId, receipt: result };
        } catch (err) {
          if (!isTimeout(err)) throw err;
        }
        return startWithoutReceipt(address, referral, callOpts, timeoutMs ?? 0);
      });
    },

    async decide(journeyId, decision, callOpts) {
      checkJourneyId(journeyId);
      const spec = typeof decision?.type === 'string' ? DECISIONS[decision.type as DecisionType] : undefined;
      if (!spec) throw new JourneyInputError('decision', [{ path: 'type', message: `must be one of ${DECISION_TYPES.join(', ')}` }]);
      const parsed = spec.schema.safeParse(decision.input);
      if (!parsed.success) throw JourneyInputError.fromZod('decision', parsed.error, ['input']);
      return correlated(callOpts, async () => {
        try {
          return await wf.getHandle(journeyId).executeUpdate(spec.update, { args: [parsed.data] });
        } catch (err) {
          throw await translateExisting(err, journeyId, spec.update.name);
        }
      });
    },

    deliverPayerMessage: deliver,

    status: (journeyId) => query(journeyId, messages.status),
    timeline: (journeyId) => query(journeyId, messages.timeline),

    async list(filter = {}) {
      const query = buildJourneyQuery(filter);
      const limit = listLimit(filter.limit);
      const rows: JourneySummary[] = [];
      for await (const info of wf.list({ query, pageSize: Math.min(limit, 100) })) {
        rows.push(summarize(info));
        if (rows.length >= limit) break;
      }
      return rows;
    },

    findJourneysByClaimId,
    deliverRemittance,

    async ingestRemittance(fileText, ingestOpts = {}) {
      let parsed: X12ParseResult;
      try {
        parsed = parse835(fileText, { strict: ingestOpts.strict ?? false });
      } catch (err) {
        if (err instanceof X12ParseError) throw new RemittanceParseError(err.code, err.message, err);
        throw err;
      }
      const store = ingestOpts.deadLetters ?? opts.deadLetters;
      const source = ingestOpts.source ?? 'ingest-835';
      const summary: IngestSummary = {
        transactions: parsed.transactions.length,
        claims: 0,
        delivered: 0,
        duplicates: 0,
        unmatched: 0,
        invalid: 0,
        failed: 0,
        unbalanced: 0,
        traceNumbers: [],
        issues: parsed.issues.map((i) => ({ severity: i.severity, code: i.code, message: i.message, ...(i.segmentIndex !== undefined ? { segmentIndex: i.segmentIndex } : {}) })),
      };
      async function deadLetter(reason: string, error: string, payload: unknown): Promise<string | undefined> {
        if (!store) return undefined;
        const entry = await store.add({ source, reason, error, correlationId: ingestOpts.correlationId, payload });
        return entry.id;
      }

      const work: AdaptedClaim[] = [];
      for (const tx of parsed.transactions) {
        if (tx.traceNumber && !summary.traceNumbers.includes(tx.traceNumber)) summary.traceNumbers.push(tx.traceNumber);
        if (!tx.balance.paymentBalanced) {
          // Quarantine (DOMAIN.md "Balancing", issue 11): BPR02 ≠ ΣCLP04 − ΣPLB means the file does not say what was
          // paid, so no claim of the transaction is posted; the whole transaction goes to the dead-letter store with
          // the imbalance for cash posting.
          summary.unbalanced++;
          summary.quarantined = (summary.quarantined ?? 0) + 1;
          summary.claims += tx.claims.length;
          const b = tx.balance;
          const message = `transaction ${tx.controlNumber} quarantined: BPR02 ${b.paymentCents ?? 'missing'} ≠ ΣCLP04 ${b.claimPaidCents} − ΣPLB ${b.plbCents} (difference ${b.differenceCents} cents); ${tx.claims.length} claim(s) not posted`;
          const id = await deadLetter('unbalanced_transaction', message, {
            kind: 'remittance_transaction',
            traceNumber: tx.traceNumber,
            controlNumber: tx.controlNumber,
            paymentCents: b.paymentCents,
            claimPaidCents: b.claimPaidCents,
            plbCents: b.plbCents,
            differenceCents: b.differenceCents,
            claimIds: tx.claims.map((c) => c.patientControlNumber),
          });
          summary.issues.push({ severity: 'error', code: 'UNBALANCED_TRANSACTION', segmentIndex: tx.segmentIndex, message, ...(id ? { deadLetterId: id } : {}) });
          await startCashPosting(tx, { message, differenceCents: b.differenceCents ?? 0, claimIds: tx.claims.map((c) => c.patientControlNumber) });
          continue;
        }
        if (!tx.balance.balanced) {
          summary.unbalanced++;
          summary.issues.push({
            severity: 'warning',
            code: 'UNBALANCED_TRANSACTION',
            segmentIndex: tx.segmentIndex,
            message: `transaction ${tx.controlNumber} does not balance (payment difference ${tx.balance.differenceCents} cents, ${tx.balance.claimImbalances.length} claim and ${tx.balance.serviceImbalances.length} service imbalance(s))`,
          });
        }
        if (tx.providerAdjustments.some((p) => p.adjustments.length > 0)) await startCashPosting(tx);
        const adapted = adaptTransaction(tx);
        summary.claims += tx.claims.length;
        for (const r of adapted.refused) {
          const error = r.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
          const id = await deadLetter('invalid_claim', `claim ${r.claimId}: ${error}`, { kind: 'remittance_claim', claimId: r.claimId, segmentIndex: r.segmentIndex, traceNumber: tx.traceNumber, issues: r.issues });
          summary.invalid++;
          summary.issues.push({ severity: 'error', code: 'INVALID_CLAIM', claimId: r.claimId, segmentIndex: r.segmentIndex, message: error, ...(id ? { deadLetterId: id } : {}) });
        }
        work.push(...adapted.messages);
      }

      /**
       * PLB lines and quarantines go to a cash-posting workflow per transaction (id from TRN02 + ST02: a file
       * ingested twice posts once). Recoupments name their claim's journey so its ticket lands there.
       */
      async function startCashPosting(tx: X12ParseResult['transactions'][number], quarantine?: CashPostingInput['quarantine']): Promise<void> {
        const traceNumber = tx.traceNumber ?? `NOTRACE-${tx.controlNumber}`;
        const plbs = quarantine ? [] : tx.providerAdjustments.flatMap((p) => p.adjustments);
        // One lookup per claim id a recoupment may name: it tells whether the claim is ours and which journey holds it.
        const journeyLookups = new Map<string, string | undefined>();
        const journeyOf = async (claimId: string): Promise<string | undefined> => {
          if (!journeyLookups.has(claimId)) journeyLookups.set(claimId, (await findJourneysByClaimId(claimId).catch(() => []))[0]?.journeyId);
          return journeyLookups.get(claimId);
        };
        // Claims of our books: this transaction's, and earlier claims a WO/FB names by our claim id (CLP01).
        const known: { patientControlNumber: string; payerClaimControlNumber?: string }[] = [...tx.claims];
        for (const p of plbs) {
          const ref = p.reference?.trim();
          if (!ref || !['WO', 'FB'].includes(p.reason.trim().toUpperCase()) || known.some((c) => c.patientControlNumber === ref)) continue;
          if (await journeyOf(ref)) known.push({ patientControlNumber: ref });
        }
        const providerAdjustments = planProviderAdjustments(traceNumber, plbs, known);
        const journeyOfClaim: Record<string, string> = {};
        for (const line of providerAdjustments) {
          const journeyId = line.claimId ? await journeyOf(line.claimId) : undefined;
          if (journeyId) journeyOfClaim[line.claimId!] = journeyId;
        }
        const input: CashPostingInput = {
          traceNumber,
          controlNumber: tx.controlNumber,
          paymentDate: x12DateToIso(tx.payment?.date) ?? new Date().toISOString().slice(0, 10),
          providerAdjustments,
          journeyOfClaim,
          ...(quarantine ? { quarantine } : {}),
        };
        try {
          const site = Object.values(journeyOfClaim).map((id) => parseJourneyWorkflowId(id)?.siteId).find(Boolean);
          await wf.start<typeof cashPosting>('cashPosting', {
            workflowId: cashPostingWorkflowId(traceNumber, tx.controlNumber),
            // the site of a referenced journey, else the shared queue (an 835 is a payer's file, not a site's)
            taskQueue: opts.taskQueueFor(site ?? ''),
            args: [input],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            staticSummary: quarantine ? `Quarantined 835 ${traceNumber}` : `Provider-level adjustments ${traceNumber}`,
          });
          summary.cashPosting = (summary.cashPosting ?? 0) + 1;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }

      let done = 0;
      ingestOpts.onProgress?.({ done, total: work.length });
      // The file's claims looked up together; a failed batch lookup falls back to one lookup per claim.
      const journeysOf = await findJourneysByClaimIds(work.map((w) => w.message.patientControlNumber)).catch(() => new Map<string, JourneyMatch[]>());
      const handle = async ({ claimId, segmentIndex, message }: AdaptedClaim): Promise<void> => {
        try {
          const result = await deliverRemittance(message, { mode: ingestOpts.mode, correlationId: ingestOpts.correlationId }, journeysOf.get(message.patientControlNumber));
          if (result.receipt?.duplicate) summary.duplicates++;
          else summary.delivered++;
        } catch (err) {
          const payload = { kind: 'remittance', message };
          if (err instanceof ClaimNotMatchedError) {
            const id = await deadLetter(err.reason, err.message, payload);
            if (err.reason === 'unmatched_claim') summary.unmatched++;
            else summary.invalid++;
            summary.issues.push({ severity: 'warning', code: err.reason.toUpperCase(), claimId, segmentIndex, message: err.message, ...(id ? { deadLetterId: id } : {}) });
          } else {
            const text = err instanceof Error ? err.message : String(err);
            const id = await deadLetter('delivery_failed', text, payload);
            summary.failed++;
            summary.issues.push({ severity: 'error', code: 'DELIVERY_FAILED', claimId, segmentIndex, message: text, ...(id ? { deadLetterId: id } : {}) });
          }
        }
      };
      await pool(work, ingestOpts.concurrency ?? 4, async (item) => {
        await handle(item);
        done++;
        ingestOpts.onProgress?.({ done, total: work.length });
      });
      return summary;
    },
  };
}

/**
 * A WorkflowClient on the caller's connection whose interceptors stamp the correlation id header and, when tracing
 * is on (OTEL_* env, see src/observability/tracing.ts), open a client span per call that the workflow continues.
 */
function workflowClientWithCorrelation(client: Client): WorkflowClient {
  const existing = client.workflow.options.interceptors;
  const list: WorkflowClientInterceptor[] = Array.isArray(existing) ? existing : [];
  if (list.includes(correlationInterceptor)) return client.workflow;
  return new WorkflowClient({
    connection: client.connection,
    namespace: client.options.namespace,
    identity: client.options.identity,
    dataConverter: client.options.loadedDataConverter as unknown as DataConverter,
    interceptors: [...tracingClientInterceptors(ensureTracing('rcm-client')), correlationInterceptor, ...list],
    queryRejectCondition: client.workflow.options.queryRejectCondition,
  });
}

function parseOr<S extends z.ZodTypeAny>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw JourneyInputError.fromZod(what, r.error);
  return r.data;
}

function checkJourneyId(journeyId: string): void {
  if (typeof journeyId !== 'string' || !parseJourneyWorkflowId(journeyId)) {
    throw new JourneyInputError('journey id', [{ path: 'journeyId', message: 'must look like referral/<siteId>/<referralId>' }]);
  }
}

const DEADLINE_EXCEEDED = 4;
function isTimeout(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (isGrpcServiceError(err) && err.code === DEADLINE_EXCEEDED) return true;
  // Non-update calls wrap the gRPC error in a ServiceError.
  const cause = (err as { cause?: unknown } | null)?.cause;
  return isGrpcServiceError(cause) && cause.code === DEADLINE_EXCEEDED;
}

/** Temporal error → typed client error (anything else passes through unchanged). */
function translate(err: unknown, journeyId: string, what: string): unknown {
  if (err instanceof WorkflowUpdateFailedError) {
    const reason = err.cause?.message ?? err.message;
    return new DecisionRefusedError(journeyId, what, reason);
  }
  if (err instanceof WorkflowNotFoundError) return new JourneyNotFoundError(journeyId);
  if (err instanceof WorkflowExecutionAlreadyStartedError) return new JourneyClosedError(journeyId);
  return err;
}

function summarize(info: WorkflowExecutionInfo): JourneySummary {
  const sa = info.typedSearchAttributes;
  const deadline = sa.get(NextDeadline);
  const row: JourneySummary = {
    journeyId: info.workflowId,
    runId: info.runId,
    status: info.status.name.toLowerCase(),
    exceptionQueues: sa.get(ExceptionQueue) ?? [],
    startTime: info.startTime.toISOString(),
  };
  const stage = sa.get(Stage);
  if (stage !== undefined) row.stage = stage;
  const siteId = sa.get(SiteId);
  if (siteId !== undefined) row.siteId = siteId;
  const payerId = sa.get(PayerId);
  if (payerId !== undefined) row.payerId = payerId;
  const sla = sa.get(SlaState);
  if (sla !== undefined) row.slaState = sla;
  if (deadline !== undefined) row.nextDeadline = deadline.toISOString();
  const balance = sa.get(BalanceCents);
  if (balance !== undefined) row.balanceCents = balance;
  return row;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}
