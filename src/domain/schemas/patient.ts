import { z } from 'zod';
import { IsoDateTimeSchema, MessageIdSchema, PositiveCentsSchema } from './common';

export const PatientPaymentSchema = z
  .object({
    messageId: MessageIdSchema,
    amountCents: PositiveCentsSchema,
    method: z.enum(['card', 'ach', 'check', 'cash', 'hsa', 'other']),
    at: IsoDateTimeSchema,
  })
  .strict();
export type PatientPayment = z.infer<typeof PatientPaymentSchema>;

/**
 * A patient dispute that holds collections: No Surprises Act patient-provider dispute (bill ≥ $400 over the GFE),
 * a §501(r) financial-assistance application, or a general billing dispute. A message with resolvedAt closes it.
 */
export const PatientDisputeSchema = z
  .object({
    messageId: MessageIdSchema,
    /** pairs the opening and resolving messages; without it, one open dispute per kind */
    disputeId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional(),
    kind: z.enum(['nsa_dispute', 'financial_assistance', 'general']),
    openedAt: IsoDateTimeSchema,
    resolvedAt: IsoDateTimeSchema.optional(),
  })
  .strict()
  .refine((d) => d.resolvedAt === undefined || Date.parse(d.resolvedAt) >= Date.parse(d.openedAt), {
    path: ['resolvedAt'],
    message: 'must not be before openedAt',
  });
export type PatientDispute = z.infer<typeof PatientDisputeSchema>;
