import { write835, type Remittance } from '../../sim/payer';

/** A balanced 835 (written by the payer emulator's writer) paying one claim id the product never billed. */
export function foreign835(claimId: string): string {
  const remit: Remittance = {
    payer: { id: 'PAYER1', name: 'Payer One', taxId: '111111111', address: { line1: '1 Main St', city: 'Town', state: 'MI', zip: '49000' } },
    payee: { name: 'Clinic', npi: '1234567893' },
    paymentMethod: 'ACH',
    traceNumber: `EFT${Date.now()}`,
    paymentDate: new Date().toISOString().slice(0, 10),
    claims: [
      {
        patientControlNumber: claimId,
        status: '1',
        chargeCents: 10_000,
        paidCents: 8_000,
        patientResponsibilityCents: 0,
        filingIndicator: 'CI',
        payerClaimControlNumber: 'CCN900',
        memberId: 'M-OPAQUE-1',
        claimAdjustments: [],
        services: [{ code: '99213', modifiers: [], chargeCents: 10_000, paidCents: 8_000, units: 1, serviceDate: '2026-01-05', adjustments: [{ group: 'CO', reason: '45', amountCents: 2_000 }] }],
      },
    ],
    providerAdjustments: [],
  };
  return write835(remit, { senderId: 'PAYER1', receiverId: 'CLINIC', interchangeControlNumber: 1, groupControlNumber: 1, transactionControlNumber: '0001', createdAt: new Date() });
}
