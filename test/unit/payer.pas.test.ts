import { buildEligibilityRequest, buildPriorAuthBundle, readPriorAuthBundle, SYSTEM } from '../../src/activities/payer/fhir';
import { serviceTypeFor } from '../../src/activities/payer/pasRequest';
import { readPasBundle, storedClaim, stableUuidUrn } from '../../sim/payer/fhirResponses';

/** PAS request Bundle shape (Da Vinci PAS STU 2) and what the payer emulator accepts or refuses of it. */

const UUID_V4_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const input = { journeyId: 'j-1', authRequestId: 'AR-1', payerId: 'SIMPAYER', memberRef: 'MBR-7', urgency: 'expedited' as const, services: [{ code: '72148', units: 1 }, { code: '27447', units: 1 }, { code: '99214', units: 2 }], diagnoses: ['M5450'] };

describe('PAS request Bundle', () => {
  const bundle = buildPriorAuthBundle(input, '2026-03-02T10:00:00Z', '1234567893', { providerName: 'Demo Clinic', payerName: 'Simulated Health Plan' });
  const entries = bundle.entry ?? [];

  test('Claim first, then Patient, Coverage, insurer and requestor, each with a distinct random UUID v4 fullUrl', () => {
    expect(entries.map((e) => e.resource?.resourceType)).toEqual(['Claim', 'Patient', 'Coverage', 'Organization', 'Organization']);
    for (const e of entries) expect(e.fullUrl).toMatch(UUID_V4_URN);
    expect(new Set(entries.map((e) => e.fullUrl)).size).toBe(entries.length);
    const again = buildPriorAuthBundle(input, '2026-03-02T10:00:00Z', '1234567893');
    expect(again.entry![0].fullUrl).not.toBe(entries[0].fullUrl);
  });

  test('items: X12 service type category, certification type I, request type HS; the Patient carries no demographics', () => {
    const claim = entries[0].resource as unknown as { item: { category: { coding: { code: string }[] }; extension: { url: string; valueCodeableConcept: { coding: { code: string }[] } }[] }[] };
    expect(claim.item.map((i) => i.category.coding[0].code)).toEqual(['62', '2', '1']);
    for (const item of claim.item) expect(item.extension.map((x) => [x.url.split('-').pop(), x.valueCodeableConcept.coding[0].code])).toEqual([['serviceItemRequestType', 'HS'], ['certificationType', 'I']]);
    expect(serviceTypeFor('71046')).toEqual({ code: '4', display: 'Diagnostic X-Ray' });
    expect(serviceTypeFor('J1745').code).toBe('1');
    const patient = entries[1].resource as unknown as Record<string, unknown>;
    expect(patient).toMatchObject({ identifier: [{ system: SYSTEM.memberRef, value: 'MBR-7' }], gender: 'unknown' });
    expect(JSON.stringify(patient)).not.toMatch(/family|given|"birthDate"|address|telecom/);
  });

  test('the emulator resolves the references, reads the member from the Coverage and stores the Claim by identifier', () => {
    const facts = readPasBundle(bundle);
    if (typeof facts === 'string') throw new Error(facts);
    expect(facts).toMatchObject({ memberRef: 'MBR-7', urgency: 'expedited', identifierKey: `${SYSTEM.authRequestId}|AR-1`, requestorIdentifier: { system: SYSTEM.npi, value: '1234567893' } });
    expect(storedClaim(facts, 'PA0000001', 'SIMPAYER')).toMatchObject({ id: 'PA0000001', patient: { identifier: { value: 'MBR-7' } }, provider: { identifier: { value: '1234567893' } } });
    expect(stableUuidUrn('PA1/response/v1')).toMatch(UUID_V4_URN);
    expect(stableUuidUrn('PA1/response/v1')).toBe(stableUuidUrn('PA1/response/v1'));
  });

  test('the emulator refuses a Bundle that breaks the PAS rules it relies on', () => {
    const without = (i: number) => ({ ...bundle, entry: entries.filter((_, j) => j !== i) });
    expect(readPasBundle(without(1))).toMatch(/Claim.patient does not resolve/);
    expect(readPasBundle(without(2))).toMatch(/coverage does not resolve/);
    expect(readPasBundle({ ...bundle, entry: [{ ...entries[0], fullUrl: 'urn:uuid:claim-AR-1' }, ...entries.slice(1)] })).toMatch(/fullUrl must be urn:uuid/);
    const claim = entries[0].resource as unknown as { item: Record<string, unknown>[] };
    const noCategory = { ...claim, item: claim.item.map(({ category: _c, ...rest }) => rest) };
    expect(readPasBundle({ ...bundle, entry: [{ ...entries[0], resource: noCategory }, ...entries.slice(1)] })).toMatch(/item\.0\.category/);
    const noExt = { ...claim, item: claim.item.map((i) => ({ ...i, extension: [] })) };
    expect(readPasBundle({ ...bundle, entry: [{ ...entries[0], resource: noExt }, ...entries.slice(1)] })).toMatch(/serviceItemRequestType/);
    // The product's reader still maps the emulator-independent response shape (unchanged contract).
    expect(readPriorAuthBundle({ resourceType: 'Bundle', type: 'searchset', entry: [] })).toBeNull();
  });

  test('eligibility asks for auth requirements and benefits', () => {
    const request = buildEligibilityRequest({ journeyId: 'j', payerId: 'SIMPAYER', memberRef: 'MBR-7', serviceDate: '2026-03-02', serviceCodes: ['72148'] }, '2026-03-02T10:00:00Z', '1234567893');
    expect(request.purpose).toEqual(['auth-requirements', 'benefits']);
  });
});
