import { z } from 'zod';
import { read837 } from '../../sim/payer/x837Reader';
import { claimIdempotencyKey } from '../../src/activities/payer/client';
import { PayerConfigError, payerConfigFromEnv } from '../../src/activities/payer/config';
import { buildPriorAuthBundle, centsToMoney, moneyToCents, readEligibilityResponse, readPriorAuthBundle, reviewActionExtension, SYSTEM } from '../../src/activities/payer/fhir';
import type { SubmitClaimInput } from '../../src/activities/payer/types';
import { build837P, isValidNpi } from '../../src/activities/payer/x837';

const claim: SubmitClaimInput = {
  claimId: 'CLM-42',
  payerId: 'SIMPAYER',
  frequencyCode: '7',
  memberRef: 'MBR-1',
  serviceDate: '2026-03-02',
  lines: [
    { code: '99214', modifiers: ['25'], icd10: ['M54.50', 'E11.9'], units: 1, chargeCents: 18_000 },
    { code: '20610', modifiers: ['RT', 'LT'], icd10: ['E11.9', 'M17.11'], units: 2, chargeCents: 32_050 },
  ],
  priorAuthNumber: 'AUTH123',
  payerClaimControlNumber: 'CCN-9',
};

const x837Options = {
  sender: { id: 'RCMSUBMITTER', name: 'Referral Journeys' },
  receiver: { id: 'CLEARINGHOUSE', name: 'Clearing*house~' },
  billingProvider: { npi: '1234567893', name: 'Demo Clinic', taxId: '123456789', address: { line1: '1 Main St', city: 'Springfield', state: 'IL', zip: '627011234' } },
  payerName: 'SIMPAYER',
  controlNumber: 1234,
  now: new Date('2026-03-20T14:05:00Z'),
};

