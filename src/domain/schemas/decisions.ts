import { z } from 'zod';
import { ServiceLineSchema } from './care';
import { IdSchema, IssuerSchema, NonNegativeCentsSchema, ReasonSchema, RoleSchema } from './common';
import { EligibilityResultSchema, ClaimStatusSchema, PriorAuthDecisionSchema, RemittanceMessageSchema } from './payer';

/**
 * Payloads of the journey's human-decision updates. Every decision names who (actorId), in which role, and why;
 * the approval policy then checks role, amount limit and segregation of duties before anything changes.
 */
export const DecisionInputSchema = z
  .object({
    actorId: IdSchema,
    role: RoleSchema,
    /** the identity provider that verified actorId (set by the decisions API from the token, never by the caller) */
    issuer: IssuerSchema.optional(),
    reason: ReasonSchema.optional(),
    /** optional guard: the amount the approver saw (refused when it differs from what is pending) */
    amountCents: NonNegativeCentsSchema.optional(),
  })
  .strict();
export type DecisionInput = z.infer<typeof DecisionInputSchema>;

export const CodingReviewInputSchema = DecisionInputSchema.extend({
  outcome: z.enum(['confirmed', 'corrected']),
  /** the corrected service lines when outcome = corrected */
  services: z.array(ServiceLineSchema).min(1).max(50).optional(),
})
  .strict()
  .refine((c) => c.outcome === 'confirmed' || (c.services?.length ?? 0) > 0, { path: ['services'], message: 'required when outcome is corrected' });
export type CodingReviewInput = z.infer<typeof CodingReviewInputSchema>;

export const WriteOffDecisionInputSchema = DecisionInputSchema.extend({
  decision: z.enum(['approve', 'reject']),
  reason: ReasonSchema.refine((s) => s.trim().length > 0, { message: 'reason is required' }),
}).strict();
export type WriteOffDecisionInput = z.infer<typeof WriteOffDecisionInputSchema>;

/** A payer message addressed to a journey, for update-with-start / signal-with-start delivery. */
export const PayerMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('eligibility'), payload: EligibilityResultSchema }).strict(),
  z.object({ kind: z.literal('prior_auth'), payload: PriorAuthDecisionSchema }).strict(),
  z.object({ kind: z.literal('claim_status'), payload: ClaimStatusSchema }).strict(),
  z.object({ kind: z.literal('remittance'), payload: RemittanceMessageSchema }).strict(),
]);
export type PayerMessage = z.infer<typeof PayerMessageSchema>;

/** Where a payer message goes: the journey's business ids (never PHI). */
export const JourneyAddressSchema = z.object({ siteId: IdSchema, referralId: IdSchema }).strict();
export type JourneyAddress = z.infer<typeof JourneyAddressSchema>;
