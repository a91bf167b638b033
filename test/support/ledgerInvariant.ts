import type { OdooEmulator } from '../../sim/odoo';
import { status } from '../../src/workflows/messages';
import type { JourneyLedger, JourneyStatus } from '../../src/workflows/journeyState';

/**
 * Money integrity: what the journey believes Odoo holds (its `status().ledger`) must be exactly what the Odoo
 * emulator holds for it — one receivable, the payments by memo, the credit notes by key, and the residual. Call it
 * after every money, cancel, hold/resume and remittance scenario: it fails listing every difference.
 *
 * Odoo's side is read in-process from the emulator's store (no HTTP, no product code): amounts are floats there and
 * are compared as integer cents (round(x * 100)).
 */
export type LedgerSource = JourneyLedger | Pick<JourneyStatus, 'ledger'> | { query: (q: typeof status) => Promise<JourneyStatus> };

type OdooView = Pick<OdooEmulator, 'store' | 'version'>;

interface Move {
  id: number;
  name: string;
  ref: string | false;
  state: string;
  amount_total: number;
  amount_residual: number;
  reversed_entry_id: [number, string] | false;
}

interface Payment {
  id: number;
  name: string;
  memo: string;
  amount: number;
  state: string;
  invoiceIds: number[];
}

const cents = (amount: unknown): number => (typeof amount === 'number' ? Math.round(amount * 100) : 0);
const m2oId = (v: unknown): number | undefined => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : typeof v === 'number' ? v : undefined);
const sumOf = <T>(items: T[], value: (t: T) => number) => items.reduce((s, t) => s + value(t), 0);
/** Payments Odoo no longer counts as money received. */
const VOID_PAYMENT_STATES = ['draft', 'canceled', 'cancel', 'rejected'];
/** Patient payments carry `<claim>/patient/<id>`, payer payments `<TRN02>/<CLP01>` (src/workflows/journeyState.ts). */
const sourceOfMemo = (memo: string): 'payer' | 'patient' => (memo.includes('/patient/') ? 'patient' : 'payer');

async function ledgerOf(source: LedgerSource): Promise<JourneyLedger> {
  if ('query' in source) return (await source.query(status)).ledger;
  if ('ledger' in source) return source.ledger;
  return source;
}

/** account.payment's memo: `ref` up to Odoo 17, `memo` since 18 (the register wizard also fills payment_reference). */
function payments(odoo: OdooView): Payment[] {
  const memoField = Number(odoo.version.split('.')[0]) >= 18 ? 'memo' : 'ref';
  return odoo.store.search('account.payment', [], ['name', memoField, 'payment_reference', 'amount', 'state', 'reconciled_invoice_ids']).map((r) => ({
    id: r.id as number,
    name: String(r.name),
    memo: typeof r[memoField] === 'string' ? (r[memoField] as string) : typeof r.payment_reference === 'string' ? r.payment_reference : '',
    amount: r.amount as number,
    state: String(r.state),
    invoiceIds: Array.isArray(r.reconciled_invoice_ids) ? (r.reconciled_invoice_ids as number[]) : [],
  }));
}

const MOVE_FIELDS = ['name', 'ref', 'state', 'amount_total', 'amount_residual', 'reversed_entry_id'];

