import type { Role } from '../../domain/schemas/common';
import { ROLES } from '../../domain/schemas/common';
import type { DecisionType } from '../journeyClient';

/**
 * Which product roles may make which decision at the API. This is the coarse gate (403 naming the roles); the journey
 * still validates the fine rules itself: segregation of duties, amount limits per role and kind, reasons, stage.
 */
const APPROVERS: Role[] = ['billing_specialist', 'billing_supervisor', 'revenue_cycle_manager', 'cfo'];
const CODERS: Role[] = ['coder', 'coding_supervisor'];
const OPERATORS: Role[] = ['intake_coordinator', 'scheduler', 'billing_supervisor', 'revenue_cycle_manager', 'cfo'];
const CANCELLERS: Role[] = ['intake_coordinator', 'billing_supervisor', 'revenue_cycle_manager', 'cfo'];

export const DECISION_ROLES: Record<DecisionType, readonly Role[]> = {
  approve: APPROVERS,
  reject: APPROVERS,
  requestChanges: APPROVERS,
  decideWriteOff: APPROVERS,
  completeCodingReview: CODERS,
  hold: OPERATORS,
  resume: OPERATORS,
  cancel: CANCELLERS,
};

/** Decisions whose policy requires a reason (the journey refuses them without one too; the form marks it required). */
export const REASON_REQUIRED: ReadonlySet<DecisionType> = new Set(['reject', 'requestChanges', 'decideWriteOff', 'hold', 'resume', 'cancel']);

/**
 * The role the actor decides in: of the roles the token grants at this site that may make the decision, the most
 * senior (highest limits) — the journey checks that role's limit for the amount.
 */
export function roleFor(type: DecisionType, siteRoles: readonly Role[]): Role | undefined {
  const allowed = DECISION_ROLES[type].filter((r) => siteRoles.includes(r));
  return allowed.sort((a, b) => ROLES.indexOf(b) - ROLES.indexOf(a))[0];
}

/** The decisions this actor's roles allow at all (the journey page offers only these forms). */
export function allowedDecisions(siteRoles: readonly Role[]): DecisionType[] {
  return (Object.keys(DECISION_ROLES) as DecisionType[]).filter((t) => roleFor(t, siteRoles) !== undefined);
}
