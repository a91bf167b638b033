import { approvalPolicyFor, authorize, DEFAULT_APPROVAL_POLICY, MoneyError, requiredRoleFor, requiresApproval, type AuthorizationRequest } from '../../../src/domain';

const req = (over: Partial<AuthorizationRequest>): AuthorizationRequest => ({
  kind: 'write_off',
  amountCents: 50_000,
  requesterId: 'u-preparer',
  actorId: 'u-approver',
  role: 'billing_supervisor',
  reason: 'timely filing appeal lost',
  ...over,
});

describe('approval policy', () => {
  it('allows a permitted role within its limit', () => {
    expect(authorize(req({}))).toEqual({ allowed: true });
    expect(authorize(req({ kind: 'billing_release', amountCents: 500_000, role: 'billing_specialist', reason: undefined }))).toEqual({ allowed: true });
    expect(authorize(req({ kind: 'write_off', amountCents: 100_000_000, role: 'cfo' }))).toEqual({ allowed: true });
    expect(authorize(req({ kind: 'coding_review', amountCents: 0, role: 'coder', requesterId: 'ai-baseline' }))).toEqual({ allowed: true });
  });
  it('segregation of duties: the requester cannot approve, whatever the role', () => {
    const r = authorize(req({ actorId: 'u-preparer', role: 'cfo' }));
    expect(r).toMatchObject({ allowed: false, code: 'same_as_requester' });
  });
  it('reason required for write-offs, refunds and overrides, not for billing release', () => {
    for (const kind of ['write_off', 'refund', 'override'] as const) {
      expect(authorize(req({ kind, amountCents: 1_000, reason: '  ' }))).toMatchObject({ allowed: false, code: 'reason_required' });
    }
    expect(authorize(req({ kind: 'billing_release', amountCents: 1_000, reason: '' }))).toEqual({ allowed: true });
  });
  it('role not permitted for the kind names the role that would be', () => {
    expect(authorize(req({ kind: 'override', amountCents: 5_000, role: 'billing_specialist' }))).toMatchObject({
      allowed: false, code: 'role_not_permitted', requiredRole: 'billing_supervisor',
    });
    expect(authorize(req({ kind: 'billing_release', amountCents: 5_000, role: 'coder' }))).toMatchObject({ code: 'role_not_permitted', requiredRole: 'billing_specialist' });
  });
  it('over the limit → over_limit with the smallest sufficient role', () => {
    const r = authorize(req({ amountCents: 100_001, role: 'billing_supervisor' }));
    expect(r).toMatchObject({ allowed: false, code: 'over_limit', requiredRole: 'revenue_cycle_manager' });
    if (!r.allowed) expect(r.message).toBe('$1,000.01 exceeds the billing_supervisor limit of $1,000.00 for write_off');
    expect(authorize(req({ amountCents: 1_000_001, role: 'revenue_cycle_manager' }))).toMatchObject({ code: 'over_limit', requiredRole: 'cfo' });
    // exactly at the limit is allowed
    expect(authorize(req({ amountCents: 100_000 }))).toEqual({ allowed: true });
  });
  it('rejecting or requesting changes needs the role, not the amount', () => {
    expect(authorize(req({ amountCents: 5_000_000, decision: 'reject' }))).toEqual({ allowed: true });
    expect(authorize(req({ amountCents: 5_000_000, decision: 'reject', role: 'coder' }))).toMatchObject({ code: 'role_not_permitted' });
  });
  it('site overrides replace limits kind by kind', () => {
    const site = approvalPolicyFor(DEFAULT_APPROVAL_POLICY, { limits: { billing_supervisor: { write_off: 250_000 } }, noApprovalUpToCents: { write_off: 0 } });
    expect(authorize(req({ amountCents: 200_000 }), site)).toEqual({ allowed: true });
    expect(authorize(req({ amountCents: 200_000 }))).toMatchObject({ code: 'over_limit' });
    expect(site.limits.billing_supervisor?.refund).toBe(50_000);
    expect(requiresApproval('write_off', 100, site)).toBe(true);
  });
  it('small-balance write-offs need no approval; billing release always does', () => {
    expect(requiresApproval('write_off', 2_500)).toBe(false);
    expect(requiresApproval('write_off', 2_501)).toBe(true);
    expect(requiresApproval('billing_release', 1)).toBe(true);
    expect(requiredRoleFor('refund', 60_000)).toBe('revenue_cycle_manager');
    expect(requiredRoleFor('coding_review', 0)).toBe('coder');
  });
  it('rejects non-integer or negative amounts', () => {
    expect(() => authorize(req({ amountCents: 10.5 }))).toThrow(MoneyError);
    expect(() => authorize(req({ amountCents: -1 }))).toThrow(MoneyError);
  });
});
