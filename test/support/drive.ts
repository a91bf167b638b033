import type { JourneyHarness } from './journeyHarness';
import { bookAndServe, releaseClaim, sampleReferral } from './journeyHarness';
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
