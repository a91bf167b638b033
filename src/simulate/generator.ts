import type { Referral } from '../domain';
import { createRng, type Rng } from './prng';
import type { BehaviourMix, SimulationOptions } from './scenario';

/**
 * What the generator intends for one referral. The report never counts these intentions: it reads what the journeys
 * really did. Ids are synthetic (`SIM<seed>-<n>`, member refs `<plan>-S<n>`): no names, dates of birth or real ids.
 */
export interface JourneyPlan {
  index: number;
  arrivalDay: number;
  referral: Referral;
  eligibility: 'active' | { inactive: true; recoveredAfterDays?: number };
  priorAuth: 'not_required' | 'approved' | { pendedDays: number } | { denied: true; appealWonAfterDays?: number };
  schedulingDays: number;
  serviceDays: number;
  approverDays: number;
  slowApprover: boolean;
  payerDays: number;
  claim: 'pay' | { carc: string; recoveredAfterDays?: number };
  reversal: boolean;
  patient: { paysAfterDays: number } | 'never';
  dispute: boolean;
  cancelStuckAfterDays: number;
}

const PLAN_PREFIX = { medicare_advantage: 'MA', commercial: 'COM', medicaid_managed: 'MCD' } as const;
const SERVICES = {
  auth: { cpt: '72148', icd10: ['M54.50'], chargeCents: [90_000, 160_000] },
  visit: { cpt: '99214', icd10: ['M54.50'], chargeCents: [15_000, 40_000] },
} as const;

const between = (rng: Rng, [lo, hi]: readonly [number, number]) => rng.int(lo, hi);

export function generatePlans(opts: SimulationOptions, simStart: Date): JourneyPlan[] {
  const rng = createRng(opts.seed);
  const mix = opts.mix;
  const arrivalSpan = Math.max(1, Math.floor(opts.days * opts.arrivalShare));
  const weights = Object.fromEntries(mix.payers.map((p, i) => [String(i), p.weight])) as Record<string, number>;
  const plans: JourneyPlan[] = [];
  for (let i = 0; i < opts.journeys; i++) {
    const payer = mix.payers[Number(rng.weighted(weights))];
    const auth = rng.chance(mix.authRequiredRate);
    const svc = auth ? SERVICES.auth : SERVICES.visit;
    const chargeCents = rng.int(svc.chargeCents[0] / 100, svc.chargeCents[1] / 100) * 100;
    const arrivalDay = rng.int(0, arrivalSpan - 1);
    const inactive = rng.chance(mix.eligibilityFailureRate);
    const id = `SIM${opts.seed}-${String(i + 1).padStart(5, '0')}`;
    const prefix = inactive ? 'INACTIVE' : PLAN_PREFIX[payer.planType];
    const referral: Referral = {
      siteId: rng.pick(mix.sites),
      referralId: id,
      patientRef: `${prefix}-S${opts.seed}X${i + 1}`,
      payerId: payer.payerId,
      planType: payer.planType,
      urgency: 'standard',
      receivedAt: new Date(simStart.getTime() + arrivalDay * 86_400_000).toISOString(),
      orderedServices: [{ cpt: svc.cpt, icd10: [...svc.icd10], units: 1, chargeCents }],
      documents: [{ documentId: `DOC-${id}`, kind: 'referral_order', received: true }],
      requiredDocuments: ['referral_order'],
      preparerId: 'intake-sim',
    };
    const plan: JourneyPlan = {
      index: i,
      arrivalDay,
      referral,
      eligibility: inactive ? { inactive: true, ...(rng.chance(mix.eligibilityRecoveredRate) ? { recoveredAfterDays: rng.int(1, 10) } : {}) } : 'active',
      priorAuth: !auth ? 'not_required' : drawPriorAuth(rng, mix),
      schedulingDays: between(rng, mix.schedulingDays),
      serviceDays: between(rng, mix.serviceDays),
      ...drawApprover(rng, mix),
      payerDays: between(rng, mix.payerDays),
      claim: rng.chance(mix.claimDenialRate)
        ? { carc: rng.weighted(mix.denialCarcMix), ...(rng.chance(mix.denialRecoveredRate) ? { recoveredAfterDays: between(rng, mix.appealDays) } : {}) }
        : 'pay',
      reversal: rng.chance(mix.reversalRate),
      patient: rng.chance(mix.patientPaysRate) ? { paysAfterDays: between(rng, mix.patientPayDays) } : 'never',
      dispute: rng.chance(mix.patientDisputeRate),
      cancelStuckAfterDays: mix.cancelStuckAfterDays,
    };
    // Drawn last, so a mix without second coverages draws every other number as before.
    if (mix.secondaryCoverageRate > 0 && rng.chance(mix.secondaryCoverageRate) && mix.secondaryPayer.payerId !== payer.payerId) {
      plan.reversal = false;
      plan.referral.secondaryCoverage = { ...mix.secondaryPayer };
    }
    plans.push(plan);
  }
  return plans;
}

function drawPriorAuth(rng: Rng, mix: BehaviourMix): JourneyPlan['priorAuth'] {
  const r = rng.next();
  if (r < mix.paDeniedRate) return { denied: true, ...(rng.chance(mix.paAppealWonRate) ? { appealWonAfterDays: between(rng, mix.appealDays) } : {}) };
  if (r < mix.paDeniedRate + mix.paPendedRate) return { pendedDays: between(rng, mix.paPendedDays) };
  return 'approved';
}

function drawApprover(rng: Rng, mix: BehaviourMix): Pick<JourneyPlan, 'approverDays' | 'slowApprover'> {
  const slow = rng.chance(mix.slowApproverRate);
  return { slowApprover: slow, approverDays: between(rng, slow ? mix.slowApproverDays : mix.approverDays) };
}
