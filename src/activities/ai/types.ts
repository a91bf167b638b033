import { z } from 'zod';
import { DENIAL_QUEUES, type DenialQueue } from '../../domain/denials/carc';
import { IdSchema } from '../../domain/schemas/common';

/**
 * AI classification contract. Every answer carries a confidence and the model identity so it stays auditable
 * (DOMAIN.md "AI outputs"); the activities add `needsHumanReview` from the site's threshold.
 */

export const DOCUMENT_LABELS = ['referral_letter', 'clinical_notes', 'denial_letter', 'other'] as const;
export type DocumentLabel = (typeof DOCUMENT_LABELS)[number];

/** Denial categories are the domain's denial work queues (src/domain/denials). */
export const DENIAL_LABELS = DENIAL_QUEUES;
export type DenialLabel = DenialQueue;

export const CODING_LABELS = ['clean', 'needs_review'] as const;
export type CodingLabel = (typeof CODING_LABELS)[number];

export interface Classification<L extends string = string> {
  label: L;
  /** 0..1 */
  confidence: number;
  /** Short explanation built from coded facts; never quotes the document. */
  rationale: string;
  modelId: string;
  modelVersion: string;
  issues?: string[];
}

const MAX_TEXT = 200_000;

export const ClassifyDocumentInputSchema = z.object({
  documentId: IdSchema,
  text: z.string().max(MAX_TEXT),
  siteId: IdSchema,
});
export type ClassifyDocumentInput = z.infer<typeof ClassifyDocumentInputSchema>;

/** CARCs as `CO-197`, `CO197` or `197` (group CO assumed); RARCs as `MA130`, `N115`… */
const CarcSchema = z.string().regex(/^(?:(?:CO|PR|OA|PI|CR)-?)?[A-Z]?\d{1,3}$/i, 'CARC like CO-197 or 197');
const RarcSchema = z.string().regex(/^[A-Z]{1,2}\d{1,4}$/i, 'RARC like MA130 or N115');

export const CategoriseDenialInputSchema = z.object({
  carcs: z.array(CarcSchema).max(50),
  rarcs: z.array(RarcSchema).max(50),
  text: z.string().max(MAX_TEXT).optional(),
});
export type CategoriseDenialInput = z.infer<typeof CategoriseDenialInputSchema>;

/** Codes are checked, not assumed valid: malformed codes are findings, so the schema only bounds size. */
export const SuggestCodingChecksInputSchema = z.object({
  cpt: z.array(z.string().max(20)).max(100),
  icd10: z.array(z.string().max(20)).max(100),
  text: z.string().max(MAX_TEXT).optional(),
});
export type SuggestCodingChecksInput = z.infer<typeof SuggestCodingChecksInputSchema>;

export interface Classifier {
  classifyDocument(input: ClassifyDocumentInput): Promise<Classification<DocumentLabel>>;
  categoriseDenial(input: CategoriseDenialInput): Promise<Classification<DenialLabel>>;
  suggestCodingChecks(input: SuggestCodingChecksInput): Promise<Classification<CodingLabel>>;
}

/** Activity results: the classification plus the routing decision. */
export type Reviewed<C> = C & { needsHumanReview: boolean };

export interface AiActivities {
  classifyDocument(input: ClassifyDocumentInput): Promise<Reviewed<Classification<DocumentLabel>>>;
  /** `siteId` selects the review threshold (default threshold without it). */
  categoriseDenial(input: CategoriseDenialInput & { siteId?: string }): Promise<Reviewed<Classification<DenialLabel>>>;
  suggestCodingChecks(input: SuggestCodingChecksInput & { siteId?: string }): Promise<Reviewed<Classification<CodingLabel>>>;
}