/** Every difference between the journey's ledger and Odoo, as one readable line each (empty: they agree). */
export function ledgerDifferences(ledger: JourneyLedger, odoo: OdooView): string[] {
  const diffs: string[] = [];
  const claimIds = ledger.claimIds;
  const belongsByMemo = (memo: string) => claimIds.some((c) => memo.startsWith(`${c}/`) || memo.endsWith(`/${c}`));

  // ---- internal consistency of the ledger itself
  const byKind = (kind: string) => sumOf(ledger.credits.filter((c) => c.kind === kind), (c) => c.amountCents);
  const bySource = (source: string) => sumOf(ledger.payments.filter((p) => p.source === source), (p) => p.amountCents);
  if (bySource('payer') !== ledger.paidCents) diffs.push(`ledger: payer payments sum to ${bySource('payer')} but paidCents is ${ledger.paidCents}`);
  if (bySource('patient') !== ledger.patientPaidCents) diffs.push(`ledger: patient payments sum to ${bySource('patient')} but patientPaidCents is ${ledger.patientPaidCents}`);
  if (byKind('contractual') !== ledger.adjustedCents) diffs.push(`ledger: contractual credits sum to ${byKind('contractual')} but adjustedCents is ${ledger.adjustedCents}`);
  if (byKind('write_off') !== ledger.writtenOffCents) diffs.push(`ledger: write-off credits sum to ${byKind('write_off')} but writtenOffCents is ${ledger.writtenOffCents}`);
  for (const p of ledger.payments) if (p.source !== sourceOfMemo(p.memo)) diffs.push(`ledger: payment ${p.memo} is recorded as ${p.source} but its memo says ${sourceOfMemo(p.memo)}`);

  // ---- the receivable: one live out_invoice per journey, under one of its claim ids. Drafts voided by a change
  // request or a rejection stay in Odoo as cancelled invoices under their own claim ids; they hold no money.
  const invoices = claimIds.length
    ? (odoo.store.search('account.move', [['move_type', '=', 'out_invoice'], ['ref', 'in', claimIds]], MOVE_FIELDS) as unknown as Move[])
    : [];
  if (ledger.invoiceId !== undefined && !claimIds.length) diffs.push(`ledger: invoice ${ledger.invoiceId} but no claim ids`);
  const perRef = new Map<string, Move[]>();
  for (const inv of invoices) perRef.set(String(inv.ref), [...(perRef.get(String(inv.ref)) ?? []), inv]);
  for (const [ref, rows] of perRef) if (rows.length > 1) diffs.push(`Odoo: ${rows.length} invoices with ref ${ref} (ids ${rows.map((i) => i.id).join(', ')}); one claim has one invoice`);
  const liveInvoices = invoices.filter((i) => i.state !== 'cancel');
  if (liveInvoices.length > 1) diffs.push(`Odoo: ${liveInvoices.length} live invoices for claims ${claimIds.join(', ')} (ids ${liveInvoices.map((i) => i.id).join(', ')}); a journey has one receivable`);
  const live = invoices.filter((i) => i.state !== 'cancel');
  const invoice = invoices.find((i) => i.id === ledger.invoiceId) ?? live[0];
  if (ledger.chargeCents === 0) {
    // No receivable yet, or a voided draft: Odoo may hold a cancelled invoice and nothing else.
    for (const i of live) diffs.push(`Odoo: invoice ${i.id} is ${i.state} (total ${cents(i.amount_total)}) but the ledger has no receivable (chargeCents 0)`);
  } else if (!invoice) {
    diffs.push(`Odoo: no invoice with ref ${claimIds[0]} but the ledger charges ${ledger.chargeCents}${ledger.invoiceId !== undefined ? ` on invoice ${ledger.invoiceId}` : ''}`);
  } else {
    if (ledger.invoiceId !== undefined && invoice.id !== ledger.invoiceId) diffs.push(`Odoo: the journey's invoice is ${invoice.id}, the ledger says ${ledger.invoiceId}`);
    if (invoice.state === 'cancel') diffs.push(`Odoo: invoice ${invoice.id} is cancelled but the ledger charges ${ledger.chargeCents}`);
    if (cents(invoice.amount_total) !== ledger.chargeCents) diffs.push(`invoice ${invoice.id} total: Odoo ${cents(invoice.amount_total)}, ledger chargeCents ${ledger.chargeCents}`);
  }
  const invoiceIds = new Set(invoices.map((i) => i.id));
  if (ledger.invoiceId !== undefined) invoiceIds.add(ledger.invoiceId);

  // ---- payments: reconciled to the receivable, or carrying one of the journey's claim ids in the memo
  const odooPayments = payments(odoo).filter((p) => !VOID_PAYMENT_STATES.includes(p.state) && (p.invoiceIds.some((id) => invoiceIds.has(id)) || belongsByMemo(p.memo)));
  const seenMemos = new Map<string, Payment[]>();
  for (const p of odooPayments) seenMemos.set(p.memo, [...(seenMemos.get(p.memo) ?? []), p]);
  for (const [memo, rows] of seenMemos) {
    if (rows.length > 1) diffs.push(`Odoo: ${rows.length} payments with memo ${memo} (ids ${rows.map((r) => r.id).join(', ')})`);
    const known = ledger.payments.find((p) => p.memo === memo);
    if (!known) {
      for (const r of rows) diffs.push(`Odoo: posted payment the journey does not know: ${r.name} (id ${r.id}) memo ${memo || '(none)'} amount ${cents(r.amount)}`);
      continue;
    }
    if (cents(rows[0].amount) !== known.amountCents) diffs.push(`payment ${memo}: Odoo ${cents(rows[0].amount)}, ledger ${known.amountCents}`);
    const elsewhere = rows.filter((r) => invoice && !r.invoiceIds.includes(invoice.id));
    for (const r of elsewhere) diffs.push(`Odoo: payment ${memo} (id ${r.id}) is reconciled to ${r.invoiceIds.join(', ') || 'no invoice'}, not to the journey's invoice ${invoice!.id}`);
  }
  for (const p of ledger.payments) if (!seenMemos.has(p.memo)) diffs.push(`Odoo: no posted payment with memo ${p.memo} (ledger: ${p.source} ${p.amountCents})`);
  const odooBySource = (source: string) => sumOf(odooPayments.filter((p) => sourceOfMemo(p.memo) === source), (p) => cents(p.amount));
  if (odooBySource('payer') !== ledger.paidCents) diffs.push(`payer payments: Odoo ${odooBySource('payer')}, ledger paidCents ${ledger.paidCents}`);
  if (odooBySource('patient') !== ledger.patientPaidCents) diffs.push(`patient payments: Odoo ${odooBySource('patient')}, ledger patientPaidCents ${ledger.patientPaidCents}`);

  // ---- credit notes: linked to the receivable (reversed_entry_id), or under a key the journey owns
  const ledgerKeys = new Set(ledger.credits.map((c) => c.key));
  const ownsKey = (ref: string) => ledgerKeys.has(ref) || claimIds.some((c) => ref.startsWith(`${c}/`) || ref.includes(`|${c}|`));
  const refunds = (odoo.store.search('account.move', [['move_type', '=', 'out_refund']], MOVE_FIELDS) as unknown as Move[]).filter((r) => {
    const origin = m2oId(r.reversed_entry_id);
    return (origin !== undefined && invoiceIds.has(origin)) || (typeof r.ref === 'string' && ownsKey(r.ref));
  });
  for (const r of refunds) {
    const key = typeof r.ref === 'string' ? r.ref : '';
    const known = ledger.credits.find((c) => c.key === key);
    if (r.state === 'cancel') {
      if (known) diffs.push(`Odoo: credit note ${key} (id ${r.id}) is cancelled; the ledger counts ${known.kind} ${known.amountCents}`);
      continue;
    }
    if (r.state !== 'posted') diffs.push(`Odoo: credit note ${key || '(no ref)'} (id ${r.id}) is ${r.state}, not posted`);
    if (!known) {
      diffs.push(`Odoo: credit note the journey does not know: ${r.name} (id ${r.id}) ref ${key || '(none)'} amount ${cents(r.amount_total)}`);
      continue;
    }
    if (cents(r.amount_total) !== known.amountCents) diffs.push(`credit note ${key}: Odoo ${cents(r.amount_total)}, ledger ${known.amountCents}`);
    if (invoice && m2oId(r.reversed_entry_id) !== invoice.id) diffs.push(`Odoo: credit note ${key} (id ${r.id}) reverses ${m2oId(r.reversed_entry_id) ?? 'nothing'}, not the journey's invoice ${invoice.id}`);
  }
  for (const credit of ledger.credits) {
    const rows = refunds.filter((r) => r.ref === credit.key && r.state !== 'cancel');
    if (rows.length === 0) diffs.push(`Odoo: no credit note with ref ${credit.key} (ledger: ${credit.kind} ${credit.amountCents})`);
    if (rows.length > 1) diffs.push(`Odoo: ${rows.length} credit notes with ref ${credit.key} (ids ${rows.map((r) => r.id).join(', ')})`);
  }

  // ---- the open balance: Odoo's residual, and the ledger's own arithmetic
  if (invoice && invoice.state === 'posted') {
    if (cents(invoice.amount_residual) !== ledger.balanceCents) diffs.push(`invoice ${invoice.id} residual: Odoo ${cents(invoice.amount_residual)}, ledger balanceCents ${ledger.balanceCents}`);
    const expected = ledger.chargeCents - ledger.paidCents - ledger.patientPaidCents - ledger.adjustedCents - ledger.writtenOffCents;
    if (expected !== ledger.balanceCents) {
      diffs.push(`ledger: charge ${ledger.chargeCents} − paid ${ledger.paidCents} − patient ${ledger.patientPaidCents} − adjusted ${ledger.adjustedCents} − written off ${ledger.writtenOffCents} = ${expected}, but balanceCents is ${ledger.balanceCents}`);
    }
  }
  return diffs;
}

/** Fails (throws) listing every difference between the journey's ledger and what the Odoo emulator holds for it. */
export async function expectLedgerMatchesOdoo(source: LedgerSource, odoo: OdooView): Promise<void> {
  const ledger = await ledgerOf(source);
  const diffs = ledgerDifferences(ledger, odoo);
  if (diffs.length) {
    const who = ledger.claimIds.length ? `claims ${ledger.claimIds.join(', ')}` : 'a journey without claims';
    throw new Error(`journey ledger and Odoo differ (${who}):\n  - ${diffs.join('\n  - ')}`);
  }
}