describe('837P generator', () => {
  // Synthetic subscriber (the activity reads the real one from Odoo at submit time).
  const subscriber = { last: 'Synthetic', first: 'Pat', address: { line1: '2 Oak Ave', city: 'Springfield', state: 'IL', zip: '62704' }, birthDate: '1970-01-31', gender: 'U' as const };
  const text = build837P({ ...claim, subscriber }, x837Options);
  const segs = text.split('~').map((s) => s.trim()).filter(Boolean).map((s) => s.split('*'));

  test('envelope: fixed-width ISA, matching control numbers, SE01 counts ST..SE', () => {
    expect(segs[0].join('*')).toHaveLength(105);
    expect(segs[0][13]).toBe('000001234');
    const st = segs.findIndex((s) => s[0] === 'ST');
    const se = segs.findIndex((s) => s[0] === 'SE');
    expect(segs[st]).toEqual(['ST', '837', '0001', '005010X222A1']);
    expect(Number(segs[se][1])).toBe(se - st + 1);
    expect(segs.at(-2)).toEqual(['GE', '1', '1234']);
    expect(segs.at(-1)).toEqual(['IEA', '1', '000001234']);
  });

  test('claim content: total, frequency, auth and original claim refs, dot-less diagnoses and pointers', () => {
    expect(segs.find((s) => s[0] === 'CLM')).toEqual(['CLM', 'CLM-42', '500.50', '', '', '11:B:7', 'Y', 'A', 'Y', 'Y']);
    expect(segs.filter((s) => s[0] === 'REF').map((s) => s.slice(1))).toEqual([['EI', '123456789'], ['G1', 'AUTH123'], ['F8', 'CCN-9'], ['6R', 'CLM-42-1'], ['6R', 'CLM-42-2']]);
    expect(segs.find((s) => s[0] === 'HI')).toEqual(['HI', 'ABK:M5450', 'ABF:E119', 'ABF:M1711']);
    expect(segs.filter((s) => s[0] === 'SV1')).toEqual([
      ['SV1', 'HC:99214:25', '180.00', 'UN', '1', '', '', '1:2'],
      ['SV1', 'HC:20610:RT:LT', '320.50', 'UN', '2', '', '', '2:3'],
    ]);
    // Free text never breaks the syntax.
    expect(segs.find((s) => s[0] === 'NM1' && s[1] === '40')?.[3]).toBe('CLEARING HOUSE');
    // The subscriber is the patient: name, address and DMG (2010BA), member id in NM109.
    expect(segs.find((s) => s[0] === 'NM1' && s[1] === 'IL')).toEqual(['NM1', 'IL', '1', 'SYNTHETIC', 'PAT', '', '', '', 'MI', 'MBR-1']);
    expect(segs.find((s) => s[0] === 'DMG')).toEqual(['DMG', 'D8', '19700131', 'U']);
  });

  test('the emulator reads back what the generator wrote', () => {
    const read = read837(text);
    expect(read.errors).toEqual([]);
    expect(read.claim).toMatchObject({
      claimId: 'CLM-42',
      totalChargeCents: 50_050,
      frequencyCode: '7',
      memberRef: 'MBR-1',
      payerId: 'SIMPAYER',
      billingNpi: '1234567893',
      priorAuthNumber: 'AUTH123',
      payerClaimControlNumber: 'CCN-9',
      diagnoses: ['M5450', 'E119', 'M1711'],
    });
    expect(read.claim?.lines.map((l) => [l.code, l.modifiers, l.chargeCents, l.units, l.diagnosisPointers, l.serviceDate])).toEqual([
      ['99214', ['25'], 18_000, 1, [1, 2], '2026-03-02'],
      ['20610', ['RT', 'LT'], 32_050, 2, [2, 3], '2026-03-02'],
    ]);
  });

  test('reader flags a tampered total and a wrong segment count', () => {
    const tampered = text.replace('CLM*CLM-42*500.50', 'CLM*CLM-42*500.51').replace(/^SE\*(\d+)\*/m, (_m, n) => `SE*${Number(n) + 1}*`);
    expect(read837(tampered).errors).toEqual(expect.arrayContaining([expect.stringMatching(/SE01/), expect.stringMatching(/CLM02/)]));
    expect(() => read837('hello')).toThrow(/ISA/);
  });

  test('NPI check digit (Luhn with the 80840 prefix)', () => {
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
  });

  test('idempotency key: stable under key order, changes with content or frequency', () => {
    const { lines, ...rest } = claim;
    const reordered = JSON.parse(JSON.stringify({ lines: lines.map((l) => Object.fromEntries(Object.entries(l).reverse())), ...rest })) as SubmitClaimInput;
    expect(Object.keys(reordered)[0]).toBe('lines');
    expect(claimIdempotencyKey(reordered)).toBe(claimIdempotencyKey(claim));
    expect(claimIdempotencyKey({ ...claim, frequencyCode: '8' })).not.toBe(claimIdempotencyKey(claim));
    expect(claimIdempotencyKey({ ...claim, lines: [{ ...claim.lines[0], units: 2 }] })).not.toBe(claimIdempotencyKey(claim));
  });
});

