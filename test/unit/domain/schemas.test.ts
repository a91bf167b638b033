import {
  ApprovalDecisionSchema,
  CancelRequestSchema,
  ClaimSchema,
  ClaimStatusSchema,
  claimStatusKind,
  CodingResultSchema,
  DomainValidationError,
  EligibilityResultSchema,
  missingDocuments,
  needsHumanCodingReview,
  parseOrThrow,
  PatientDisputeSchema,
  PatientPaymentSchema,
  PriorAuthDecisionSchema,
  priorAuthOutcome,
  ReferralSchema,
  RemittanceMessageSchema,
  ServiceCompletedSchema,
} from '../../../src/domain';

const referral = () => ({
  siteId: 'site-nyc.01',
  referralId: 'R_2026-000123',
  patientRef: 'pt-8f3a9c',
  payerId: 'payer-ma-01',
  planType: 'medicare_advantage',
  urgency: 'standard',
  receivedAt: '2026-03-02T10:00:00-05:00',
  orderedServices: [{ cpt: '72148', icd10: ['M54.50'], units: 1, chargeCents: 125000 }],
  documents: [{ documentId: 'doc-1', kind: 'referral_order', received: true }],
  requiredDocuments: ['referral_order', 'clinical_notes'],
});

function errorOf(fn: () => unknown): DomainValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainValidationError) return e;
    throw e;
  }
  throw new Error('expected a DomainValidationError');
}

describe('Referral schema', () => {
  it('accepts a well-formed referral and computes missing documents', () => {
    const r = parseOrThrow(ReferralSchema, referral(), 'referral');
    expect(r.planType).toBe('medicare_advantage');
    expect(missingDocuments(r)).toEqual(['clinical_notes']);
  });
  it('reports field paths', () => {
    const bad = referral();
    bad.orderedServices[0].cpt = '7214';
    const err = errorOf(() => parseOrThrow(ReferralSchema, bad, 'referral'));
    expect(err.name).toBe('DomainValidationError');
    expect(err.issues).toEqual([{ path: 'orderedServices.0.cpt', message: 'Invalid' }]);
    expect(err.message).toBe('referral is invalid: orderedServices.0.cpt: Invalid');
  });
  it('rejects PHI-shaped input: unknown keys (name, dob) and date-like patient refs', () => {
    expect(errorOf(() => parseOrThrow(ReferralSchema, { ...referral(), patientName: 'Jane Doe' }, 'referral')).issues[0].message).toMatch(/Unrecognized key/);
    expect(errorOf(() => parseOrThrow(ReferralSchema, { ...referral(), patientRef: 'Jane Doe' }, 'referral')).issues[0].path).toBe('patientRef');
    expect(errorOf(() => parseOrThrow(ReferralSchema, { ...referral(), patientRef: 'doe-1980-04-12' }, 'referral')).issues[0].path).toBe('patientRef');
  });
  it('rejects bad ids, plan types, timestamps and money', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ siteId: 'site/1' }, 'siteId'],
      [{ referralId: 'x'.repeat(65) }, 'referralId'],
      [{ planType: 'hmo' }, 'planType'],
      [{ receivedAt: '2026-03-02 10:00' }, 'receivedAt'],
      [{ orderedServices: [{ cpt: '72148', icd10: ['M54.50'], units: 1, chargeCents: 12.5 }] }, 'orderedServices.0.chargeCents'],
      [{ orderedServices: [{ cpt: 'J1100', icd10: [], units: 1, chargeCents: 1 }] }, 'orderedServices.0.icd10'],
      [{ documents: [{ documentId: 'd', kind: 'x', received: true }, { documentId: 'd', kind: 'y', received: false }] }, 'documents.1.documentId'],
    ];
    for (const [patch, path] of cases) {
      expect(errorOf(() => parseOrThrow(ReferralSchema, { ...referral(), ...patch }, 'referral')).issues.map((i) => i.path)).toContain(path);
    }
  });
});

