import type { PlbLine } from '../domain';
import { odoo } from './proxies';

/**
 * What an 835 transaction leaves to cash posting besides its claim payments (issue 11, DOMAIN.md "Balancing" and
 * "Clarifications (second pass)"): provider-level adjustments (PLB) posted to their own lines in Odoo — L6 interest
 * in, WO/FB recoupments and 72 authorized returns out — and a quarantined (unbalanced) transaction put in front of
 * the cash-posting team. One workflow per transaction (id from TRN02 + ST02), so a file ingested twice posts once.
 */
export interface CashPostingInput {
  traceNumber: string;
  /** ST02 of the transaction */
  controlNumber: string;
  /** BPR16, else the ingest date (YYYY-MM-DD) */
  paymentDate: string;
  providerAdjustments: PlbLine[];
  /** journey id of each claim a recoupment references (claims of our books) */
  journeyOfClaim: Record<string, string>;
  /** set when BPR02 ≠ ΣCLP04 − ΣPLB: nothing of the transaction is posted */
  quarantine?: { message: string; differenceCents: number; claimIds: string[] };
}

export interface CashPostingResult {
  posted: { memo: string; direction: 'inbound' | 'outbound'; amountCents: number; kind: PlbLine['kind'] }[];
  tickets: number;
}

export const CASH_POSTING_QUEUE = 'cash_posting_team';

export function cashPostingWorkflowId(traceNumber: string, controlNumber: string): string {
  return `cash-posting/${traceNumber}/${controlNumber}`.slice(0, 200);
}

export async function cashPosting(input: CashPostingInput): Promise<CashPostingResult> {
  const ticketRef = `remit/${input.traceNumber}/${input.controlNumber}`;
  if (input.quarantine) {
    // Unbalanced: the file does not say what was paid, so nothing posts; people compare it with the bank deposit.
    await odoo.openTicket({
      journeyId: ticketRef,
      queue: CASH_POSTING_QUEUE,
      title: `Unbalanced 835 ${input.traceNumber} quarantined`,
      description: `${input.quarantine.message}. Claims held: ${input.quarantine.claimIds.join(', ') || 'none'}.`,
      priority: 'high',
    });
    return { posted: [], tickets: 1 };
  }
  const posted: CashPostingResult['posted'] = [];
  let tickets = 0;
  for (const line of input.providerAdjustments) {
    const memo = plbMemo(input, line);
    if (line.kind !== 'review' && line.paymentEffectCents !== 0) {
      // PLB04 positive takes money back (outbound); negative (e.g. interest) pays more (inbound).
      const direction = line.paymentEffectCents > 0 ? 'inbound' : 'outbound';
      const amountCents = Math.abs(line.paymentEffectCents);
      await odoo.postProviderAdjustment({ memo, direction, amountCents, date: input.paymentDate });
      posted.push({ memo, direction, amountCents, kind: line.kind });
    }
    if (line.kind === 'recoupment' || line.kind === 'review') {
      // A recoupment is taken from this deposit against a claim: cash posting applies it to that claim's receivable
      // (the payer's money for the claim is now less than what was registered). Unknown codes are reviewed.
      tickets++;
      await odoo.openTicket({
        journeyId: (line.claimId && input.journeyOfClaim[line.claimId]) || ticketRef,
        queue: CASH_POSTING_QUEUE,
        title: line.kind === 'recoupment' ? `PLB ${line.reason} recoupment on claim ${line.claimId}` : `PLB ${line.reason} to review (${input.traceNumber})`,
        description: `${line.note}: ${line.paymentEffectCents} cents (${memo})`,
        priority: line.kind === 'recoupment' ? 'high' : 'normal',
      });
    }
  }
  return { posted, tickets };
}

/** `PLB|<TRN02>|<ST02>|<index>|<reason>`: unique per line of a transaction, within the memo alphabet Odoo ids use. */
function plbMemo(input: CashPostingInput, line: PlbLine): string {
  const [, , index, reason] = line.ref.split('|');
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._:/-]/g, '-');
  return `PLB|${safe(input.traceNumber)}|${safe(input.controlNumber)}|${index}|${safe(reason ?? line.reason)}`.slice(0, 124);
}
