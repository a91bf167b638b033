import { log, workflowInfo } from '@temporalio/workflow';
import { addDaysToDate, toIsoInstant } from '../domain';
import { parse835 } from '../domain/x12';
import { odoo, payer } from './proxies';

/**
 * Periodic reconciliation (run by a Temporal Schedule): for the period, compare what the payers remitted (835
 * claim payments, net of reversals) with the payments registered in Odoo per claim, and open a reconciliation
 * exception (helpdesk ticket, idempotent by title) for every mismatch: a remittance for a claim we have no invoice
 * for, or remitted ≠ registered.
 */
export interface ReconciliationInput {
  siteId: string;
  periodDays: number;
  /** end of the period (YYYY-MM-DD); defaults to today (workflow time) */
  toDate?: string;
}

export interface ReconciliationMismatch {
  claimId: string;
  kind: 'no_invoice' | 'amount_mismatch';
  remittedCents: number;
  registeredCents: number;
}

export interface ReconciliationResult {
  fromDate: string;
  toDate: string;
  remittanceFiles: number;
  claimsCompared: number;
  mismatches: ReconciliationMismatch[];
}

export async function reconciliation(input: ReconciliationInput): Promise<ReconciliationResult> {
  const toDate = input.toDate ?? toIsoInstant(Date.now()).slice(0, 10);
  const fromDate = addDaysToDate(toDate, -input.periodDays);

  // What the payers remitted, per claim (CLP01), net of reversals.
  const remitted = new Map<string, number>();
  const files = await payer.listRemittances({ since: `${fromDate}T00:00:00Z` });
  for (const ref of files) {
    const file = await payer.fetchRemittance({ fileId: ref.fileId });
    for (const tx of parse835(file.content).transactions) {
      for (const claim of tx.claims) remitted.set(claim.patientControlNumber, (remitted.get(claim.patientControlNumber) ?? 0) + claim.paidCents);
    }
  }

  // What Odoo registered, per claim: payer payments carry the memo `<TRN02>/<CLP01>`; patient payments `<claim>/patient/…`.
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

  const mismatches: ReconciliationMismatch[] = [];
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
