import { z } from 'zod';
import { IdSchema, IsoDateSchema, NonNegativeCentsSchema, PlanTypeSchema } from './common';
import { ServiceLineSchema } from './care';

/** A professional claim (837P) as the journey knows it. CLM05-3 frequency: 1 original, 7 replacement, 8 void. */
export const ClaimSchema = z
  .object({
    claimId: IdSchema,
    payerId: IdSchema,
    planType: PlanTypeSchema.optional(),
    serviceDate: IsoDateSchema,
    lines: z.array(ServiceLineSchema).min(1).max(50),
    totalChargeCents: NonNegativeCentsSchema,
    frequencyCode: z.enum(['1', '7', '8']).optional(),
    /** payer claim control number of the claim being replaced/voided (frequency 7/8) */
    originalPayerClaimControlNumber: z.string().min(1).max(50).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const sum = c.lines.reduce((s, l) => s + l.chargeCents, 0);
    if (sum !== c.totalChargeCents) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['totalChargeCents'], message: `must equal the sum of line charges (${sum})` });
    }
    if ((c.frequencyCode === '7' || c.frequencyCode === '8') && !c.originalPayerClaimControlNumber) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['originalPayerClaimControlNumber'], message: 'required for replacement/void' });
    }
  });
export type Claim = z.infer<typeof ClaimSchema>;
