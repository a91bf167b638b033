import type { CasGroup } from '../schemas/payer';
import { carcEntry, rarcEntry, type DenialAction, type DenialQueue } from './carc';

export interface DenialInput {
  group: CasGroup | string;
  reason: string;
  rarcs?: readonly string[];
}

export interface DenialRoute {
  queue: DenialQueue;
  action: DenialAction;
  appealable: boolean;
  /** working time for the queue, in business days (feeds the internal_denial_queue SLA amount) */
  slaDays: number;
  /** the CARC is in the routing table (unknown codes are counted in a KPI) */
  known: boolean;
  group: string;
  reason: string;
  description: string;
  fallbackAction?: DenialAction;
  /** RARC that changed the route (e.g. MA130) */
  refinedBy?: string;
  /** informational RARCs recognised (e.g. N115 LCD, N386 NCD) */
  remarks: string[];
}

/** Per-site routing configuration: queue SLA days (business days). */
export interface DenialRoutingConfig {
  slaDaysByQueue: Readonly<Record<DenialQueue, number>>;
}

export const DEFAULT_DENIAL_ROUTING: DenialRoutingConfig = {
  // Site policy defaults (DESIGN.md stage 9 "denial queue SLA"); configurable per site.
  slaDaysByQueue: {
    patient_responsibility: 2,
    contractual: 2,
    eligibility_cob: 3,
    authorization: 3,
    coding: 5,
    documentation: 5,
    medical_necessity: 10,
    credentialing: 10,
    timely_filing: 5,
    duplicate: 3,
    general_review: 5,
  },
};

/** Actions that are not denials to be worked (they post as adjustments / patient balance). */
export const NON_DENIAL_ACTIONS: readonly DenialAction[] = ['contractual_adjustment', 'patient_statement', 'informational'];

export function isWorkableDenial(route: Pick<DenialRoute, 'action'>): boolean {
  return !NON_DENIAL_ACTIONS.includes(route.action);
}

/**
 * Route one CAS adjustment (group + CARC + RARCs) to a work queue (DOMAIN.md "Denial routing"):
 * - unknown CARC → general review, known: false;
 * - group PR → patient responsibility / patient statement for any known CARC (the payer assigned it to the patient);
 * - OA-23 (impact of prior payer adjudication) on a secondary's 835 is informational: the primary's payment and
 *   adjustments were posted from the primary's 835 and are never written off again; CO/PI-23 is coordination of
 *   benefits (DOMAIN.md "Clarifications (second pass)");
 * - RARC MA130 with any CARC → unprocessable: new claim, no appeal (MA130 wins over other RARCs);
 * - RARC N290 with any CARC → billing-data fix (rendering NPI), not credentialing;
 * - CARC 16 alone → corrected claim; with M51 → coding, with a records remark (M127, N29, N225) → send records.
 */
export function routeDenial(input: DenialInput, config: DenialRoutingConfig = DEFAULT_DENIAL_ROUTING): DenialRoute {
  const group = input.group.trim().toUpperCase();
  const reason = input.reason.trim().toUpperCase();
  const rarcs = (input.rarcs ?? []).map((r) => r.trim().toUpperCase());
  const remarks = rarcs.filter((r) => rarcEntry(r) !== undefined);
  const entry = carcEntry(reason);
  const make = (queue: DenialQueue, action: DenialAction, appealable: boolean, extra: Partial<DenialRoute> = {}): DenialRoute => ({
    queue,
    action,
    appealable,
    slaDays: config.slaDaysByQueue[queue],
    known: entry !== undefined,
    group,
    reason,
    description: entry?.description ?? `Unknown CARC ${reason}`,
    remarks,
    ...extra,
  });

  // (not on an ordinary adjustment such as CO-45: claim-level remarks reach every CAS of the claim)
  if (group !== 'PR' && !(entry && NON_DENIAL_ACTIONS.includes(entry.action))) {
    for (const anyCarc of ['MA130', 'N290']) {
      const refines = rarcEntry(anyCarc)?.refines;
      if (rarcs.includes(anyCarc) && refines) return make(refines.queue, refines.action, refines.appealable, { refinedBy: anyCarc });
    }
  }
  if (!entry) return make('general_review', 'general_review', false);
  if (group === 'PR') return make('patient_responsibility', 'patient_statement', false);
  if (group === 'OA' && reason === '23') return make('contractual', 'informational', false);
  if (reason === '16') {
    const refining = rarcs.find((r) => rarcEntry(r)?.refines);
    const refines = refining ? rarcEntry(refining)?.refines : undefined;
    if (refining && refines) return make(refines.queue, refines.action, refines.appealable, { refinedBy: refining });
  }
  return make(entry.queue, entry.action, entry.appealable, entry.fallbackAction ? { fallbackAction: entry.fallbackAction } : {});
}
