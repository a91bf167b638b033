import type { JourneyLedger } from './journeyState';

/**
 * The journey's ledger: one receivable and the payments and credit notes registered against it, each under the
 * business key Odoo holds it by (payment memo, credit-note ref). Entries are added by key, so a stage rerun after
 * hold → resume, or a child result applied twice, never counts money twice.
 */
export interface LedgerState {
  invoiceId?: number;
  chargeCents: number;
  payments: JourneyLedger['payments'];
  credits: JourneyLedger['credits'];
}

export type LedgerPayment = JourneyLedger['payments'][number];
export type LedgerCredit = JourneyLedger['credits'][number];

export function addPayment(ledger: LedgerState, p: LedgerPayment): boolean {
  if (ledger.payments.some((x) => x.memo === p.memo)) return false;
  ledger.payments.push(p);
  return true;
}

export function addCredit(ledger: LedgerState, c: LedgerCredit): boolean {
  if (ledger.credits.some((x) => x.key === c.key)) return false;
  ledger.credits.push(c);
  return true;
}

const sum = <T>(items: T[], value: (t: T) => number, when: (t: T) => boolean = () => true) => items.filter(when).reduce((s, t) => s + value(t), 0);

export function ledgerView(ledger: LedgerState, claimIds: string[]): JourneyLedger {
  const paidCents = sum(ledger.payments, (p) => p.amountCents, (p) => p.source === 'payer');
  const patientPaidCents = sum(ledger.payments, (p) => p.amountCents, (p) => p.source === 'patient');
  const adjustedCents = sum(ledger.credits, (c) => c.amountCents, (c) => c.kind === 'contractual');
  const writtenOffCents = sum(ledger.credits, (c) => c.amountCents, (c) => c.kind === 'write_off');
  return {
    ...(ledger.invoiceId !== undefined ? { invoiceId: ledger.invoiceId } : {}),
    chargeCents: ledger.chargeCents,
    paidCents,
    patientPaidCents,
    adjustedCents,
    writtenOffCents,
    balanceCents: Math.max(0, ledger.chargeCents - paidCents - patientPaidCents - adjustedCents - writtenOffCents),
    claimIds: [...claimIds],
    payments: ledger.payments.map((p) => ({ ...p })),
    credits: ledger.credits.map((c) => ({ ...c })),
  };
}
