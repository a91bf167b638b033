import { z } from 'zod';

/**
 * PHI-free facts derived from free text. These — never the text — are what leaves the process when PHI may not be
 * shared (AI_ALLOW_PHI unset): keyword-family counts, counts of code-like tokens, word count and an "uncertain"
 * flag. No names, dates, identifiers or code values are extracted from notes (a 5-digit "CPT" could be a ZIP code,
 * an 8-digit number an MRN). Coded inputs the caller already holds (CARCs, CPT/ICD-10 lists) are facts by themselves.
 */

export const KEYWORDS = {
  referral: ['referral', 'refer', 'referred', 'referring', 'reason for referral', 'consultation request', 'consult request', 'please evaluate', 'evaluate and treat', 'kindly see', 'thank you for seeing'],
  clinical: ['chief complaint', 'history of present illness', 'hpi', 'assessment', 'plan', 'vitals', 'blood pressure', 'physical exam', 'examination', 'progress note', 'subjective', 'objective', 'medications', 'review of systems', 'follow up', 'follow-up'],
  denial: ['denied', 'denial', 'not covered', 'adjustment reason', 'remark code', 'appeal', 'explanation of benefits', 'remittance', 'not medically necessary', 'reconsideration', 'claim adjustment', 'carc', 'rarc'],
} as const;
export type KeywordFamily = keyof typeof KEYWORDS;

const UNCERTAIN = /\b(?:unclear|illegible|unreadable|uncertain|cannot determine|can't determine|indeterminate)\b|\?\?/i;

export const DocumentFactsSchema = z.object({
  wordCount: z.number().int().nonnegative(),
  keywordHits: z.object({ referral: z.number().int().nonnegative(), clinical: z.number().int().nonnegative(), denial: z.number().int().nonnegative() }),
  icd10LikeCount: z.number().int().nonnegative(),
  carcLikeCount: z.number().int().nonnegative(),
  uncertain: z.boolean(),
});
export type DocumentFacts = z.infer<typeof DocumentFactsSchema>;

function escape(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const FAMILY_PATTERNS = Object.fromEntries(
  (Object.keys(KEYWORDS) as KeywordFamily[]).map((family) => [family, new RegExp(`\\b(?:${KEYWORDS[family].map(escape).join('|')})\\b`, 'gi')]),
) as Record<KeywordFamily, RegExp>;

export function countWords(text: string): number {
  return (text.match(/[A-Za-z0-9][A-Za-z0-9'’-]*/g) ?? []).length;
}

export function isUncertain(text: string | undefined): boolean {
  return text !== undefined && UNCERTAIN.test(text);
}

export function documentFacts(text: string): DocumentFacts {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return {
    wordCount: countWords(text),
    keywordHits: { referral: count(FAMILY_PATTERNS.referral), clinical: count(FAMILY_PATTERNS.clinical), denial: count(FAMILY_PATTERNS.denial) },
    icd10LikeCount: count(/\b[A-TV-Z]\d{2}\.[0-9A-Z]{1,4}\b/g),
    carcLikeCount: count(/\b(?:CO|PR|OA|PI)-\d{1,3}\b/g),
    uncertain: isUncertain(text),
  };
}

export const DenialFactsSchema = z.object({
  carcs: z.array(z.string()),
  rarcs: z.array(z.string()),
  uncertain: z.boolean(),
});
export type DenialFacts = z.infer<typeof DenialFactsSchema>;

export const CodingFactsSchema = z.object({
  cpt: z.array(z.string()),
  icd10: z.array(z.string()),
  /** Word count of the clinical note, when one was given (E/M level plausibility). */
  notesWordCount: z.number().int().nonnegative().nullable(),
  uncertain: z.boolean(),
});
export type CodingFacts = z.infer<typeof CodingFactsSchema>;

export function denialFacts(input: { carcs: string[]; rarcs: string[]; text?: string }): DenialFacts {
  return { carcs: input.carcs, rarcs: input.rarcs, uncertain: isUncertain(input.text) };
}

export function codingFacts(input: { cpt: string[]; icd10: string[]; text?: string }): CodingFacts {
  return {
    cpt: input.cpt.map((c) => c.trim().toUpperCase()),
    icd10: input.icd10.map((c) => c.trim().toUpperCase()),
    notesWordCount: input.text === undefined ? null : countWords(input.text),
    uncertain: isUncertain(input.text),
  };
}
