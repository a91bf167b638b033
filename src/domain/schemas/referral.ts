import { z } from 'zod';
import {
  CentsSchema,
  Icd10Schema,
  IdSchema,
  IsoDateTimeSchema,
  MessageIdSchema,
  NonNegativeCentsSchema,
  PatientRefSchema,
  PlanTypeSchema,
  ProcedureCodeSchema,
  UnitsSchema,
  UrgencySchema,
} from './common';

/** Document kinds are short snake_case codes (`referral_order`, `clinical_notes`, `insurance_card`…). */
export const DocumentKindSchema = z.string().regex(/^[a-z0-9_]{1,40}$/);

export const OrderedServiceSchema = z
  .object({
    /** CPT or HCPCS Level II code */
    cpt: ProcedureCodeSchema,
    icd10: z.array(Icd10Schema).min(1).max(12),
    units: UnitsSchema,
    chargeCents: NonNegativeCentsSchema,
  })
  .strict();
export type OrderedService = z.infer<typeof OrderedServiceSchema>;

export const ReferralDocumentSchema = z
  .object({
    documentId: IdSchema,
    kind: DocumentKindSchema,
    received: z.boolean(),
  })
  .strict();
export type ReferralDocument = z.infer<typeof ReferralDocumentSchema>;

/**
 * The referral payload that starts a journey. Carries ids and coded facts only (minimum necessary, DOMAIN.md
 * "Approvals and governance"): the patient is an opaque ref; names, DOB and member ids live in Odoo/EHR.
 */
export const ReferralSchema = z
  .object({
    siteId: IdSchema,
    referralId: IdSchema,
    patientRef: PatientRefSchema,
    payerId: IdSchema,
    planType: PlanTypeSchema,
    urgency: UrgencySchema,
    receivedAt: IsoDateTimeSchema,
    orderedServices: z.array(OrderedServiceSchema).min(1).max(50),
    documents: z.array(ReferralDocumentSchema).max(200),
    /** document kinds that must be received before the scheduling gate opens */
    requiredDocuments: z.array(DocumentKindSchema).max(50),
    /** optional hint from the referring side; eligibility/payer rules decide */
    authRequired: z.boolean().optional(),
    /** who prepared the referral (segregation of duties: cannot approve its billing release) */
    preparerId: IdSchema.optional(),
    /** a second coverage (coordination of benefits): billed after the primary unless the primary crosses the claim over */
    secondaryCoverage: z.object({ payerId: IdSchema, planType: PlanTypeSchema }).strict().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.secondaryCoverage && (r.secondaryCoverage.payerId === r.payerId || r.planType === 'self_pay' || r.secondaryCoverage.planType === 'self_pay')) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['secondaryCoverage'], message: 'must be another payer, and neither coverage self-pay' });
    }
    const seen = new Set<string>();
    r.documents.forEach((d, i) => {
      if (seen.has(d.documentId)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['documents', i, 'documentId'], message: 'duplicate documentId' });
      seen.add(d.documentId);
    });
  });
export type Referral = z.infer<typeof ReferralSchema>;

/** Required document kinds not yet received (in requiredDocuments order, without duplicates). */
export function missingDocuments(referral: Pick<Referral, 'documents' | 'requiredDocuments'>): string[] {
  const received = new Set(referral.documents.filter((d) => d.received).map((d) => d.kind));
  return [...new Set(referral.requiredDocuments)].filter((k) => !received.has(k));
}

/** Signal: a document arrived (or was withdrawn) after intake. */
export const DocumentReceivedSchema = z
  .object({
    messageId: MessageIdSchema,
    documentId: IdSchema,
    kind: DocumentKindSchema,
    received: z.boolean(),
    at: IsoDateTimeSchema,
  })
  .strict();
export type DocumentReceived = z.infer<typeof DocumentReceivedSchema>;

/** Total charge of the ordered services (cents). */
export function referralChargeCents(referral: Pick<Referral, 'orderedServices'>): number {
  return CentsSchema.parse(referral.orderedServices.reduce((sum, s) => sum + s.chargeCents, 0));
}