describe('FHIR mapping', () => {
  test('money crosses the boundary exactly', () => {
    expect(centsToMoney(1999)).toEqual({ value: 19.99, currency: 'USD' });
    expect(centsToMoney(-5)).toEqual({ value: -0.05, currency: 'USD' });
    expect(moneyToCents({ value: 19.99 })).toBe(1999);
    expect(moneyToCents({ value: 1234567.5 })).toBe(123_456_750);
    for (const c of [0, 1, 10, 99, 101, 123_456_789]) expect(moneyToCents(centsToMoney(c))).toBe(c);
    expect(() => moneyToCents({ value: 0.001 })).toThrow();
  });

  test('eligibility: error outcome → unknown; garbage → ZodError', () => {
    expect(readEligibilityResponse({ resourceType: 'CoverageEligibilityResponse', id: 'E1', outcome: 'error' })).toMatchObject({ status: 'unknown', authRequired: false });
    expect(readEligibilityResponse({ resourceType: 'Patient' })).toBeInstanceOf(z.ZodError);
  });

  test('PAS request bundle: Claim first, preauthorization, our identifier, expedited → stat', () => {
    const b = buildPriorAuthBundle(
      { journeyId: 'j', authRequestId: 'AR-1', payerId: 'P', memberRef: 'M', urgency: 'expedited', services: [{ code: '72148', units: 1 }], diagnoses: ['M5450'] },
      '2026-03-02T10:00:00Z',
      '1234567893',
    );
    const claimResource = b.entry?.[0].resource as { resourceType: string; use: string; identifier: unknown[]; priority: { coding: { code: string }[] }; diagnosis: { diagnosisCodeableConcept: { coding: { code: string }[] } }[] };
    expect(claimResource.resourceType).toBe('Claim');
    expect(claimResource.use).toBe('preauthorization');
    expect(claimResource.identifier).toEqual([
      { system: SYSTEM.authRequestId, value: 'AR-1' },
      { system: SYSTEM.journeyId, value: 'j' },
    ]);
    expect(claimResource.priority.coding[0].code).toBe('stat');
    expect(claimResource.diagnosis[0].diagnosisCodeableConcept.coding[0].code).toBe('M54.50');
  });

  test('PAS response: item-level review actions combine; search with no match → null', () => {
    const item = (seq: number, action: 'A1' | 'A3', number?: string) => ({
      itemSequence: seq,
      adjudication: [{ category: { coding: [{ system: SYSTEM.adjudication, code: 'submitted' }] }, extension: [reviewActionExtension(action, number, action === 'A3' ? [{ code: 'R1', text: 'no' }] : [])] }],
    });
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'ClaimResponse', outcome: 'complete', preAuthRef: 'T1', item: [item(1, 'A1', 'AUTH9'), item(2, 'A3')] } }] };
    expect(readPriorAuthBundle(bundle)).toEqual({ trackingId: 'T1', decision: { action: 'A2', authNumber: 'AUTH9', reasons: [{ code: 'R1', text: 'no' }], requestedDocuments: [] } });
    expect(readPriorAuthBundle({ resourceType: 'Bundle', type: 'searchset', entry: [] })).toBeNull();
    expect(readPriorAuthBundle({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'ClaimResponse', outcome: 'complete', preAuthRef: 'T1' } }] })).toMatch(/no PAS reviewAction/);
  });
});

describe('payerConfigFromEnv', () => {
  test('defaults and bearer key', () => {
    const c = payerConfigFromEnv({ PAYER_BASE_URL: 'http://127.0.0.1:9/', PAYER_API_KEY: 'k', OTHER: 'x' });
    expect(c).toMatchObject({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k', timeoutMs: 10_000, x12Usage: 'P' });
    expect(c.billingProvider.address).toEqual({ line1: '1 Main Street', city: 'Springfield', state: 'IL', zip: '627011234' });
    expect(() => payerConfigFromEnv({ PAYER_BASE_URL: 'http://x', PAYER_BILLING_ADDRESS: '1 Main St, Springfield, IL, 62701' })).toThrow(/PAYER_BILLING_ADDRESS: .*9-digit ZIP/);
    expect(payerConfigFromEnv({ PAYER_BASE_URL: 'http://x', PAYER_API_KEY: '' }).apiKey).toBeUndefined();
  });

  test('one error naming every bad variable, without values', () => {
    let err: unknown;
    try {
      payerConfigFromEnv({ PAYER_BASE_URL: 'not a url', PAYER_TIMEOUT_MS: '-5', PAYER_BILLING_NPI: 'secret-ish' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PayerConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(/PAYER_BASE_URL/);
    expect(message).toMatch(/PAYER_TIMEOUT_MS/);
    expect(message).toMatch(/PAYER_BILLING_NPI/);
    expect(message).not.toContain('secret-ish');
    expect(() => payerConfigFromEnv({})).toThrow(/PAYER_BASE_URL: Required/);
  });
});
