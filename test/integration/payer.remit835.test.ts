import { startOdooEmulator } from '../../sim/odoo';
import { startPayerEmulator } from '../../sim/payer';
import { parse835, summarize835 } from '../../src/domain/x12';
import { createPayerActivities, createPayerClient, payerConfigFromEnv, type SubmitClaimInput } from '../../src/activities/payer';

/**
 * Contract between the payer emulator's 835 writer and the product's 835 parser (src/domain/x12): what the
 * emulator publishes, fetched over HTTP by the activity, parses without issues and balances at every level.
 */
const claim = (claimId: string, charges: number[]): SubmitClaimInput => ({
  claimId,
  payerId: 'SIMPAYER',
  frequencyCode: '1',
  memberRef: 'MBR-77',
  serviceDate: '2026-03-02',
  priorAuthNumber: 'AUTH1',
  lines: charges.map((chargeCents, i) => ({ code: i % 2 ? '97110' : '99213', modifiers: [], icd10: ['M54.50'], units: 1, chargeCents })),
});

test('emulator 835s (payment, denial, reversal + correction, PLB) parse and balance with the domain parser', async () => {
  const emu = await startPayerEmulator({ seed: 3 });
  // Claim submission reads the subscriber's demographics from Odoo (the emulator's synthetic patients).
  const odoo = await startOdooEmulator();
  const client = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: emu.url, ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_LOGIN: 'admin', ODOO_API_KEY: 'admin-api-key' }));
  const payer = createPayerActivities(client);
  try {
    for (const [id, charges] of [['CLM-A', [12_500, 8_000]], ['CLM-B', [30_000]], ['CLM-C', [9_900, 4_400, 1_100]]] as const) {
      expect((await payer.submitClaim(claim(id, [...charges]))).status).toBe('accepted');
    }
    await emu.control.adjudicate('CLM-C', { kind: 'pay', deductibleCents: 0 });
    const batch = await emu.control.adjudicateBatch(
      [
        { claimId: 'CLM-A' },
        { claimId: 'CLM-B', rule: { kind: 'deny', carc: '50', rarcs: ['N115'] } },
        { claimId: 'CLM-C', rule: { kind: 'reverseAndCorrect', corrected: { kind: 'pay', allowedBasisPoints: 7000, deductibleCents: 0 } } },
      ],
      { providerAdjustments: [{ reason: 'L6', reference: 'INT1', amountCents: -250 }] },
    );
    const files = await payer.listRemittances({ since: '2026-01-01T00:00:00Z' });
    expect(files.map((f) => f.fileId)).toContain(batch!.fileId);
    for (const { fileId } of files) {
      const { content } = await payer.fetchRemittance({ fileId });
      const summary = summarize835(parse835(content));
      expect(summary.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(summary).toMatchObject({ transactionCount: 1, balanced: true, paymentBalanced: true, claimsUnbalanced: 0, serviceLinesUnbalanced: 0 });
      if (fileId === batch!.fileId) {
        expect(summary.clpStatusCounts).toEqual({ '1': 2, '4': 1, '22': 1 });
        expect(summary.plbReasons).toEqual(['L6']);
        expect(summary.paymentTotalCents).toBe(summary.claimPaidTotalCents - summary.plbTotalCents);
      }
    }
  } finally {
    client.close();
    await Promise.all([emu.close(), odoo.close()]);
  }
});
