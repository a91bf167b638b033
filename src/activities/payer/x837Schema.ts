import { z } from 'zod';
import { PlanTypeSchema } from '../../domain/schemas/common';
import { CobSubmissionSchema, SecondaryCobSchema } from '../../domain/x12/cob837';
import { SubmitClaimInputSchema } from './types';
import { ClaimFilingIndicatorSchema } from './x837Filing';

/**
 * What an 837P needs beyond the journey's claim input. Split in two on purpose:
 * - `ClaimSubmissionSchema`: the payer activity's input. Opaque refs and coded facts only (patientRef, subscriberRef,
 *   relationship, plan type, rendering NPI, the primary's adjudication in cents): no names, no dates of birth.
 * - `ClaimDemographicsSchema`: the people on the claim, which the activity reads from the system of record (Odoo) at
 *   submit time and never logs or returns. The CLI takes them inline from a (synthetic) example file.
 */

const Text = (max: number) => z.string().trim().min(1).max(max);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real date');
const Npi = z.string().regex(/^\d{10}$/, 'must be a 10-digit NPI');
const OpaqueRef = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be an opaque id');

/** PAT01 / SBR02 individual relationship codes (element 1069) the 837P allows for a dependent patient. */
export const PatientRelationshipSchema = z.enum(['01', '19', '20', '21', '39', '40', '53', 'G8']);
export type PatientRelationship = z.infer<typeof PatientRelationshipSchema>;

export const PostalAddressSchema = z.object({
  line1: Text(55),
  line2: Text(55).optional(),
  city: Text(30),
  state: z.string().regex(/^[A-Z]{2}$/, 'must be a 2-letter state code'),
  /** 5 or 9 digits (ZIP or ZIP+4; a dash is accepted and dropped). */
  zip: z
    .string()
    .regex(/^\d{5}(-?\d{4})?$/, 'must be a 5- or 9-digit ZIP')
    .transform((z) => z.replace('-', '')),
});
export type PostalAddress = z.output<typeof PostalAddressSchema>;

export const PersonSchema = z.object({
  last: Text(60),
  first: Text(35).optional(),
  middle: Text(25).optional(),
  address: PostalAddressSchema,
  birthDate: IsoDate,
  /** DMG03: F female, M male, U unknown. */
  gender: z.enum(['F', 'M', 'U']),
});
export type Person = z.output<typeof PersonSchema>;

export const RenderingProviderSchema = z.object({
  npi: Npi,
  last: Text(60),
  first: Text(35).optional(),
  /** Health care provider taxonomy code (PRV03), when the payer asks for it. */
  taxonomy: z.string().regex(/^[0-9A-Z]{9}X$/, 'must be a 10-character taxonomy code').optional(),
});
export type RenderingProvider = z.output<typeof RenderingProviderSchema>;

/** Frequency 7 (replacement) and 8 (void) must name the payer's claim control number of the claim they change (REF*F8). */
function requireOriginalClaim(value: { frequencyCode: string; payerClaimControlNumber?: string }, ctx: z.RefinementCtx): void {
  if (value.frequencyCode !== '1' && !value.payerClaimControlNumber) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['payerClaimControlNumber'], message: `frequency ${value.frequencyCode} needs the payer claim control number (REF*F8)` });
  }
}

const ClaimExtras = {
  /** Patient's Odoo partner ref. Defaults to memberRef (the journey uses the patient ref as member surrogate). */
  patientRef: OpaqueRef.optional(),
  /** Subscriber's partner ref when the patient is a dependent; defaults to patientRef. */
  subscriberRef: OpaqueRef.optional(),
  /** Patient's relationship to the subscriber; absent = the patient is the subscriber (SBR02 = 18). */
  patientRelationship: PatientRelationshipSchema.optional(),
  planType: PlanTypeSchema.optional(),
  /** Overrides the plan type's default SBR09 (e.g. BL for a Blues plan). */
  claimFilingIndicator: ClaimFilingIndicatorSchema.optional(),
  renderingProvider: RenderingProviderSchema.optional(),
};

/** The submit activity's input: the journey's claim plus coded 837 facts, no PHI. */
export const ClaimSubmissionSchema = SubmitClaimInputSchema.extend({
  ...ClaimExtras,
  /** The primary's adjudication: present → this claim goes to the secondary payer with 2320/2330 (and 2430). */
  cob: CobSubmissionSchema.optional(),
})
  .superRefine(requireOriginalClaim)
  .superRefine((v, ctx) => {
    if (v.patientRelationship && !v.subscriberRef) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['subscriberRef'], message: 'a dependent patient needs the subscriber ref' });
  });
export type ClaimSubmission = z.input<typeof ClaimSubmissionSchema>;

/** The people on the claim, as read from the system of record (or given inline to the CLI). */
export const ClaimDemographicsSchema = z.object({
  subscriber: PersonSchema,
  /** Present when the patient is not the subscriber (2000C). */
  patient: PersonSchema.optional(),
  /** The other payer's subscriber on a secondary claim (2330A). */
  otherSubscriber: PersonSchema.optional(),
});
export type ClaimDemographics = z.output<typeof ClaimDemographicsSchema>;

/** A whole claim as the CLI renders it: the submission plus inline (synthetic) demographics. */
export const ClaimRenderInputSchema = SubmitClaimInputSchema.extend({
  ...ClaimExtras,
  subscriber: PersonSchema,
  patient: PersonSchema.optional(),
  /** COB with the other subscriber's name inline (the activity reads it from Odoo instead). */
  cob: SecondaryCobSchema.optional(),
})
  .superRefine(requireOriginalClaim)
  .superRefine((v, ctx) => {
    if (v.patientRelationship && !v.patient) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['patient'], message: 'a dependent patient (patientRelationship) needs the patient demographics' });
    if (!v.patientRelationship && v.patient) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['patientRelationship'], message: 'patient demographics given without the relationship to the subscriber' });
  });
export type ClaimRenderInput = z.input<typeof ClaimRenderInputSchema>;
