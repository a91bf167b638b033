import { ledgerView } from '../ledger';
import type { StageContext } from './context';

/** Stage 11: every payment and credit is posted and known to both sides; the journey closes as paid. */
export async function posting({ rt, d }: StageContext): Promise<void> {
  const l = ledgerView(d.ledger, d.claimIds);
  await rt.transition('posting_reconciled', { detail: `paid ${l.paidCents}, patient ${l.patientPaidCents}, adjusted ${l.adjustedCents + l.writtenOffCents}` });
}
