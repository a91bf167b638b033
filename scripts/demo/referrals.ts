import type { Referral } from '../../src/domain';

/**
 * Demo referrals: business ids and codes only. Patient refs are opaque (`MA-P1001`: the payer emulator reads the
 * `MA-` prefix as Medicare Advantage), referral ids carry a per-run stamp so a second `npm start` on the persisted
 * `.data/temporal.db` starts new journeys instead of finding the previous run's (`referral/<site>/<referralId>`).
 */

/** `DM` + base-36 milliseconds, e.g. `DMM3K8F1AB`: unique per run, short, PHI-free. */
export function runStamp(now: number = Date.now()): string {
  return `DM${now.toString(36).toUpperCase()}`;
}

export interface DemoService {
  cpt: string;
  icd10: string[];
  chargeCents: number;
}

export const SERVICES = {
  /** MRI lumbar spine: needs prior auth, certified at once (A1) by the payer emulator */
  mriLumbar: { cpt: '72148', icd10: ['M54.50'], chargeCents: 120_000 },
  /** MRI brain: needs prior auth; the demo makes the payer pend it (A4) without deciding */
  mriBrain: { cpt: '70553', icd10: ['R51.9'], chargeCents: 180_000 },
  /** office visit, established patient: no prior auth */
  officeVisit: { cpt: '99214', icd10: ['M54.50'], chargeCents: 25_000 },
  officeVisitLow: { cpt: '99213', icd10: ['J06.9'], chargeCents: 15_000 },
  /** total knee replacement: the payer emulator pends it (A4), then certifies it (A1) by signed webhook */
  kneeReplacement: { cpt: '27447', icd10: ['M17.11'], chargeCents: 250_000 },
} satisfies Record<string, DemoService>;

export interface DemoReferralInput {
  siteId: string;
  referralId: string;
  patientRef: string;
  payerId: string;
  service: DemoService;
  urgency?: Referral['urgency'];
  /** required document kinds that have not arrived (the journey waits in intake) */
  missingDocuments?: string[];
}

export function demoReferral(input: DemoReferralInput): Referral {
  const missing = input.missingDocuments ?? [];
  return {
    siteId: input.siteId,
    referralId: input.referralId,
    patientRef: input.patientRef,
    payerId: input.payerId,
    planType: 'medicare_advantage',
    urgency: input.urgency ?? 'standard',
    receivedAt: new Date().toISOString(),
    orderedServices: [{ cpt: input.service.cpt, icd10: input.service.icd10, units: 1, chargeCents: input.service.chargeCents }],
    documents: [{ documentId: `DOC-${input.referralId}-1`, kind: 'referral_order', received: true }],
    requiredDocuments: ['referral_order', ...missing],
    preparerId: 'intake-1',
  };
}
