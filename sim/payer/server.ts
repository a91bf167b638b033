import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { ReviewAction } from '../../src/activities/payer/types';
import { FHIR_JSON } from './fhirCodes';
import { totalCents as sumCents } from './money';
import { seededRandom } from './random';
import { applyDenyRule, applyPayRule, applySecondaryPayRule, isSecondaryClaim, reversalOf, type AdjudicationRule, type DenyRule, type PayRule } from './adjudication';
import { write277ca, type ClaimStatus277 } from './ack277caWriter';
import { write999, type AckDisposition, type SegmentError } from './ack999Writer';
import { installFaults, type FaultOptions } from './faults';
import {
  emptySearchset,
  eligibilityResponse,
  operationOutcome,
  pasResponseBundle,
  readEligibilityRequest,
  storedClaim,
  readPasBundle,
  type PasDecision,
  type PasFacts,
} from './fhirResponses';
import {
  DEFAULT_ADJUDICATION_RULE,
  DEFAULT_AUTH_REQUIRED,
  DEFAULT_BENEFITS,
  DEFAULT_PRIOR_AUTH_RULES,
  authRequired,
  matchesPriorAuth,
  memberState,
  planTypeFor,
  type AdjudicationMatch,
  type AdjudicationRuleEntry,
  type AuthRequiredSpec,
  type MemberBenefits,
  type PriorAuthDecisionSpec,
  type PriorAuthRule,
} from './rules';
import { createWebhookSender, type DeliveryRecord, type WebhookTarget } from './webhookSender';
import { X12SyntaxError } from './x12';
import { read837, type ContentEdit, type Read837, type SubmittedClaim } from './x837Reader';
import { write835, paymentTotalCents, type ProviderAdjustment, type RemitClaim, type Remittance } from './x835Writer';

/**
 * Payer / clearinghouse emulator (FHIR R4 eligibility, Da Vinci PAS prior auth, 837P claims, 277-style status,
 * 835 remittances). All state is in memory; all decisions come from the rule tables in rules.ts, steerable through
 * `control`. Logging is off: request bodies hold member references.
 */

/** Options of one adjudication: provider-level adjustments (PLB) and the BPR16 / DTM*405 date (default today). */
export interface AdjudicateOptions {
  providerAdjustments?: ProviderAdjustment[];
  /** YYYY-MM-DD */
  paymentDate?: string;
}

export interface PayerEmulatorOptions {
  port?: number;
  host?: string;
  /** Seeds authorization numbers and EFT trace numbers (deterministic runs). */
  seed?: number;
  payerId?: string;
  payerName?: string;
  /** Require `Authorization: Bearer <apiKey>` on every API call. */
  apiKey?: string;
  /** Where final prior-auth decisions are POSTed (signed). */
  decisionWebhook?: WebhookTarget | undefined;
  /** Delay before a pended case gets its final decision (default 2000 ms). */
  decisionDelayMs?: number;
  /** Where new 835 files are POSTed (signed, `application/edi-x12`, header x-rcm-file-id). */
  remittanceWebhook?: WebhookTarget | undefined;
  /** When set, accepted claims are adjudicated automatically after this delay; otherwise only via control. */
  adjudicationDelayMs?: number;
}

export interface ClaimStatusView {
  claimId: string;
  statusCategory: string;
  statusCode: string;
  effectiveDate: string;
  paidCents?: number;
}

export interface Acknowledgement {
  claimId: string;
  acknowledgementId: string;
  status: 'accepted' | 'rejected';
  errors: string[];
  /** The 999 implementation acknowledgment of the interchange (always). */
  ack999: string;
  /** The 277CA claim acknowledgment (absent when the 999 rejected the transaction: nobody read the claim). */
  ack277ca?: string;
}

/** Reject the next claim(s) in the 277CA (front-end claim edit), whatever their content. */
export interface ClaimRejectionSpec {
  /** A7 rejected for invalid information (default), A3 returned as unprocessable, A8 relational field in error. */
  category?: 'A3' | 'A7' | 'A8';
  /** Claim status code (code source 508), e.g. 562 NPI, 164 member number, 21 missing/invalid information. */
  statusCode: string;
  /** Entity identifier code (98), e.g. 85 billing provider, IL insured, QC patient. */
  entityCode?: string;
  reason?: string;
  count?: number;
}

/** Report a syntax error in the 999 for the next submission(s): R rejects the transaction, E accepts it with errors noted. */
export interface SyntaxErrorSpec {
  disposition?: 'R' | 'E';
  /** The segment the IK3 names (default CLM: its first occurrence in the 837). */
  segmentId?: string;
  /** IK4 element position (default 2) and IK403 code (default 6 invalid character). */
  element?: number;
  code?: string;
  count?: number;
}

