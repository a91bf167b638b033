import { z } from 'zod';
import {
  Icd10Schema,
  IdSchema,
  IsoDateSchema,
  IsoDateTimeSchema,
  MessageIdSchema,
  ModifierSchema,
  NonNegativeCentsSchema,
  ProcedureCodeSchema,
  UnitsSchema,
} from './common';

export const AppointmentScheduledSchema = z
  .object({
    messageId: MessageIdSchema,
    appointmentId: IdSchema,
    /** appointment start */
    at: IsoDateTimeSchema,
    /** when it was booked (No Surprises Act GFE lead time is counted from here); defaults to the signal time */
    bookedAt: IsoDateTimeSchema.optional(),
  })
  .strict();
export type AppointmentScheduled = z.infer<typeof AppointmentScheduledSchema>;

/** A billed service line: code + modifiers + diagnosis pointers as codes + units + charge. */
export const ServiceLineSchema = z
  .object({
    code: ProcedureCodeSchema,
    modifiers: z.array(ModifierSchema).max(4),
    icd10: z.array(Icd10Schema).min(1).max(12),
    units: UnitsSchema,
    chargeCents: NonNegativeCentsSchema,
  })
  .strict();
export type ServiceLine = z.infer<typeof ServiceLineSchema>;

export const ServiceCompletedSchema = z
  .object({
    messageId: MessageIdSchema,
    encounterId: IdSchema,
    serviceDate: IsoDateSchema,
    services: z.array(ServiceLineSchema).min(1).max(50),
    /** document id of the clinical notes in the EHR/Odoo; never the notes text (minimum necessary) */
    notesRef: IdSchema,
  })
  .strict();
export type ServiceCompleted = z.infer<typeof ServiceCompletedSchema>;

/**
 * AI documentation/coding classification. Below the site's confidence threshold it goes to human review; above,
 * it proceeds but stays auditable (model id, version, confidence) — DOMAIN.md "Approvals and governance".
 */
export const CodingResultSchema = z
  .object({
    label: z.string().min(1).max(100),
    confidence: z.number().min(0).max(1),
    modelId: z.string().min(1).max(200),
    modelVersion: z.string().min(1).max(100),
    issues: z.array(z.string().max(500)).max(100),
  })
  .strict();
export type CodingResult = z.infer<typeof CodingResultSchema>;

/** True when the AI result must go to a human coder (confidence strictly below the site threshold). */
export function needsHumanCodingReview(result: Pick<CodingResult, 'confidence' | 'issues'>, threshold: number): boolean {
  return result.confidence < threshold || result.issues.length > 0;
}
