import { odoo } from '../proxies';
import { clearApproval, withIssuer } from './billingApproval';
import type { By } from '../runtime/timeline';
import type { StageContext } from './context';

export interface WriteOffRequest {
  amountCents: number;
  why: string;
  /** the credit note's business key in Odoo */
  key: string;
  /** contractual adjustment above the auto limit, or a write-off of what cannot be collected */
  kind: 'contractual' | 'write_off';
}

/**
 * Ask for a write-off (or an above-limit contractual adjustment) to be approved, by a role whose limit covers the
 * amount and who is not the requester; credit it in Odoo only once approved, and count it only then.
 * Returns whether it was approved, and by whom.
 */
export async function approveWriteOff({ rt, d, journeyId }: StageContext, request: WriteOffRequest): Promise<{ approved: boolean; by: By }> {
  const { amountCents, why, key } = request;
  const requesterId = 'system';
  if (d.facts.pendingApproval?.kind !== 'write_off') {
    d.facts.pendingApproval = { kind: 'write_off', amountCents, requesterId };
    d.facts.decision = undefined;
  }
  await odoo.mirrorApproval({ journeyId, kind: 'write_off', amountCents, requesterId, status: 'pending', reason: why });
  await rt.openException('write_off_approval', `write-off of ${amountCents} cents: ${why}`);
  await rt.waitFor('write-off approval', () => d.facts.decision !== undefined, rt.stageLadder('patient_balance'));
  const decision = d.facts.decision!;
  await rt.closeException('write_off_approval');
  const approved = decision.type === 'writeOffApprove';
  await odoo.mirrorApproval({ journeyId, kind: 'write_off', amountCents, requesterId, status: approved ? 'approved' : 'refused', approverId: decision.actorId, reason: withIssuer(decision) });
  if (approved) {
    await odoo.createCreditNote({ invoiceId: d.ledger.invoiceId!, amountCents, reason: decision.reason ?? why, key });
    rt.commitCredit({ key, amountCents, kind: request.kind });
  }
  clearApproval(d);
  return { approved, by: { actor: decision.actorId, role: decision.role, reason: decision.reason, ...(decision.issuer ? { issuer: decision.issuer } : {}) } };
}

/** A write-off decision closes the journey: written off when approved, closed with its balance when refused. */
export async function writeOff(ctx: StageContext, amountCents: number, why: string): Promise<void> {
  const key = `${ctx.d.claimIds[ctx.d.claimIds.length - 1]}/write-off`;
  const { approved, by } = await approveWriteOff(ctx, { amountCents, why, key, kind: 'write_off' });
  await ctx.rt.transition(approved ? 'written_off' : 'closed_with_balance', by);
}
