import { ActivityFailure, ApplicationFailure, isCancellation, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { OdooReconciliationActivities, RegisteredClaimFamily, RegisteredDeposit } from '../activities/odoo/reconciliationTotals';
import type { MALFORMED_REMITTANCE, PayerReconciliationActivities, RemittanceCursor, RemittanceSummaryPage } from '../activities/payer/reconciliation';
import { addDaysToDate, toIsoInstant } from '../domain';
import { claimAttemptOf, claimFamilyOf } from '../domain/ids';
import { parse835 } from '../domain/x12';
import { odoo, payer } from './proxies';
import { isPatched } from './runtime/patchLevel';

/**
 * Periodic reconciliation (run by a Temporal Schedule) of the period's 835 remittances against Odoo, opening a
 * reconciliation exception (helpdesk ticket, idempotent by title) for every mismatch:
 * - per claim-id family (every attempt of a journey's claim; the invoice keeps the first claim id as ref): a
 *   remittance for a family we never invoiced (`no_invoice`), or remitted ≠ registered (`amount_mismatch`);
 * - per deposit (TRN02): the payer's payment (BPR02) ≠ the payer payments Odoo holds under `<TRN02>/…`;
 * - per file: a file that cannot be parsed (`malformed_file`) or read (`unreadable_file`) is reported and skipped.
 * Files are parsed in an activity that returns per-deposit / per-claim totals in pages, and Odoo answers with
 * aggregates for bounded chunks of keys, so no activity result grows with the volume. The workflow never fails
 * because of one file.
 */
export interface ReconciliationInput {
  siteId: string;
  periodDays: number;
  /** end of the period (YYYY-MM-DD); defaults to today (workflow time) */
  toDate?: string;
}

export interface ClaimMismatch {
  /** the most recent claim id (highest attempt) the payer remitted for the family */
  claimId: string;
  kind: 'no_invoice' | 'amount_mismatch';
  /** Σ CLP04 over the family's claims in the period's files, net of reversals */
  remittedCents: number;
  /** Σ Odoo payer payments of the family under the period's deposits */
  registeredCents: number;
}

export interface DepositMismatch {
  kind: 'deposit_mismatch';
  traceNumber: string;
  /** BPR02, negative for a debit (BPR03 D), summed over the files carrying this trace */
  depositCents: number;
  /** Σ PLB: provider-level adjustments, which are never posted to a claim invoice */
  plbCents: number;
  /** remitted in this deposit for claims we have no invoice for (already reported as no_invoice) */
  notOursCents: number;
  /** what Odoo should hold under the trace: depositCents + plbCents − notOursCents */
  remittedCents: number;
  registeredCents: number;
  fileIds: string[];
}

export interface FileMismatch {
  kind: 'malformed_file' | 'unreadable_file';
  fileId: string;
  /** for malformed files: the parser's message, naming segment, element and byte offset */
  reason: string;
}

export type ReconciliationMismatch = ClaimMismatch | DepositMismatch | FileMismatch;
export type MismatchKind = ReconciliationMismatch['kind'];

export interface ReconciliationResult {
  fromDate: string;
  toDate: string;
  remittanceFiles: number;
  /** claim-id families compared (a resubmitted claim and its first attempt count once) */
  claimsCompared: number;
  /** deposits (TRN02) compared; only those paying at least one claim we invoiced */
  depositsCompared?: number;
  /** at most MAX_REPORTED mismatches (every one gets a ticket); mismatchCounts has the totals */
  mismatches: ReconciliationMismatch[];
  mismatchCounts?: Partial<Record<MismatchKind, number>>;
}

/** Runs in flight when this shipped replay the old code path (reconciliation auto-upgrades, versioning.ts). */
export const PATCH_RECONCILIATION_ACTIVITY_PARSING = 'reconciliation-parses-in-activities';

const MALFORMED: typeof MALFORMED_REMITTANCE = 'MalformedRemittance';
const FILE_PAGE = 200;
/** ~100 bytes per claim entry: a page stays near 50 KB, far below the 2 MB payload limit. */
const SUMMARY_PAGE = 500;
const ODOO_CHUNK = 100;
const PARALLEL = 4;
const MAX_REPORTED = 500;

const recon = proxyActivities<PayerReconciliationActivities & OdooReconciliationActivities>({
  // Large files and long Odoo scans run longer than the integration defaults; heartbeats detect a dead worker.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

interface Deposit {
  depositCents: number;
  plbCents: number;
  fileIds: string[];
  /** remitted cents per claim family in this deposit */
  families: Map<string, number>;
}

type FileRead = { fileId: string; pages: RemittanceSummaryPage[] } | { fileId: string; failure: FileMismatch };

export async function reconciliation(input: ReconciliationInput): Promise<ReconciliationResult> {
  if (!isPatched(PATCH_RECONCILIATION_ACTIVITY_PARSING)) return legacyReconciliation(input);
  const toDate = input.toDate ?? toIsoInstant(Date.now()).slice(0, 10);
  const fromDate = addDaysToDate(toDate, -input.periodDays);

  // 1. What the payers remitted: per claim family and per deposit, folded file by file.
  const remitted = new Map<string, { cents: number; claimId: string }>();
  const deposits = new Map<string, Deposit>();
  const mismatches: ReconciliationMismatch[] = [];
  let fileCount = 0;

  const fold = (read: FileRead): void => {
    if ('failure' in read) {
      mismatches.push(read.failure);
      return;
    }
    for (const page of read.pages) {
      for (const d of page.deposits) {
        const dep = depositOf(deposits, d.traceNumber);
        dep.depositCents += d.creditDebit === 'D' ? -d.paymentCents : d.paymentCents;
        dep.plbCents += d.plbCents;
        if (!dep.fileIds.includes(read.fileId)) dep.fileIds.push(read.fileId);
      }
      for (const c of page.claims) {
        const family = claimFamilyOf(c.claimId);
        const r = remitted.get(family) ?? { cents: 0, claimId: c.claimId };
        r.cents += c.paidCents;
        if ((claimAttemptOf(c.claimId) ?? 0) > (claimAttemptOf(r.claimId) ?? 0)) r.claimId = c.claimId;
        remitted.set(family, r);
        const dep = depositOf(deposits, c.traceNumber);
        dep.families.set(family, (dep.families.get(family) ?? 0) + c.paidCents);
      }
    }
  };

  let after: RemittanceCursor | undefined;
  do {
    const list = await recon.listRemittancePage({ since: `${fromDate}T00:00:00Z`, until: `${toDate}T23:59:59.999Z`, limit: FILE_PAGE, ...(after ? { after } : {}) });
    for (const batch of chunks(list.files, PARALLEL)) {
      const reads = await Promise.all(batch.map((f) => readFile(f.fileId)));
      reads.forEach(fold); // in file order
    }
    fileCount += list.files.length;
    after = list.next;
  } while (after);

  // 2. What Odoo holds: invoice existence and payer payments per family, payer payments per deposit.
  const families = new Map<string, RegisteredClaimFamily>();
  for (const part of await inParallel(chunks([...remitted.keys()], ODOO_CHUNK), (c) => recon.odooClaimFamilyTotals({ families: c }))) {
    for (const f of part) families.set(f.family, f);
  }
  const isOurs = (family: string): boolean => families.get(family)?.invoiced === true;
  // Deposit check only where the deposit pays at least one claim we invoiced: a deposit of foreign claims only is
  // fully explained by their no_invoice tickets, and a deposit of a payer we do not post is none of Odoo's business.
  const ourTraces = [...deposits].filter(([, d]) => [...d.families.keys()].some(isOurs)).map(([t]) => t);
  const registeredDeposits = new Map<string, RegisteredDeposit>();
  for (const part of await inParallel(chunks(ourTraces, ODOO_CHUNK), (c) => recon.odooDepositTotals({ traces: c }))) {
    for (const d of part) registeredDeposits.set(d.traceNumber, d);
  }

  // 3. Compare. A family's registered payments count only under the deposits this period reconciles, so both
  // sides cover the same money: payments are keyed by trace, not by date (BPR16 may fall after the period).
  for (const [family, r] of remitted) {
    const f = families.get(family);
    const registeredCents = sum((f?.byTrace ?? []).filter((t) => deposits.has(t.traceNumber)).map((t) => t.registeredCents));
    if (!f?.invoiced) mismatches.push({ claimId: r.claimId, kind: 'no_invoice', remittedCents: r.cents, registeredCents });
    else if (r.cents !== registeredCents) mismatches.push({ claimId: r.claimId, kind: 'amount_mismatch', remittedCents: r.cents, registeredCents });
  }
  for (const traceNumber of ourTraces) {
    const d = deposits.get(traceNumber)!;
    // Odoo holds the claim part of the deposit: BPR02 = ΣCLP04 − ΣPLB, and PLB (interest, offsets) is provider-level,
    // never a claim payment. Using BPR02 rather than ΣCLP04 also catches a file whose claims do not add up to the
    // money. Claims we never invoiced cannot be in Odoo; they are taken out here and reported as no_invoice.
    const notOursCents = sum([...d.families].filter(([family]) => !isOurs(family)).map(([, cents]) => cents));
    const remittedCents = d.depositCents + d.plbCents - notOursCents;
    const registeredCents = registeredDeposits.get(traceNumber)?.registeredCents ?? 0;
    if (remittedCents !== registeredCents) {
      mismatches.push({ kind: 'deposit_mismatch', traceNumber, depositCents: d.depositCents, plbCents: d.plbCents, notOursCents, remittedCents, registeredCents, fileIds: d.fileIds });
    }
  }

  // 4. One ticket per mismatch (idempotent by title, so a rerun or an overlapping period adds none).
  await inParallel(mismatches, (m) => odoo.openTicket({ journeyId: `reconciliation/${input.siteId}`, queue: 'reconciliation', ...ticketFor(m, fromDate, toDate) }));

  const mismatchCounts: Partial<Record<MismatchKind, number>> = {};
  for (const m of mismatches) mismatchCounts[m.kind] = (mismatchCounts[m.kind] ?? 0) + 1;
  log.info('reconciliation done', { workflowId: workflowInfo().workflowId, files: fileCount, families: remitted.size, deposits: ourTraces.length, mismatches: mismatches.length });
  return {
    fromDate,
    toDate,
    remittanceFiles: fileCount,
    claimsCompared: remitted.size,
    depositsCompared: ourTraces.length,
    mismatches: mismatches.slice(0, MAX_REPORTED),
    mismatchCounts,
  };
}

/** All summary pages of one file, or why it cannot be reconciled (the run goes on without it). */
async function readFile(fileId: string): Promise<FileRead> {
  const pages: RemittanceSummaryPage[] = [];
  try {
    for (let page = 0; ; page++) {
      const p = await recon.summarizeRemittance({ fileId, page, pageSize: SUMMARY_PAGE });
      pages.push(p);
      if (!p.hasMore) return { fileId, pages };
    }
  } catch (err) {
    if (isCancellation(err) || !(err instanceof ActivityFailure)) throw err;
    const cause = err.cause;
    const malformed = cause instanceof ApplicationFailure && cause.type === MALFORMED;
    return { fileId, failure: { kind: malformed ? 'malformed_file' : 'unreadable_file', fileId, reason: cause?.message ?? err.message } };
  }
}

function ticketFor(m: ReconciliationMismatch, fromDate: string, toDate: string): { title: string; description: string; priority: 'normal' | 'high' } {
  const period = `Period ${fromDate}..${toDate}`;
  switch (m.kind) {
    case 'no_invoice':
    case 'amount_mismatch':
      return { title: `${m.kind} on ${m.claimId}`, description: `${period}: remitted ${m.remittedCents} cents, registered ${m.registeredCents} cents`, priority: m.kind === 'no_invoice' ? 'high' : 'normal' };
    case 'deposit_mismatch':
      return {
        title: `deposit_mismatch on trace ${m.traceNumber}`,
        description:
          `${period}: deposit ${m.traceNumber} (files ${m.fileIds.join(', ')}) pays ${m.depositCents} cents (BPR02), provider-level adjustments ${m.plbCents} cents (PLB), ` +
          `claims not invoiced by us ${m.notOursCents} cents; Odoo should hold ${m.remittedCents} cents under memo "${m.traceNumber}/…" and holds ${m.registeredCents} cents`,
        priority: 'high',
      };
    case 'malformed_file':
    case 'unreadable_file':
      return {
        title: `${m.kind} ${m.fileId}`,
        description: `${period}: remittance file ${m.fileId} was left out of reconciliation: ${m.reason}`.slice(0, 10_000),
        priority: 'high',
      };
  }
}

function depositOf(deposits: Map<string, Deposit>, traceNumber: string): Deposit {
  let d = deposits.get(traceNumber);
  if (!d) deposits.set(traceNumber, (d = { depositCents: 0, plbCents: 0, fileIds: [], families: new Map() }));
  return d;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `fn` over the items, PARALLEL at a time, results in item order. */
async function inParallel<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const batch of chunks(items, PARALLEL)) out.push(...(await Promise.all(batch.map(fn))));
  return out;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/**
 * The code path before PATCH_RECONCILIATION_ACTIVITY_PARSING, kept verbatim so a run that was in flight when the
 * new build shipped replays deterministically. Remove with deprecatePatch once no such run can exist (runs last
 * minutes).
 */
async function legacyReconciliation(input: ReconciliationInput): Promise<ReconciliationResult> {
  const toDate = input.toDate ?? toIsoInstant(Date.now()).slice(0, 10);
  const fromDate = addDaysToDate(toDate, -input.periodDays);
  const remitted = new Map<string, number>();
  const files = await payer.listRemittances({ since: `${fromDate}T00:00:00Z` });
  for (const ref of files) {
    const file = await payer.fetchRemittance({ fileId: ref.fileId });
    for (const tx of parse835(file.content).transactions) {
      for (const claim of tx.claims) remitted.set(claim.patientControlNumber, (remitted.get(claim.patientControlNumber) ?? 0) + claim.paidCents);
    }
  }
  const [invoices, payments] = await Promise.all([
    odoo.findInvoices({ fromDate: addDaysToDate(fromDate, -365), toDate }),
    odoo.findPayments({ fromDate, toDate }),
  ]);
  const invoiceByClaim = new Map(invoices.filter((i) => i.claimId).map((i) => [i.claimId as string, i]));
  const registered = new Map<string, number>();
  for (const p of payments) {
    const memo = p.memo ?? '';
    if (memo.includes('/patient/')) continue;
    const claimId = memo.slice(memo.lastIndexOf('/') + 1);
    if (claimId) registered.set(claimId, (registered.get(claimId) ?? 0) + p.amountCents);
  }
  const mismatches: ClaimMismatch[] = [];
  for (const [claimId, remittedCents] of remitted) {
    const registeredCents = registered.get(claimId) ?? 0;
    if (!invoiceByClaim.has(claimId)) mismatches.push({ claimId, kind: 'no_invoice', remittedCents, registeredCents });
    else if (remittedCents !== registeredCents) mismatches.push({ claimId, kind: 'amount_mismatch', remittedCents, registeredCents });
  }
  for (const m of mismatches) {
    await odoo.openTicket({
      journeyId: `reconciliation/${input.siteId}`,
      queue: 'reconciliation',
      title: `${m.kind} on ${m.claimId}`,
      description: `Period ${fromDate}..${toDate}: remitted ${m.remittedCents} cents, registered ${m.registeredCents} cents`,
      priority: m.kind === 'no_invoice' ? 'high' : 'normal',
    });
  }
  log.info('reconciliation done', { workflowId: workflowInfo().workflowId, files: files.length, mismatches: mismatches.length });
  return { fromDate, toDate, remittanceFiles: files.length, claimsCompared: remitted.size, mismatches };
}
