import { secondaryClaimIdFor } from '../../src/domain';
import * as msg from '../../src/workflows/messages';
import { driveToPayer } from '../support/drive';
import { settleAfterPosting, startJourneyHarness, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { cob835, uniqueTrace } from '../support/reconRemits';

/**
 * Issue 11/12, coordination of benefits on the time-skipping server: the primary pays, the patient's share waits for
 * the secondary (billed with its own claim, or reached by a crossover), the secondary's 835 recomputes the share —
 * OA-23 (the prior payer's part) is informational — and the patient is billed only what is left.
 */
describe('primary → secondary journeys (time-skipping server)', () => {
  let h: JourneyHarness;
  beforeEach(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterEach(async () => h?.close());

  const secondaryCoverage = { payerId: 'MEDICAID1', planType: 'medicaid_ffs' as const };
  // charge 1,000.00; primary allows 800.00: pays 640.00, CO-45 200.00, PR-2 coinsurance 160.00
  const primaryCas = [
    { group: 'CO' as const, reason: '45', amountCents: 20_000 },
    { group: 'PR' as const, reason: '2', amountCents: 16_000 },
  ];

  async function deliver(handle: Parameters<JourneyHarness['deliverRemittances']>[0], content: string): Promise<void> {
    const file = h.payer.control.addRemittance(content);
    await h.deliverRemittances(handle, [file.fileId]);
  }

  it('bills the secondary with its own claim; its 835 leaves the patient 40.00 (not 160.00 + 40.00); the ledger matches Odoo', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 100_000, { secondaryCoverage });
      await deliver(handle, cob835(uniqueTrace('PRI'), 'PAYER1', [{ claimId, status: '1', chargeCents: 100_000, paidCents: 64_000, adjustments: primaryCas }]));
      await settleAfterPosting(h, handle);
      const secondaryId = secondaryClaimIdFor(claimId);
      await h.claimAtPayer(secondaryId); // the secondary got an 837 of its own, with the primary in 2320/2330
      expect(h.payer.control.submittedClaim(secondaryId)).toMatchObject({ payerResponsibility: 'S', otherPayerPaidCents: 64_000, otherPayerPatientResponsibilityCents: 16_000, filingIndicator: 'MC', memberRef: expect.any(String) });
      expect(h.payer.control.submittedClaim(claimId)).toMatchObject({ payerResponsibility: 'P', filingIndicator: '16' });
      const held = await waitForStatus(handle, (s) => s.awaiting?.startsWith('secondary payer adjudication') === true, 'waiting for the secondary');
      expect(held.stage).toBe('payer_adjudication'); // no patient statement yet
      expect(held.claimIds).toEqual([claimId, secondaryId]);
      // the secondary pays 120.00 of the 160.00; OA-23 carries the primary's 840.00 (paid + contractual)
      await deliver(handle, cob835(uniqueTrace('SEC'), 'MEDICAID1', [{ claimId: secondaryId, status: '2', chargeCents: 100_000, paidCents: 12_000, filingIndicator: 'MC', adjustments: [{ group: 'OA', reason: '23', amountCents: 84_000 }, { group: 'PR', reason: '2', amountCents: 4_000 }] }]));
      await settleAfterPosting(h, handle, 2);
      const due = await waitForStatus(handle, (s) => s.stage === 'patient_balance', 'the patient billed for what is left');
      expect(due.ledger).toMatchObject({ paidCents: 76_000, adjustedCents: 20_000, balanceCents: 4_000 });
      await handle.signal(msg.patientPayment, { messageId: 'pp-cob-1', amountCents: 4_000, method: 'card', at: new Date().toISOString() });
      expect(await handle.result()).toMatchObject({ state: 'paid', paidCents: 76_000, patientPaidCents: 4_000 });
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('a primary that crossed the claim over (CLP02 19) holds patient billing; no 837 goes to the secondary; its 835 decides the share', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 100_000, { secondaryCoverage });
      await deliver(handle, cob835(uniqueTrace('XOV'), 'PAYER1', [{ claimId, status: '19', chargeCents: 100_000, paidCents: 64_000, adjustments: primaryCas }]));
      await settleAfterPosting(h, handle);
      const held = await waitForStatus(handle, (s) => s.awaiting?.startsWith('secondary payer adjudication') === true, 'waiting for the crossover');
      expect(held.stage).toBe('payer_adjudication');
      const timeline = (await handle.query(msg.timeline)).map((t) => t.action);
      expect(timeline).toContain('patient billing held: the primary forwarded the claim (crossover)');
      expect(h.payer.control.claimStatus(secondaryClaimIdFor(claimId))).toBeUndefined();
      // the secondary answers on the same CLP01 as secondary (CLP02 2) and pays the whole coinsurance
      await deliver(handle, cob835(uniqueTrace('XSE'), 'MEDICAID1', [{ claimId, status: '2', chargeCents: 100_000, paidCents: 16_000, filingIndicator: 'MC', adjustments: [{ group: 'OA', reason: '23', amountCents: 84_000 }] }]));
      await settleAfterPosting(h, handle, 2);
      expect(await handle.result()).toMatchObject({ state: 'paid', paidCents: 80_000, patientPaidCents: 0 });
      await expectLedgerMatchesOdoo(handle, h.odoo);
    });
  });

  it('without a second coverage the patient is billed the primary share at once', async () => {
    await h.withWorker(async () => {
      const { handle, claimId } = await driveToPayer(h, 100_000);
      await deliver(handle, cob835(uniqueTrace('ONE'), 'PAYER1', [{ claimId, status: '1', chargeCents: 100_000, paidCents: 64_000, adjustments: primaryCas }]));
      await settleAfterPosting(h, handle);
      const due = await waitForStatus(handle, (s) => s.stage === 'patient_balance', 'patient balance');
      expect(due.ledger.balanceCents).toBe(16_000);
      await expectLedgerMatchesOdoo(handle, h.odoo);
      await handle.terminate('test done');
    });
  });
});
