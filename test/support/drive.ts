import type { JourneyHarness } from './journeyHarness';
import { bookAndServe, releaseClaim, sampleReferral, settleAfterPosting, waitForStatus } from './journeyHarness';
import type { Referral } from '../../src/domain';

/** A referral that needs no prior auth (office visit), driven through approval until the payer has its claim. */
export async function driveToPayer(h: JourneyHarness, chargeCents = 120_000, overrides: Partial<Referral> = {}) {
  const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents }], ...overrides });
  const handle = await h.start(referral);
  await bookAndServe(handle, chargeCents, '99214');
  const claimId = await releaseClaim(handle);
  await h.claimAtPayer(claimId);
  return { referral, handle, claimId };
}

/** Pay rule of the payer emulator: the allowed share of the charge, no patient share. */
export const payAllowed = (allowedBasisPoints: number) => ({ kind: 'pay' as const, allowedBasisPoints, deductibleCents: 0, copayCents: 0, coinsuranceBasisPoints: 0 });

/**
 * A claim denied as not medically necessary (CO-50) whose appeal window closes without an outcome: the journey ends up
 * waiting for a write-off approval of the whole charge.
 */
export async function driveToWriteOffPending(h: JourneyHarness, chargeCents = 40_000) {
  const driven = await driveToPayer(h, chargeCents);
  const denial = await h.payer.control.adjudicate(driven.claimId, { kind: 'deny', carc: '50' });
  await h.deliverRemittances(driven.handle, [denial!.fileId]);
  await waitForStatus(driven.handle, (x) => x.openExceptions.some((e) => e.queue === 'medical_necessity'), 'medical necessity queue');
  await h.env.sleep('100 days');
  await waitForStatus(driven.handle, (x) => x.pendingApproval?.kind === 'write_off', 'write-off pending');
  return driven;
}

/**
 * A started journey driven to its patient balance: served, released, and the whole charge left to the patient by the
 * payer (PR-1 deductible), settled. Returns the claim id.
 */
export async function driveToPatientBalance(h: JourneyHarness, handle: Awaited<ReturnType<JourneyHarness['start']>>, chargeCents: number): Promise<string> {
  await bookAndServe(handle, chargeCents, '99214');
  const claimId = await releaseClaim(handle);
  await h.claimAtPayer(claimId);
  const file = await h.payer.control.adjudicate(claimId, { kind: 'deny', group: 'PR', carc: '1' });
  await h.deliverRemittances(handle, [file!.fileId]);
  await settleAfterPosting(h, handle);
  await waitForStatus(handle, (x) => x.stage === 'patient_balance', 'patient balance');
  return claimId;
}
