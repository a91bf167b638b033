import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema, IssuerSchema, NonNegativeCentsSchema, ReasonSchema, RoleSchema } from './common';

/** Kinds of human approval; limits per role per kind are in approvals policy (configurable per site). */
export const APPROVAL_KINDS = ['billing_release', 'write_off', 'refund', 'override', 'coding_review'] as const;
export const ApprovalKindSchema = z.enum(APPROVAL_KINDS);
export type ApprovalKind = z.infer<typeof ApprovalKindSchema>;

/** Human decision delivered by update (who, role, why — recorded in the timeline and mirrored to Odoo). */
export const ApprovalDecisionSchema = z
  .object({
    actorId: IdSchema,
    role: RoleSchema,
    issuer: IssuerSchema.optional(),
    reason: ReasonSchema.optional(),
    decision: z.enum(['approve', 'reject', 'request_changes']),
    amountCents: NonNegativeCentsSchema.optional(),
    kind: ApprovalKindSchema,
  })
  .strict();
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

const controlBase = {
  actorId: IdSchema,
  role: RoleSchema,
  /** the identity provider that verified actorId (set by the decisions API from the token) */
  issuer: IssuerSchema.optional(),
  reason: ReasonSchema.refine((s) => s.trim().length > 0, { message: 'reason is required' }),
};

/** Put the journey on hold (optionally until an instant); the workflow decides what a hold suspends. */
export const HoldRequestSchema = z.object({ ...controlBase, until: IsoDateTimeSchema.optional() }).strict();
export type HoldRequest = z.infer<typeof HoldRequestSchema>;
export const ResumeRequestSchema = z.object(controlBase).strict();
export type ResumeRequest = z.infer<typeof ResumeRequestSchema>;
export const CancelRequestSchema = z.object(controlBase).strict();
export type CancelRequest = z.infer<typeof CancelRequestSchema>;
