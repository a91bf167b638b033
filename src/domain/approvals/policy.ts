import { assertCents, formatUsd, MoneyError, type Cents } from '../money';
import { ROLES, type Role } from '../schemas/common';
import { APPROVAL_KINDS, type ApprovalKind } from '../schemas/control';

/**
 * Approval policy (DOMAIN.md "Approvals and governance"): write-offs, rebills/overrides, refunds and billing
 * releases need a human approval above configurable limits; the approver must differ from the preparer
 * (segregation of duties) and hold a role whose limit covers the amount; every decision carries a reason where
 * required. All numbers are site policy defaults, configurable per site.
 */
export type RoleLimit = Cents | 'unlimited';

export interface ApprovalPolicy {
  /** per role, per kind: the highest amount the role may approve; absent = the role may not approve that kind */
  limits: Readonly<Partial<Record<Role, Readonly<Partial<Record<ApprovalKind, RoleLimit>>>>>>;
  /** kinds whose decisions must carry a non-empty reason */
  reasonRequiredFor: readonly ApprovalKind[];
  /** amounts up to this need no human approval at all (absent = always needs approval) */
  noApprovalUpToCents: Readonly<Partial<Record<ApprovalKind, Cents>>>;
}

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  limits: {
    billing_specialist: { billing_release: 500_000, write_off: 10_000, refund: 5_000 },
    billing_supervisor: { billing_release: 2_500_000, write_off: 100_000, refund: 50_000, override: 100_000 },
    revenue_cycle_manager: { billing_release: 10_000_000, write_off: 1_000_000, refund: 500_000, override: 1_000_000 },
    cfo: { billing_release: 'unlimited', write_off: 'unlimited', refund: 'unlimited', override: 'unlimited' },
    coder: { coding_review: 'unlimited' },
    coding_supervisor: { coding_review: 'unlimited' },
  },
  // DOMAIN.md: reason required for write-offs, refunds and overrides.
  reasonRequiredFor: ['write_off', 'refund', 'override'],
  // Small-balance write-offs up to $25 are automatic (site policy default).
  noApprovalUpToCents: { write_off: 2_500 },
};

export interface ApprovalPolicyOverride {
  limits?: ApprovalPolicy['limits'];
  reasonRequiredFor?: readonly ApprovalKind[];
  noApprovalUpToCents?: ApprovalPolicy['noApprovalUpToCents'];
}

/** Site policy: the base with per-role limits replaced kind by kind. */
export function approvalPolicyFor(base: ApprovalPolicy, override?: ApprovalPolicyOverride): ApprovalPolicy {
  if (!override) return base;
  const limits: Partial<Record<Role, Partial<Record<ApprovalKind, RoleLimit>>>> = {};
  for (const role of ROLES) {
    const merged = { ...(base.limits[role] ?? {}), ...(override.limits?.[role] ?? {}) };
    if (Object.keys(merged).length > 0) limits[role] = merged;
  }
  return {
    limits,
    reasonRequiredFor: override.reasonRequiredFor ?? base.reasonRequiredFor,
    noApprovalUpToCents: { ...base.noApprovalUpToCents, ...(override.noApprovalUpToCents ?? {}) },
  };
}

export interface AuthorizationRequest {
  kind: ApprovalKind;
  amountCents: Cents;
  /** who prepared/requested the action */
  requesterId: string;
  /** who decides */
  actorId: string;
  role: Role;
  reason?: string;
  /** approve (default) needs the amount within the role's limit; reject/request_changes only need the role */
  decision?: 'approve' | 'reject' | 'request_changes';
}

export type AuthorizationDenial = 'same_as_requester' | 'role_not_permitted' | 'over_limit' | 'reason_required';

export type AuthorizationResult =
  | { allowed: true }
  | { allowed: false; code: AuthorizationDenial; message: string; requiredRole?: Role };

function covers(limit: RoleLimit | undefined, amount: Cents): boolean {
  return limit !== undefined && (limit === 'unlimited' || amount <= limit);
}

/** The role with the smallest limit that covers `amountCents` for `kind` (ROLES order breaks ties). */
export function requiredRoleFor(kind: ApprovalKind, amountCents: Cents, policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY): Role | undefined {
  let best: { role: Role; limit: number } | undefined;
  for (const role of ROLES) {
    const limit = policy.limits[role]?.[kind];
    if (!covers(limit, amountCents)) continue;
    const n = limit === 'unlimited' ? Number.POSITIVE_INFINITY : (limit as number);
    if (!best || n < best.limit) best = { role, limit: n };
  }
  return best?.role;
}

/** Whether an action of this kind and amount needs a human approval at all. */
export function requiresApproval(kind: ApprovalKind, amountCents: Cents, policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY): boolean {
  const free = policy.noApprovalUpToCents[kind];
  return free === undefined || Math.abs(assertCents(amountCents)) > free;
}

/**
 * May `actorId` in `role` decide this request? Checks, in order: segregation of duties (actor ≠ requester), reason
 * present when the kind requires one, the role may approve the kind, the amount is within the role's limit.
 */
export function authorize(request: AuthorizationRequest, policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY): AuthorizationResult {
  const amount = assertCents(request.amountCents, 'amountCents');
  if (amount < 0) throw new MoneyError('amountCents must not be negative');
  if (request.actorId === request.requesterId) {
    return { allowed: false, code: 'same_as_requester', message: `${request.actorId} prepared this ${request.kind}; another person must decide it` };
  }
  if (policy.reasonRequiredFor.includes(request.kind) && !(request.reason ?? '').trim()) {
    return { allowed: false, code: 'reason_required', message: `a reason is required for ${request.kind}` };
  }
  const limit = policy.limits[request.role]?.[request.kind];
  const needed = requiredRoleFor(request.kind, amount, policy);
  if (limit === undefined) {
    return {
      allowed: false,
      code: 'role_not_permitted',
      message: `role ${request.role} may not decide ${request.kind}`,
      ...(needed ? { requiredRole: needed } : {}),
    };
  }
  if ((request.decision ?? 'approve') === 'approve' && !covers(limit, amount)) {
    return {
      allowed: false,
      code: 'over_limit',
      message: `${formatUsd(amount)} exceeds the ${request.role} limit of ${formatUsd(limit as number)} for ${request.kind}`,
      ...(needed ? { requiredRole: needed } : {}),
    };
  }
  return { allowed: true };
}

export function isApprovalKind(value: string): value is ApprovalKind {
  return (APPROVAL_KINDS as readonly string[]).includes(value);
}