export interface RemittanceFileInfo {
  fileId: string;
  createdAt: string;
  content: string;
}

export interface PayerEmulatorControl {
  readonly payerId: string;
  /** Fail the next `count` API requests with `status` (Retry-After via opts). */
  failNext(status: number, count?: number, opts?: FaultOptions): void;
  /** Delay the next `count` API requests by `ms` (client timeouts). */
  delayNext(ms: number, count?: number, opts?: { pathPrefix?: string }): void;
  clearFaults(): void;
  setMember(memberRef: string, benefits: Partial<MemberBenefits>): void;
  setAuthRequired(spec: Partial<AuthRequiredSpec>): void;
  /** Add a prior-auth rule ahead of all others (first match wins). */
  setPriorAuthRule(rule: PriorAuthRule): void;
  resetPriorAuthRules(): void;
  /** Decide a case now (e.g. a pended one) and deliver the webhook. */
  decidePriorAuth(trackingId: string, decision: PriorAuthDecisionSpec): Promise<void>;
  priorAuthCases(): { trackingId: string; authRequestId: string; action: ReviewAction; version: number }[];
  /** Add an adjudication rule ahead of the others (first match wins) for automatic adjudication. */
  setAdjudicationRule(rule: AdjudicationRule, match?: AdjudicationMatch): void;
  /** Adjudicate one claim now (default: the matching rule) and publish its 835; null when the rule pends it. */
  adjudicate(claimId: string, rule?: AdjudicationRule, opts?: AdjudicateOptions): Promise<RemittanceFileInfo | null>;
  /** Adjudicate several claims into one 835 (one check/EFT). */
  adjudicateBatch(items: { claimId: string; rule?: AdjudicationRule }[], opts?: AdjudicateOptions): Promise<RemittanceFileInfo | null>;
  /** Publish an arbitrary 835 (e.g. a fixture) for retrieval. */
  addRemittance(content: string): RemittanceFileInfo;
  claimStatus(claimId: string): ClaimStatusView | undefined;
  /** The claim as read from its latest accepted or rejected 837 (what the payer knows of it). */
  submittedClaim(claimId: string): SubmittedClaim | undefined;
  rejectNextClaim(spec: ClaimRejectionSpec): void;
  rejectNextSyntax(spec?: SyntaxErrorSpec): void;
  /** The last 277CA sent for a claim. */
  claimAcknowledgment(claimId: string): string | undefined;
  /** Every 999 sent, by the acknowledged 837's GS06 (oldest first). */
  implementationAcks(): { groupControlNumber: string; x12: string }[];
  submissions(): number;
  webhookDeliveries(): DeliveryRecord[];
  /** Resolves when scheduled decisions/adjudications and webhook deliveries have finished. */
  idle(): Promise<void>;
}

export interface PayerEmulator {
  url: string;
  close(): Promise<void>;
  control: PayerEmulatorControl;
}

interface PaCase {
  trackingId: string;
  authRequestId: string;
  facts: PasFacts;
  created: string;
  lastUpdated: string;
  version: number;
  decision: PasDecision;
}

interface ClaimRecord {
  claim: SubmittedClaim;
  /** The latest accepted submission's acknowledgement (original, replacement or void). */
  ack: Acknowledgement;
  /** The accepted original's acknowledgement: what a duplicate original (frequency 1) gets back. */
  originalAck?: Acknowledgement;
  status: ClaimStatusView;
  receivedDate: string;
  /** The last 835 claim that moved money (reversed before a correction/replacement/void). */
  lastRemit?: RemitClaim;
  /** A replacement (7) or void (8) accepted since the last adjudication. */
  pendingFrequency?: '7' | '8';
  /** Payer claim control number given in the 277CA of the latest submission; the next 835 uses it (CLP07). */
  ccn: string;
  ccnAdjudicated: boolean;
}

