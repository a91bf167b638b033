import { DEFAULT_ROLE_MAP, loadDecisionsConfig, rolesForSite } from '../../src/config/decisions';
import { allowedDecisions, roleFor } from '../../src/client/decisions/policy';
import { safeReturnTo } from '../../src/client/decisions/session';
import { myApprovalsQueue, queueQuery } from '../../src/client/decisions/inbox';
import { DEFAULT_APPROVAL_POLICY } from '../../src/domain/approvals/policy';
import { PatientRefSchema } from '../../src/domain/schemas/common';

describe('decisions: roles from the token, per site', () => {
  const map = { ...DEFAULT_ROLE_MAP, 'site-b': { approvers: 'billing_supervisor' as const } };

  test('a site without its own map uses *; a site with one uses only it', () => {
    expect(rolesForSite(map, 'site-a', ['billing-specialist', 'coder', 'unknown'])).toEqual(['coder', 'billing_specialist']);
    expect(rolesForSite(map, 'site-b', ['billing-specialist', 'approvers'])).toEqual(['billing_supervisor']);
    expect(rolesForSite(map, 'site-a', ['__proto__', 'constructor'])).toEqual([]);
  });

  test('the most senior allowed role decides; none allowed means no role', () => {
    expect(roleFor('approve', ['coder', 'billing_specialist', 'billing_supervisor'])).toBe('billing_supervisor');
    expect(roleFor('approve', ['coder'])).toBeUndefined();
    expect(roleFor('completeCodingReview', ['coder', 'cfo'])).toBe('coder');
    expect(allowedDecisions([])).toEqual([]);
  });

  test('config: issuer required, role map validated', () => {
    expect(() => loadDecisionsConfig({})).toThrow(/RCM_OIDC_ISSUER: Required/);
    expect(() => loadDecisionsConfig({ RCM_OIDC_ISSUER: 'http://i', RCM_OIDC_ROLE_MAP: '{"*":{"x":"god"}}' })).toThrow(/RCM_OIDC_ROLE_MAP/);
    const c = loadDecisionsConfig({ RCM_OIDC_ISSUER: 'http://issuer.example/realms/rcm/', RCM_DECISIONS_PORT: '9000' });
    expect(c).toMatchObject({ issuer: 'http://issuer.example/realms/rcm', publicUrl: 'http://127.0.0.1:9000', actorClaim: 'sub', roleClaim: 'rcm_roles' });
  });

  test('"approvals I may decide" is bounded by the highest billing_release limit of my roles', () => {
    expect(myApprovalsQueue(['coder'], DEFAULT_APPROVAL_POLICY)).toBeUndefined();
    const specialist = myApprovalsQueue(['billing_specialist', 'billing_supervisor'], DEFAULT_APPROVAL_POLICY)!;
    expect(queueQuery(specialist, 'site-a')).toBe(
      "WorkflowType = 'referralJourney' AND ExecutionStatus = 'Running' AND Stage = 'billing_approval' AND BalanceCents <= 2500000 AND SiteId = 'site-a'",
    );
    expect(myApprovalsQueue(['cfo'], DEFAULT_APPROVAL_POLICY)!.clause).toBe("Stage = 'billing_approval'");
    expect(() => queueQuery(specialist, "a' OR 1=1")).toThrow(/must be 1-64 characters/);
  });

  test('login return paths stay on this site', () => {
    expect(safeReturnTo('/journeys/a/b?x=1')).toBe('/journeys/a/b?x=1');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', undefined, 42]) expect(safeReturnTo(bad)).toBe('/inbox');
  });
});

describe('patientRef date-of-birth guard', () => {
  test.each(['CM-CP10061397-P0', 'MA-P1001', 'MRN-99999999', 'pt-8f3a9c', 'X-20011345', 'pt.20010229'])('opaque id %s is accepted', (v) => {
    expect(PatientRefSchema.safeParse(v).success).toBe(true);
  });
  test.each(['19800307', 'doe-1980-04-12', '03/07/1980', 'P-12311999', 'pt.20000229', '7.3.80'])('date-like %s is refused', (v) => {
    expect(PatientRefSchema.safeParse(v).success).toBe(false);
  });
});
