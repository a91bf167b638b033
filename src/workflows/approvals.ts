import type { ApprovalKind, DecisionInput } from '../domain';

/** A decision a stage is waiting for, set by the stage and answered by an update handler. */
export interface PendingApproval {
  kind: ApprovalKind;
  amountCents: number;
  requesterId: string;
}

export interface RecordedDecision extends DecisionInput {
  /** the identity provider that verified the actor (set by the decisions API) */
  issuer?: string;
  type: 'approve' | 'reject' | 'requestChanges' | 'writeOffApprove' | 'writeOffReject';
  at: string;
}