const today = () => new Date().toISOString().slice(0, 10);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export async function startPayerEmulator(opts: PayerEmulatorOptions = {}): Promise<PayerEmulator> {
  const payerId = opts.payerId ?? 'SIMPAYER';
  const payerName = opts.payerName ?? 'Simulated Health Plan';
  const decisionDelayMs = opts.decisionDelayMs ?? 2000;
  const random = seededRandom(opts.seed ?? 1);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');

  const counters = { elig: 0, pa: 0, ack: 0, era: 0, isa: 0, ccn: 0 };
  const members = new Map<string, Partial<MemberBenefits>>();
  let authSpec: AuthRequiredSpec = { ranges: [...DEFAULT_AUTH_REQUIRED.ranges], codes: [...DEFAULT_AUTH_REQUIRED.codes] };
  let customPaRules: PriorAuthRule[] = [];
  const cases = new Map<string, PaCase>();
  const caseByIdentifier = new Map<string, string>();
  const claims = new Map<string, ClaimRecord>();
  const acksByKey = new Map<string, Acknowledgement>();
  const acks999 = new Map<string, string>();
  const acks277 = new Map<string, string>();
  const claimRejections: ClaimRejectionSpec[] = [];
  const syntaxRejections: SyntaxErrorSpec[] = [];
  const adjudicationRules: AdjudicationRuleEntry[] = [];
  const remittances: RemittanceFileInfo[] = [];
  const timers = new Map<NodeJS.Timeout, () => void>();
  const scheduled = new Set<Promise<unknown>>();
  let closed = false;
  const webhooks = createWebhookSender(payerId);

  const benefitsOf = (memberRef: string): MemberBenefits => ({ planType: planTypeFor(memberRef), ...DEFAULT_BENEFITS, ...members.get(memberRef) });

  function schedule(ms: number, task: () => Promise<unknown>): void {
    const p = new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (closed) return resolve();
        task()
          .catch(() => undefined)
          .finally(resolve);
      }, ms);
      timers.set(t, resolve);
    });
    scheduled.add(p);
    void p.finally(() => scheduled.delete(p));
  }

  // ---------------------------------------------------------------- prior auth

  function decisionFrom(spec: PriorAuthDecisionSpec): PasDecision {
    const certified = ['A1', 'A2', 'A6'].includes(spec.action);
    return {
      action: spec.action,
      reasons: spec.reasons ?? [],
      requestedDocuments: spec.requestedDocuments ?? [],
      ...(certified ? { authNumber: `AUTH${digits(8)}` } : {}),
      ...(spec.approvedUnitsPerItem !== undefined ? { approvedUnitsPerItem: spec.approvedUnitsPerItem } : {}),
    };
  }

  function caseBundle(c: PaCase, bundleType: 'collection' | 'searchset') {
    return pasResponseBundle({ trackingId: c.trackingId, version: c.version, payerId, created: c.created, lastUpdated: c.lastUpdated, facts: c.facts, decision: c.decision, bundleType });
  }

  async function finalize(c: PaCase, spec: PriorAuthDecisionSpec): Promise<void> {
    c.decision = decisionFrom(spec);
    c.version++;
    c.lastUpdated = new Date().toISOString();
    if (opts.decisionWebhook) await webhooks.deliver(opts.decisionWebhook, 'prior-auth-decision', JSON.stringify(caseBundle(c, 'collection')), FHIR_JSON);
  }

  // ---------------------------------------------------------------- claims & remittances

  function setStatus(rec: ClaimRecord, statusCategory: string, statusCode: string, paidCents?: number) {
    rec.status = { claimId: rec.claim.claimId, statusCategory, statusCode, effectiveDate: today(), ...(paidCents !== undefined ? { paidCents } : {}) };
  }

  function ruleFor(rec: ClaimRecord): AdjudicationRule {
    const c = rec.claim;
    const hit = adjudicationRules.find(({ match }) => {
      if (!match) return true;
      if (match.claimId && match.claimId !== c.claimId) return false;
      if (match.serviceCode && !c.lines.some((l) => l.code === match.serviceCode)) return false;
      if (match.memberRefPrefix && !c.memberRef.startsWith(match.memberRefPrefix)) return false;
      return true;
    });
    if (hit) return hit.rule;
    // A service that needs prior auth billed without REF*G1 → CO-197 (precertification/authorization absent).
    if (!c.priorAuthNumber && c.lines.some((l) => authRequired(authSpec, l.code))) return { kind: 'deny', carc: '197' };
    return DEFAULT_ADJUDICATION_RULE;
  }

  function addDeductibleUsed(memberRef: string, deltaCents: number): void {
    if (deltaCents === 0) return;
    const used = benefitsOf(memberRef).deductibleUsedCents + deltaCents;
    members.set(memberRef, { ...members.get(memberRef), deductibleUsedCents: Math.max(0, used) });
  }

  function nextCcn(): string {
    return `${new Date().getUTCFullYear()}${pad(++counters.ccn, 9)}`;
  }

  /** The 835 claims for one claim record under a rule (reversal first when money moved before). */
  function adjudicateRecord(rec: ClaimRecord, rule: AdjudicationRule): RemitClaim[] | null {
    if (rule.kind === 'pend') {
      setStatus(rec, 'P1', '20');
      return null;
    }
    if (rule.kind === 'reverseAndCorrect' && !rec.lastRemit) throw new Error(`claim ${rec.claim.claimId} has no previous payment to reverse`);
    const out: RemitClaim[] = [];
    const needsReversal = rule.kind === 'reverseAndCorrect' || rec.pendingFrequency !== undefined;
    if (needsReversal && rec.lastRemit) {
      out.push(reversalOf(rec.lastRemit));
      // Reversing a payment gives the member back the deductible it consumed.
      const deductible = rec.lastRemit.services.flatMap((s) => s.adjustments).filter((a) => a.group === 'PR' && a.reason === '1');
      addDeductibleUsed(rec.claim.memberRef, -sumCents(deductible.map((a) => a.amountCents)));
    }
    const voided = rec.pendingFrequency === '8';
    rec.pendingFrequency = undefined;
    if (voided) {
      rec.lastRemit = undefined;
      setStatus(rec, 'F4', '1', 0);
      return out;
    }
    const effective: PayRule | DenyRule = rule.kind === 'reverseAndCorrect' ? rule.corrected : rule;
    const benefits = benefitsOf(rec.claim.memberRef);
    const ccn = rec.ccnAdjudicated ? nextCcn() : rec.ccn;
    rec.ccnAdjudicated = true;
    const ctx = {
      payerClaimControlNumber: ccn,
      receivedDate: rec.receivedDate,
      benefits: { copayCents: benefits.copayCents, deductibleRemainingCents: Math.max(0, benefits.deductibleCents - benefits.deductibleUsedCents), coinsuranceBasisPoints: benefits.coinsurancePercent * 100 },
    };
    let remit: RemitClaim;
    if (effective.kind === 'pay' && isSecondaryClaim(rec.claim)) {
      remit = applySecondaryPayRule(rec.claim, effective, ctx);
    } else if (effective.kind === 'pay') {
      const paid = applyPayRule(rec.claim, effective, ctx);
      remit = paid.remit;
      addDeductibleUsed(rec.claim.memberRef, paid.deductibleUsedCents);
    } else {
      remit = applyDenyRule(rec.claim, effective, ctx);
    }
    out.push(remit);
    rec.lastRemit = remit.status === '4' ? undefined : remit;
    if (remit.status === '4') setStatus(rec, 'F2', '1', 0);
    else if (remit.paidCents > 0) setStatus(rec, 'F1', '65', remit.paidCents);
    else setStatus(rec, 'F4', '1', 0);
    return out;
  }

  async function publish(content: string): Promise<RemittanceFileInfo> {
    const file = { fileId: `ERA${pad(++counters.era, 6)}`, createdAt: new Date().toISOString(), content };
    remittances.push(file);
    if (opts.remittanceWebhook) await webhooks.deliver(opts.remittanceWebhook, 'remittance', content, 'application/edi-x12', { 'x-rcm-file-id': file.fileId });
    return file;
  }

  async function adjudicateBatch(items: { claimId: string; rule?: AdjudicationRule }[], extra: ProviderAdjustment[] = [], paymentDate?: string): Promise<RemittanceFileInfo | null> {
    // Check every claim before changing any, so a bad batch leaves no half-adjudicated state.
    const records = items.map((item) => {
      const rec = claims.get(item.claimId);
      if (!rec) throw new Error(`unknown claim ${item.claimId}`);
      if (rec.ack.status !== 'accepted') throw new Error(`claim ${item.claimId} was rejected; nothing to adjudicate`);
      const rule = item.rule ?? ruleFor(rec);
      if (rule.kind === 'reverseAndCorrect' && !rec.lastRemit) throw new Error(`claim ${item.claimId} has no previous payment to reverse`);
      return { rec, rule };
    });
    const remitClaims: RemitClaim[] = [];
    let payee: { name: string; npi: string } | undefined;
    for (const { rec, rule } of records) {
      const produced = adjudicateRecord(rec, rule);
      if (produced) remitClaims.push(...produced);
      payee ??= { name: rec.claim.billingName || 'BILLING PROVIDER', npi: rec.claim.billingNpi };
    }
    if (remitClaims.length === 0 || !payee) return null;
    const remit: Remittance = {
      payer: { id: payerId, name: payerName, taxId: '990000001', address: { line1: '100 Payer Plaza', city: 'Hartford', state: 'CT', zip: '06101' } },
      payee,
      paymentMethod: 'ACH',
      traceNumber: `EFT${digits(10)}`,
      paymentDate: paymentDate ?? today(),
      claims: remitClaims,
      providerAdjustments: [...extra],
    };
    // A net debit (reversal larger than the new payment) is carried forward with a PLB FB, so BPR02 stays ≥ 0.
    const total = paymentTotalCents(remit);
    if (total < 0) remit.providerAdjustments.push({ reason: 'FB', reference: remitClaims[0].payerClaimControlNumber, amountCents: total });
    const isa = ++counters.isa;
    const content = write835(remit, { senderId: payerId, receiverId: 'RCMRECEIVER', interchangeControlNumber: isa, groupControlNumber: isa, transactionControlNumber: pad(isa, 4), createdAt: new Date() });
    return publish(content);
  }

  function takeRule<T extends { count?: number }>(queue: T[]): T | undefined {
    const rule = queue[0];
    if (rule && (rule.count ?? 1) <= 1) queue.shift();
    else if (rule) rule.count = (rule.count ?? 1) - 1;
    return rule;
  }

  /** The 999 for a received 837: its own syntax findings plus an injected error when a rule asks for one. */
  function implementationAck(read: Read837, text: string): { x12: string; disposition: AckDisposition } {
    const segmentErrors: SegmentError[] = [...read.syntax.segmentErrors];
    const codes = [...read.syntax.transactionErrorCodes];
    const injected = takeRule(syntaxRejections);
    let disposition: AckDisposition = segmentErrors.length > 0 || codes.length > 0 ? 'R' : 'A';
    if (injected) {
      const segmentId = injected.segmentId ?? 'CLM';
      const lines = text.split(/~\s*/).map((l) => l.split('*'));
      const st = lines.findIndex((l) => l[0] === 'ST');
      const at = lines.findIndex((l, i) => i >= st && l[0] === segmentId);
      const element = injected.element ?? 2;
      segmentErrors.push({ segmentId, position: at >= 0 ? at - st + 1 : 1, code: '8', elements: [{ position: element, code: injected.code ?? '6', badValue: at >= 0 ? (lines[at][element] ?? '') : '' }] });
      if (!codes.includes('5')) codes.push('5');
      disposition = disposition === 'R' ? 'R' : (injected.disposition ?? 'R');
    }
    const isa = ++counters.isa;
    const x12 = write999({
      ids: { senderId: payerId, receiverId: read.envelope.senderId || 'SUBMITTER', interchangeControlNumber: isa, groupControlNumber: isa, createdAt: new Date() },
      stControl: pad(isa, 4),
      groupControlNumber: read.envelope.groupControlNumber,
      groupVersion: read.envelope.groupVersion || '005010X222A1',
      transactionSetId: '837',
      transactionControlNumber: read.envelope.transactionControlNumber,
      implementationReference: read.envelope.implementationReference,
      disposition,
      transactionErrorCodes: disposition === 'A' ? [] : codes,
      segmentErrors,
    });
    if (read.envelope.groupControlNumber) acks999.set(String(Number(read.envelope.groupControlNumber)), x12);
    return { x12, disposition };
  }

  function claimAck(claim: SubmittedClaim, envelope: Read837['envelope'], ccn: string, statuses: ClaimStatus277[], message?: string): string {
    const isa = ++counters.isa;
    const x12 = write277ca({
      ids: { senderId: payerId, receiverId: envelope.senderId || 'SUBMITTER', interchangeControlNumber: isa, groupControlNumber: isa, createdAt: new Date() },
      stControl: pad(isa, 4),
      reference: `ACK${pad(counters.ack, 8)}`,
      payer: { id: payerId, name: payerName },
      submitter: { id: envelope.senderId || 'SUBMITTER', name: envelope.submitterName || 'SUBMITTER' },
      billing: { npi: claim.billingNpi, name: claim.billingName || 'BILLING PROVIDER' },
      patient: { lastName: claim.subscriberLastName ?? '', memberId: claim.memberRef },
      claim: {
        patientControlNumber: claim.claimId,
        chargeCents: claim.totalChargeCents,
        serviceDates: claim.lines.map((l) => l.serviceDate).filter((d): d is string => !!d),
        receivedDate: today(),
        payerClaimControlNumber: ccn,
        statuses,
        ...(message ? { message } : {}),
      },
    });
    acks277.set(claim.claimId, x12);
    return x12;
  }

  function submitClaim(x12: string, idempotencyKey: string | undefined): Acknowledgement {
    if (idempotencyKey && acksByKey.has(idempotencyKey)) return acksByKey.get(idempotencyKey)!;
    const read = read837(x12);
    const { claim } = read;
    const edits: ContentEdit[] = [...read.edits];
    const existing = claim ? claims.get(claim.claimId) : undefined;
    const implementation = implementationAck(read, x12);
    // Counted (submissions()) only when a new acknowledgement is issued: a duplicate original gets the first one back.
    const nextAckId = () => `ACK${pad(++counters.ack, 8)}`;
    const finish = (ack: Acknowledgement) => {
      if (idempotencyKey) acksByKey.set(idempotencyKey, ack);
      return ack;
    };
    // 999 R: the transaction set is rejected whole; no claim was read, so there is no 277CA and no claim record.
    if (implementation.disposition === 'R' || !claim) {
      const errors = read.errors.length > 0 ? read.errors : ['transaction set rejected (999 R)'];
      return finish({ claimId: claim?.claimId ?? '', acknowledgementId: nextAckId(), status: 'rejected', errors, ack999: implementation.x12 });
    }
    if (edits.length === 0) {
      const state = memberState(claim.memberRef);
      if (state === 'inactive') edits.push({ message: 'subscriber coverage not in force on the date of service', status: { category: 'A7', statusCode: '109', entityCode: 'IL' } });
      if (state === 'unknown') edits.push({ message: 'subscriber not found', status: { category: 'A3', statusCode: '33', entityCode: 'IL' } });
      if (claim.frequencyCode === '1' && existing?.originalAck) return existing.originalAck; // duplicate original: same acknowledgement
      // A replacement must name an accepted original or the claim number a 277CA rejection gave (REF*F8).
      const correctsRejection = existing?.ack.status === 'rejected' && claim.payerClaimControlNumber === existing.ccn;
      if (claim.frequencyCode !== '1' && existing?.ack.status !== 'accepted' && !correctsRejection) edits.push({ message: `frequency ${claim.frequencyCode} references no accepted original claim`, status: { category: 'A7', statusCode: '464' } });
    }
    const forced = edits.length === 0 ? takeRule(claimRejections) : undefined;
    if (forced) edits.push({ message: forced.reason ?? `claim rejected (${forced.category ?? 'A7'}:${forced.statusCode})`, status: { category: forced.category ?? 'A7', statusCode: forced.statusCode, ...(forced.entityCode ? { entityCode: forced.entityCode } : {}) } });
    const acknowledgementId = nextAckId();
    const ccn = nextCcn();
    const accepted = edits.length === 0;
    const statuses: ClaimStatus277[] = accepted ? [{ category: 'A2', statusCode: '20' }] : edits.map((e) => e.status);
    const ack277ca = claimAck(claim, read.envelope, ccn, statuses, accepted ? undefined : edits[0].message);
    const ack: Acknowledgement = {
      claimId: claim.claimId,
      acknowledgementId,
      status: accepted ? 'accepted' : 'rejected',
      errors: [...read.errors.filter((e) => !read.edits.some((x) => x.message === e)), ...edits.map((e) => e.message)],
      ack999: implementation.x12,
      ack277ca,
    };
    finish(ack);
    if (!claim.claimId) return ack;
    if (!accepted) {
      // A rejection of a replacement leaves the accepted original in place.
      if (!existing || existing.ack.status !== 'accepted') {
        const rec: ClaimRecord = { claim, ack, receivedDate: today(), ccn, ccnAdjudicated: false, status: { claimId: claim.claimId, statusCategory: statuses[0].category, statusCode: statuses[0].statusCode, effectiveDate: today() } };
        claims.set(claim.claimId, rec);
      }
      return ack;
    }
    const rec: ClaimRecord = existing ?? { claim, ack, receivedDate: today(), ccn, ccnAdjudicated: false, status: { claimId: claim.claimId, statusCategory: 'A2', statusCode: '20', effectiveDate: today() } };
    rec.claim = claim;
    rec.ack = ack;
    rec.ccn = ccn;
    rec.ccnAdjudicated = false;
    if (claim.frequencyCode === '1') rec.originalAck = ack;
    if (claim.frequencyCode === '7' || claim.frequencyCode === '8') rec.pendingFrequency = claim.frequencyCode;
    setStatus(rec, 'A2', '20');
    claims.set(claim.claimId, rec);
    if (opts.adjudicationDelayMs !== undefined) {
      schedule(opts.adjudicationDelayMs, async () => {
        if (rec.ack === ack) await adjudicateBatch([{ claimId: claim.claimId }]);
      });
    }
    return ack;
  }

  // ---------------------------------------------------------------- HTTP

  const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 5 * 1024 * 1024 });
  const faults = installFaults(app);

  app.addContentTypeParser(['application/fhir+json'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const err = new Error('body is not valid JSON') as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  app.addContentTypeParser(['application/edi-x12', 'text/plain', 'application/edi'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  if (opts.apiKey) {
    const expected = `Bearer ${opts.apiKey}`;
    app.addHook('onRequest', async (req, reply) => {
      if (req.headers.authorization !== expected) return reply.code(401).send({ error: 'Unauthorized', message: 'missing or invalid bearer token' });
    });
  }

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    void reply.code(status).send({ error: err.name, message: status === 500 ? 'internal error' : err.message });
  });

  const fhir = (reply: FastifyReply, status: number, resource: unknown) => reply.code(status).type(FHIR_JSON).send(resource);

  app.post('/fhir/CoverageEligibilityRequest/$submit', async (req, reply) => {
    const facts = readEligibilityRequest(req.body);
    if (typeof facts === 'string') return fhir(reply, 400, operationOutcome('error', 'invalid', facts));
    const response = eligibilityResponse({
      id: `ELIG${pad(++counters.elig, 8)}`,
      payerId,
      created: new Date().toISOString(),
      facts,
      state: memberState(facts.memberRef),
      benefits: benefitsOf(facts.memberRef),
      authRequired: (code) => authRequired(authSpec, code),
    });
    return fhir(reply, 200, response);
  });

  app.post('/fhir/Claim/$submit', async (req, reply) => {
    const facts = readPasBundle(req.body);
    if (typeof facts === 'string') return fhir(reply, 400, operationOutcome('error', 'invalid', facts));
    if (facts.services.some((s) => !s.code)) return fhir(reply, 422, operationOutcome('error', 'business-rule', 'every item needs a procedure code'));
    const known = caseByIdentifier.get(facts.identifierKey);
    if (known) return fhir(reply, 200, caseBundle(cases.get(known)!, 'collection'));
    const trackingId = `PA${pad(++counters.pa, 7)}`;
    const authRequestId = facts.claim.identifier[0].value;
    const caseFacts = { authRequestId, memberRef: facts.memberRef, urgency: facts.urgency, serviceCodes: facts.services.map((s) => s.code) };
    const rule = [...customPaRules, ...DEFAULT_PRIOR_AUTH_RULES].find((r) => matchesPriorAuth(r.match, caseFacts))!;
    const now = new Date().toISOString();
    const c: PaCase = { trackingId, authRequestId, facts, created: now, lastUpdated: now, version: 1, decision: decisionFrom(rule.decision) };
    cases.set(trackingId, c);
    caseByIdentifier.set(facts.identifierKey, trackingId);
    if (rule.then) {
      const final = rule.then;
      schedule(decisionDelayMs, () => finalize(c, final));
    }
    return fhir(reply, 201, caseBundle(c, 'collection'));
  });

  app.get<{ Querystring: { request?: string } }>('/fhir/ClaimResponse', async (req, reply) => {
    const request = req.query.request;
    if (!request) return fhir(reply, 400, operationOutcome('error', 'required', 'search parameter "request" is required'));
    const c = cases.get(request.replace(/^Claim\//, ''));
    return fhir(reply, 200, c ? caseBundle(c, 'searchset') : emptySearchset());
  });

  // The ClaimResponse's request reference (Claim/<trackingId>) resolves here.
  app.get<{ Params: { id: string } }>('/fhir/Claim/:id', async (req, reply) => {
    const c = cases.get(req.params.id);
    if (!c) return fhir(reply, 404, operationOutcome('error', 'not-found', 'Claim not found'));
    return fhir(reply, 200, storedClaim(c.facts, c.trackingId, payerId));
  });

  app.get<{ Params: { id: string } }>('/fhir/ClaimResponse/:id', async (req, reply) => {
    const c = cases.get(req.params.id);
    if (!c) return fhir(reply, 404, operationOutcome('error', 'not-found', 'ClaimResponse not found'));
    return fhir(reply, 200, caseBundle(c, 'collection').entry![0].resource);
  });

  app.post('/x12/837', async (req, reply) => {
    if (typeof req.body !== 'string') return reply.code(415).send({ error: 'UnsupportedMediaType', message: 'send the 837 as application/edi-x12' });
    const key = req.headers['idempotency-key'];
    try {
      return reply.code(200).send(submitClaim(req.body, typeof key === 'string' ? key : undefined));
    } catch (err) {
      if (err instanceof X12SyntaxError) return reply.code(400).send({ error: 'X12SyntaxError', message: err.message });
      throw err;
    }
  });

  app.get<{ Params: { controlNumber: string } }>('/x12/999/:controlNumber', async (req, reply) => {
    const x12 = /^\d{1,9}$/.test(req.params.controlNumber) ? acks999.get(String(Number(req.params.controlNumber))) : undefined;
    if (!x12) return reply.code(404).send({ error: 'NotFound', message: 'no 999 for that group control number' });
    return reply.type('application/edi-x12').send(x12);
  });

  app.get<{ Params: { claimId: string } }>('/x12/277ca/:claimId', async (req, reply) => {
    const x12 = acks277.get(req.params.claimId);
    if (!x12) return reply.code(404).send({ error: 'NotFound', message: 'no 277CA for that claim' });
    return reply.type('application/edi-x12').send(x12);
  });

  app.get<{ Params: { claimId: string } }>('/claims/:claimId/status', async (req, reply) => {
    const rec = claims.get(req.params.claimId);
    if (!rec) return reply.code(404).send({ error: 'NotFound', message: 'claim not found' });
    return reply.send(rec.status);
  });

  app.get<{ Querystring: { since?: string } }>('/remittances', async (req, reply) => {
    const since = req.query.since === undefined ? 0 : Date.parse(req.query.since);
    if (Number.isNaN(since)) return reply.code(400).send({ error: 'BadRequest', message: 'since must be an ISO-8601 instant' });
    // Inclusive: consumers dedupe by fileId, and an exclusive bound could skip a file created in the same millisecond.
    return reply.send(remittances.filter((r) => Date.parse(r.createdAt) >= since).map(({ fileId, createdAt }) => ({ fileId, createdAt })));
  });

  app.get<{ Params: { fileId: string } }>('/remittances/:fileId', async (req, reply) => {
    const file = remittances.find((r) => r.fileId === req.params.fileId);
    if (!file) return reply.code(404).send({ error: 'NotFound', message: 'remittance not found' });
    return reply.type('application/edi-x12').send(file.content);
  });

  await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`;

  const control: PayerEmulatorControl = {
    payerId,
    failNext: (status, count, o) => faults.failNext(status, count, o),
    delayNext: (ms, count, o) => faults.delayNext(ms, count, o),
    clearFaults: () => faults.clear(),
    setMember(memberRef, benefits) {
      members.set(memberRef, { ...members.get(memberRef), ...benefits });
    },
    setAuthRequired(spec) {
      authSpec = { ranges: spec.ranges ?? authSpec.ranges, codes: spec.codes ?? authSpec.codes };
    },
    setPriorAuthRule(rule) {
      customPaRules = [rule, ...customPaRules];
    },
    resetPriorAuthRules() {
      customPaRules = [];
    },
    async decidePriorAuth(trackingId, decision) {
      const c = cases.get(trackingId);
      if (!c) throw new Error(`unknown prior-auth case ${trackingId}`);
      await finalize(c, decision);
    },
    priorAuthCases: () => [...cases.values()].map((c) => ({ trackingId: c.trackingId, authRequestId: c.authRequestId, action: c.decision.action, version: c.version })),
    setAdjudicationRule(rule, match) {
      adjudicationRules.unshift({ ...(match ? { match } : {}), rule });
    },
    adjudicate: (claimId, rule, o) => adjudicateBatch([{ claimId, ...(rule ? { rule } : {}) }], o?.providerAdjustments, o?.paymentDate),
    adjudicateBatch: (items, o) => adjudicateBatch(items, o?.providerAdjustments, o?.paymentDate),
    addRemittance(content) {
      const file = { fileId: `ERA${pad(++counters.era, 6)}`, createdAt: new Date().toISOString(), content };
      remittances.push(file);
      return file;
    },
    claimStatus: (claimId) => claims.get(claimId)?.status,
    submittedClaim: (claimId) => claims.get(claimId)?.claim,
    rejectNextClaim: (spec) => void claimRejections.push({ ...spec }),
    rejectNextSyntax: (spec = {}) => void syntaxRejections.push({ ...spec }),
    claimAcknowledgment: (claimId) => acks277.get(claimId),
    implementationAcks: () => [...acks999].map(([groupControlNumber, x12]) => ({ groupControlNumber, x12 })),
    submissions: () => counters.ack,
    webhookDeliveries: () => webhooks.deliveries(),
    async idle() {
      while (scheduled.size > 0) await Promise.allSettled([...scheduled]);
      await webhooks.idle();
    },
  };

  return {
    url,
    control,
    async close() {
      closed = true;
      for (const [t, resolve] of timers) {
        clearTimeout(t);
        resolve();
      }
      timers.clear();
      webhooks.stop();
      faults.cancelSleeps();
      await app.close();
    },
  };
}
