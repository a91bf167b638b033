import { z } from 'zod';
import { PlanTypeSchema } from '../domain/schemas/common';

/**
 * The behaviour mix of a simulation: rates are probabilities (0..1), delays are simulated days. Everything has a
 * default so `--journeys/--days/--seed` alone give a plausible mix; a JSON file (`--mix`) can override any part.
 */
const rate = z.number().min(0).max(1);
const days = z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([lo, hi]) => lo <= hi, 'lo must be ≤ hi');

export const BehaviourMixSchema = z
  .object({
    sites: z.array(z.string().regex(/^[a-z0-9-]{1,32}$/)).min(1).default(['site-a', 'site-b', 'site-c']),
    /** payer ids with their plan type (the emulator derives the plan from the member-ref prefix) */
    payers: z
      .array(z.object({ payerId: z.string().regex(/^[A-Z0-9]{1,16}$/), planType: z.enum(['medicare_advantage', 'commercial', 'medicaid_managed']), weight: z.number().positive() }).strict())
      .min(1)
      .default([
        { payerId: 'PAYER1', planType: 'medicare_advantage', weight: 4 },
        { payerId: 'PAYER2', planType: 'commercial', weight: 4 },
        { payerId: 'PAYER3', planType: 'medicaid_managed', weight: 2 },
      ]),
    /** share of referrals whose service needs prior auth (imaging) rather than an office visit */
    authRequiredRate: rate.default(0.5),
    eligibilityFailureRate: rate.default(0.06),
    /**
     * Of the eligibility failures, the share re-verified active by a later 271 (the rest are cancelled). Default 0:
     * the payer emulator keys coverage on the member-ref prefix, so such a claim is still rejected at the front end.
     */
    eligibilityRecoveredRate: rate.default(0),
    paPendedRate: rate.default(0.2),
    paDeniedRate: rate.default(0.08),
    /** of the PA denials, the share overturned on appeal */
    paAppealWonRate: rate.default(0.5),
    /** days the payer takes to decide a pended PA (past 7 days breaches the CMS-0057-F standard clock) */
    paPendedDays: days.default([2, 12]),
    slowApproverRate: rate.default(0.15),
    approverDays: days.default([0, 2]),
    slowApproverDays: days.default([4, 12]),
    schedulingDays: days.default([0, 5]),
    serviceDays: days.default([3, 14]),
    payerDays: days.default([10, 30]),
    /** share of adjudicated claims denied, and the CARC mix of those denials (weights) */
    claimDenialRate: rate.default(0.12),
    denialCarcMix: z.record(z.string().regex(/^[A-Z0-9]{1,3}$/), z.number().positive()).default({ '50': 3, '197': 3, '16': 2, '29': 1, '22': 1 }),
    /** of the claim denials, the share paid on appeal / corrected claim */
    denialRecoveredRate: rate.default(0.4),
    appealDays: days.default([10, 40]),
    reversalRate: rate.default(0.04),
    /**
     * Share of referrals with a second coverage (coordination of benefits): the journey bills it with its own claim
     * after the primary pays and the patient gets what is left (the emulator pays `allowedBasisPoints` of the
     * primary's patient share as secondary, CLP02 2 with OA-23). Such referrals draw no reversal.
     */
    secondaryCoverageRate: rate.default(0.1),
    secondaryPayer: z.object({ payerId: z.string().regex(/^[A-Z0-9]{1,16}$/), planType: PlanTypeSchema }).strict().default({ payerId: 'MEDICAID1', planType: 'medicaid_ffs' }),
    patientPaysRate: rate.default(0.75),
    patientDisputeRate: rate.default(0.05),
    patientPayDays: days.default([5, 45]),
    /** ops cancel a journey stuck in eligibility / a lost PA appeal after this many days */
    cancelStuckAfterDays: z.number().int().min(1).default(21),
  })
  .strict();

export type BehaviourMix = z.infer<typeof BehaviourMixSchema>;

export const SimulationOptionsSchema = z
  .object({
    journeys: z.number().int().min(1).max(100_000),
    days: z.number().int().min(1).max(3650),
    seed: z.number().int(),
    /** journeys arrive uniformly over the first `arrivalShare` of the horizon, so most of them can run their course */
    arrivalShare: z.number().min(0).max(1).default(0.5),
    mix: BehaviourMixSchema.default({}),
  })
  .strict();

export type SimulationOptions = z.infer<typeof SimulationOptionsSchema>;
