import { ApplicationFailure } from '@temporalio/workflow';
import { approvalPolicyFor, authorize, DEFAULT_APPROVAL_POLICY, type ApprovalPolicyOverride, type DecisionInput } from '../domain';
import type { PendingApproval } from './approvals';

/**
 * Runs in update validators: refuses a decision that the approval policy does not allow (requester ≠ approver,
 * role and amount limit, reason where required). A refusal is returned to the caller as a typed failure and
 * nothing is written to the journey's history.
 */
export function checkApproval(
  pending: PendingApproval,
  input: DecisionInput,
  override: ApprovalPolicyOverride | undefined,
  decision: 'approve' | 'reject' | 'requestChanges',
): void {
  if (input.amountCents !== undefined && input.amountCents !== pending.amountCents) {
    throw ApplicationFailure.create({ type: 'StaleDecision', message: `the pending ${pending.kind} is for ${pending.amountCents} cents, not ${input.amountCents}`, nonRetryable: true });
  }
  const result = authorize(
    {
      kind: pending.kind,
      amountCents: pending.amountCents,
      requesterId: pending.requesterId,
      actorId: input.actorId,
      role: input.role,
      reason: input.reason,
      decision: decision === 'requestChanges' ? 'request_changes' : decision,
    },
    approvalPolicyFor(DEFAULT_APPROVAL_POLICY, override),
  );
  if (!result.allowed) {
    throw ApplicationFailure.create({
      type: `ApprovalRefused.${result.code}`,
      message: result.message,
      nonRetryable: true,
      details: result.requiredRole ? [{ requiredRole: result.requiredRole }] : [],
    });
  }
}
