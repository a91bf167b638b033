import { write835 } from '../../sim/payer';
import { applySecondaryPayRule } from '../../sim/payer/adjudication';
import type { SubmittedClaim } from '../../sim/payer/x837Reader';
import { startPyx12, type Pyx12 } from '../support/pyx12';
import { cob835, recon835, uniqueTrace } from '../support/reconRemits';

/**
 * Independent validation of the 835s the payer emulator writes (sim/payer/x835Writer.ts, the same writer its
 * adjudication and the tests use): pyx12 4.0.0 checks each shape against its 005010X221A1 map with no error. A negative control proves the validator can fail on an 835.
 */
describe('pyx12 validates every 835 shape the payer emulator writes', () => {
  let validator: Pyx12;
  beforeAll(() => {
    validator = startPyx12('x835-pyx12-');
  });
  afterAll(() => validator?.close());

  it('paid, denied, PLB, crossover, secondary (OA-23), multi-claim and zero-pay files: zero errors; a broken one fails', () => {
    const shapes: Record<string, string> = {
      paid: recon835(uniqueTrace('P'), [{ claimId: 'RCA-1', paidCents: 8_000 }]),
      denied: recon835(uniqueTrace('D'), [{ claimId: 'RCA-2', paidCents: 0, chargeCents: 12_000, status: '4' }]),
      multiClaimWithPlb: recon835(uniqueTrace('M'), [{ claimId: 'RCA-3', paidCents: 8_000 }, { claimId: 'RCA-4', paidCents: 4_500, chargeCents: 6_000 }], [
        { reason: 'WO', reference: 'RCA-9', amountCents: 2_500 },
        { reason: 'L6', amountCents: -123 },
      ]),
      crossover: cob835(uniqueTrace('X'), 'PAYER1', [{ claimId: 'RCA-5', status: '19', chargeCents: 100_000, paidCents: 64_000, adjustments: [{ group: 'CO', reason: '45', amountCents: 20_000 }, { group: 'PR', reason: '2', amountCents: 16_000 }] }]),
      secondary: cob835(uniqueTrace('S'), 'MEDICAID1', [{ claimId: 'RCA-5', status: '2', chargeCents: 100_000, paidCents: 12_000, filingIndicator: 'MC', adjustments: [{ group: 'OA', reason: '23', amountCents: 84_000 }, { group: 'PR', reason: '2', amountCents: 4_000 }] }]),
      zeroPay: recon835(uniqueTrace('Z'), [{ claimId: 'RCA-6', paidCents: 0, chargeCents: 5_000, status: '1' }]),
      emulatorSecondary: emulatorSecondary835(),
    };
    // negative control: the payer identification loop (N1*PR, required) removed, the segment count left as written
    const broken = shapes.paid.replace(/N1\*PR\*[^~]*~\n?/, '');
    expect(broken).not.toBe(shapes.paid);
    const results = validator.validate({ ...shapes, negMissingPayer: broken });
    // pyx12 writes 999s for the transactions a provider sends (837); for an 835 it logs that it cannot build one,
    // which says nothing about the file: that one message is not a finding.
    const findings = (name: string) => results[name].errors.filter((e) => e !== 'Failed to create 999 response');
    for (const name of Object.keys(shapes)) {
      expect({ name, valid: results[name].valid, errors: findings(name) }).toEqual({ name, valid: true, errors: [] });
    }
    expect(results.negMissingPayer.valid).toBe(false);
    expect(findings('negMissingPayer').length).toBeGreaterThan(0);
  });
});

/** What the emulator's own secondary adjudication writes for a two-line claim the primary left 160.00 of. */
function emulatorSecondary835(): string {
  const claim: SubmittedClaim = {
    claimId: 'RCA-7-501',
    totalChargeCents: 100_000,
    frequencyCode: '1',
    placeOfService: '11',
    memberRef: 'MCD-OPAQUE-7',
    payerId: 'MEDICAID1',
    billingNpi: '1234567893',
    billingName: 'CLINIC',
    filingIndicator: 'MC',
    payerResponsibility: 'S',
    otherPayerPaidCents: 64_000,
    otherPayerPatientResponsibilityCents: 16_000,
    diagnoses: ['M5450'],
    lines: [60_000, 40_000].map((c, i) => ({ code: i ? '20610' : '99214', modifiers: [], chargeCents: c, units: 1, diagnosisPointers: [1], serviceDate: '2026-11-02', lineControlNumber: `L${i + 1}` })),
  };
  const remit = applySecondaryPayRule(claim, { kind: 'pay', allowedBasisPoints: 7500 }, { payerClaimControlNumber: 'MCDCCN7', receivedDate: '2026-11-05', benefits: { copayCents: 0, deductibleRemainingCents: 0, coinsuranceBasisPoints: 0 } });
  return write835(
    {
      payer: { id: 'MEDICAID1', name: 'Payer MEDICAID1', taxId: '222222222', address: { line1: '2 Main St', city: 'Town', state: 'MI', zip: '49000' } },
      payee: { name: 'Clinic', npi: '1234567893' },
      paymentMethod: 'ACH',
      traceNumber: uniqueTrace('ES'),
      paymentDate: '2026-11-20',
      claims: [remit],
      providerAdjustments: [],
    },
    { senderId: 'MEDICAID1', receiverId: 'CLINIC', interchangeControlNumber: 7, groupControlNumber: 7, transactionControlNumber: '0007', createdAt: new Date() },
  );
}