describe('payer and care messages', () => {
  it('eligibility: coinsurance in basis points 0..10000, strict', () => {
    const ok = { messageId: 'm1', status: 'active', planType: 'commercial', authRequired: true, copayCents: 2500, deductibleRemainingCents: 0, coinsuranceBasisPoints: 2000, checkedAt: '2026-03-02T15:00:00Z' };
    expect(parseOrThrow(EligibilityResultSchema, ok, 'eligibility').coinsuranceBasisPoints).toBe(2000);
    expect(() => parseOrThrow(EligibilityResultSchema, { ...ok, coinsuranceBasisPoints: 10001 }, 'eligibility')).toThrow(/coinsuranceBasisPoints/);
    expect(() => parseOrThrow(EligibilityResultSchema, { ...ok, memberId: 'X' }, 'eligibility')).toThrow(DomainValidationError);
  });
  it('prior auth: action codes map to outcomes and A1 needs an auth number', () => {
    const base = { messageId: 'pa-1', authRequestId: 'par-1', reasons: [], requestedDocuments: [], decidedAt: '2026-03-05T12:00:00Z' };
    expect(() => parseOrThrow(PriorAuthDecisionSchema, { ...base, action: 'A1' }, 'pa')).toThrow('authNumber: required for action A1');
    expect(parseOrThrow(PriorAuthDecisionSchema, { ...base, action: 'A1', authNumber: 'AUTH123' }, 'pa').action).toBe('A1');
    expect(parseOrThrow(PriorAuthDecisionSchema, { ...base, action: 'A4', requestedDocuments: ['clinical_notes'] }, 'pa').requestedDocuments).toEqual(['clinical_notes']);
    expect(() => parseOrThrow(PriorAuthDecisionSchema, { ...base, action: 'A5' }, 'pa')).toThrow(/action/);
    expect(['A1', 'A2', 'A3', 'A4', 'A6', 'CT', 'NA'].map((a) => priorAuthOutcome(a as never))).toEqual(['approved', 'approved', 'denied', 'pended', 'approved', 'contact_payer', 'not_required']);
  });
  it('service completed carries a notes reference, never notes', () => {
    const ok = { messageId: 's1', encounterId: 'enc-1', serviceDate: '2026-03-20', services: [{ code: '99213', modifiers: ['25'], icd10: ['M5450'], units: 1, chargeCents: 15000 }], notesRef: 'doc-77' };
    expect(parseOrThrow(ServiceCompletedSchema, ok, 'service').services[0].modifiers).toEqual(['25']);
    expect(() => parseOrThrow(ServiceCompletedSchema, { ...ok, notes: 'pt reports pain' }, 'service')).toThrow(/Unrecognized key/);
    expect(() => parseOrThrow(ServiceCompletedSchema, { ...ok, serviceDate: '2026-02-30' }, 'service')).toThrow(/serviceDate/);
  });
  it('coding result: confidence 0..1 and review threshold', () => {
    const r = parseOrThrow(CodingResultSchema, { label: 'E/M established', confidence: 0.84, modelId: 'baseline', modelVersion: '1', issues: [] }, 'coding');
    expect(needsHumanCodingReview(r, 0.85)).toBe(true);
    expect(needsHumanCodingReview(r, 0.8)).toBe(false);
    expect(() => parseOrThrow(CodingResultSchema, { ...r, confidence: 1.2 }, 'coding')).toThrow(/confidence/);
  });
  it('claim total must equal the sum of lines; replacement needs the original ICN', () => {
    const line = { code: '99213', modifiers: [], icd10: ['M54.50'], units: 1, chargeCents: 15000 };
    const claim = { claimId: 'CLM-1', payerId: 'payer-ma-01', serviceDate: '2026-03-20', lines: [line, line], totalChargeCents: 30000 };
    expect(parseOrThrow(ClaimSchema, claim, 'claim').totalChargeCents).toBe(30000);
    expect(() => parseOrThrow(ClaimSchema, { ...claim, totalChargeCents: 29999 }, 'claim')).toThrow(/totalChargeCents/);
    expect(() => parseOrThrow(ClaimSchema, { ...claim, frequencyCode: '7' }, 'claim')).toThrow(/originalPayerClaimControlNumber/);
  });
  it('claim status category codes per 277', () => {
    const ok = { messageId: 'cs1', claimId: 'CLM-1', category: 'A2', status: 'accepted', at: '2026-03-22T00:00:00Z' };
    expect(parseOrThrow(ClaimStatusSchema, ok, 'status').category).toBe('A2');
    expect(() => parseOrThrow(ClaimStatusSchema, { ...ok, category: 'Z9' }, 'status')).toThrow(/category/);
    expect(['A1', 'A3', 'P1', 'F2', 'R4', 'E0'].map(claimStatusKind)).toEqual(['acknowledged', 'rejected', 'pending', 'finalized', 'info_requested', 'error']);
  });
  it('remittance message: posting-plan input shape with negative amounts allowed (reversal)', () => {
    const msg = {
      messageId: 'rm-1', traceNumber: 'EFT123', patientControlNumber: 'CLM-1', status: '22', chargeCents: -30000, paidCents: -24000,
      patientResponsibilityCents: -2000, payerClaimControlNumber: 'ICN9', adjustments: [{ group: 'CO', reason: '45', amountCents: -4000 }],
      services: [], remarkCodes: [],
    };
    expect(parseOrThrow(RemittanceMessageSchema, msg, 'remit').paidCents).toBe(-24000);
    expect(() => parseOrThrow(RemittanceMessageSchema, { ...msg, status: '5' }, 'remit')).toThrow(/status/);
    expect(() => parseOrThrow(RemittanceMessageSchema, { ...msg, adjustments: [{ group: 'XX', reason: '45', amountCents: 1 }] }, 'remit')).toThrow(/adjustments.0.group/);
  });
});

describe('patient and control messages', () => {
  it('patient payment must be > 0 cents', () => {
    const ok = { messageId: 'pp1', amountCents: 5000, method: 'card', at: '2026-04-01T12:00:00Z' };
    expect(parseOrThrow(PatientPaymentSchema, ok, 'payment').amountCents).toBe(5000);
    expect(() => parseOrThrow(PatientPaymentSchema, { ...ok, amountCents: 0 }, 'payment')).toThrow(/amountCents/);
  });
  it('dispute resolvedAt not before openedAt', () => {
    const ok = { messageId: 'd1', kind: 'nsa_dispute', openedAt: '2026-04-01T12:00:00Z' };
    expect(parseOrThrow(PatientDisputeSchema, ok, 'dispute').kind).toBe('nsa_dispute');
    expect(() => parseOrThrow(PatientDisputeSchema, { ...ok, resolvedAt: '2026-03-01T12:00:00Z' }, 'dispute')).toThrow(/resolvedAt/);
  });
  it('approvals and cancel requests', () => {
    expect(parseOrThrow(ApprovalDecisionSchema, { actorId: 'u-2', role: 'billing_supervisor', decision: 'approve', kind: 'write_off', amountCents: 5000, reason: 'timely filing lost' }, 'approval').kind).toBe('write_off');
    expect(() => parseOrThrow(ApprovalDecisionSchema, { actorId: 'u-2', role: 'janitor', decision: 'approve', kind: 'write_off' }, 'approval')).toThrow(/role/);
    expect(() => parseOrThrow(CancelRequestSchema, { actorId: 'u-1', role: 'billing_supervisor', reason: '  ' }, 'cancel')).toThrow('reason: reason is required');
  });
});
