import { CancellationScope } from '@temporalio/workflow';
import { claimIdFor } from '../../domain';
import type { RecordedDecision } from '../approvals';
import { odoo } from '../proxies';
import { BillingRejected, type StageContext } from './context';

/**
 * Stage 7: the claim is drafted in Odoo (one draft per claim id, reused on a rerun) and waits for a release
 * decision by someone other than its preparer. Approve → claim submission; request changes → the draft is voided
 * and a human coder reviews the claim again; reject → the journey is cancelled.
 */
export async function billingApproval({ rt, d, journeyId }: StageContext): Promise<void> {
  const r = rt.referral;
  const services = d.facts.services ?? [];
  if (!d.facts.draftClaimId) {
    d.claimAttempt++;
    d.facts.draftClaimId = claimIdFor(r.siteId, r.referralId, d.claimAttempt);
    d.claimIds = [...d.claimIds, d.facts.draftClaimId];
  }
  const claimId = d.facts.draftClaimId;
  // Not interrupted by a cancel: the compensation must know the draft it has to void.
  const invoice = await CancellationScope.nonCancellable(() =>
    odoo.createDraftInvoice({
      claimId,
      partnerId: d.partnerId!,
      journeyId,
      lines: services.map((s) => ({ code: s.code, description: `${s.code}${s.modifiers.length ? `-${s.modifiers.join('-')}` : ''}`, quantity: s.units, priceCents: Math.round(s.chargeCents / s.units) })),
    }),
  );
  rt.commitInvoice(invoice);
  rt.record('draft invoice created', { detail: `claim ${claimId}, total ${invoice.amountTotalCents}` });

  const requesterId = d.facts.preparerId ?? r.preparerId ?? 'system';
  if (d.facts.pendingApproval?.kind !== 'billing_release') {
    d.facts.pendingApproval = { kind: 'billing_release', amountCents: invoice.amountTotalCents, requesterId };
    d.facts.decision = undefined;
  }
  const mirror = (status: 'pending' | 'approved' | 'refused', decision?: RecordedDecision) =>
    odoo.mirrorApproval({ journeyId, kind: 'billing_release', amountCents: invoice.amountTotalCents, requesterId, status, ...(decision ? { approverId: decision.actorId, reason: withIssuer(decision) } : {}) });
  await mirror('pending');
  await rt.waitFor('billing release approval', () => d.facts.decision !== undefined, rt.stageLadder('billing_approval'));
  const decision = d.facts.decision!;
  await mirror(decision.type === 'approve' ? 'approved' : 'refused', decision);
  const by = { actor: decision.actorId, role: decision.role, reason: decision.reason, ...(decision.issuer ? { issuer: decision.issuer } : {}) };
  if (decision.type === 'approve') {
    clearApproval(d);
    await rt.transition('billing_approved', by);
    return;
  }
  await odoo.voidDraftInvoice({ invoiceId: invoice.invoiceId });
  rt.commitInvoice(undefined);
  d.facts.draftClaimId = undefined;
  clearApproval(d);
  if (decision.type === 'requestChanges') {
    d.facts.codingReviewRequested = { actorId: decision.actorId, ...(decision.reason ? { reason: decision.reason } : {}) };
    await rt.transition('billing_changes_requested', by);
    return;
  }
  d.facts.cancelRequest = { actorId: decision.actorId, role: decision.role, reason: decision.reason ?? 'billing release rejected' };
  throw new BillingRejected();
}

/** The decision is consumed: the next approval starts clean. */
export function clearApproval(d: StageContext['d']): void {
  d.facts.pendingApproval = undefined;
  d.facts.decision = undefined;
}

/** The approver's reason as mirrored to Odoo, with the identity provider that verified the approver. */
export function withIssuer(decision: RecordedDecision): string | undefined {
  if (!decision.issuer) return decision.reason;
  return `${decision.reason ?? ''} [verified by ${decision.issuer}]`.trim();
}
