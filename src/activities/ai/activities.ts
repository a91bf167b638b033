import { z } from 'zod';
import { validInput } from '../payer/validate';
import {
  CategoriseDenialInputSchema,
  ClassifyDocumentInputSchema,
  SuggestCodingChecksInputSchema,
  type AiActivities,
  type Classification,
  type Classifier,
  type Reviewed,
} from './types';

export interface ReviewThresholds {
  /** Confidence below which a site's results go to human review, 0..1. */
  thresholds: Record<string, number>;
  defaultThreshold: number;
}

const ThresholdsSchema = z.object({
  thresholds: z.record(z.number().min(0).max(1)),
  defaultThreshold: z.number().min(0).max(1),
});

const SiteSchema = z.object({ siteId: z.string().min(1).max(64).optional() });

/**
 * AI activities: validate the input, classify, and mark `needsHumanReview` when the confidence is below the site's
 * threshold (DOMAIN.md: below threshold → human review; above → proceed, auditable by model id/version/confidence).
 * Classifier failures (rate limits, timeouts, invalid model output) propagate as typed ApplicationFailures.
 */
export function createAiActivities(classifier: Classifier, review: ReviewThresholds): AiActivities {
  const { thresholds, defaultThreshold } = ThresholdsSchema.parse(review);
  const threshold = (siteId: string | undefined) => (siteId !== undefined && thresholds[siteId] !== undefined ? thresholds[siteId] : defaultThreshold);
  const reviewed = <C extends Classification>(c: C, siteId: string | undefined): Reviewed<C> => ({ ...c, needsHumanReview: c.confidence < threshold(siteId) });

  return {
    async classifyDocument(input) {
      const valid = validInput(ClassifyDocumentInputSchema, input, 'classifyDocument');
      return reviewed(await classifier.classifyDocument(valid), valid.siteId);
    },
    async categoriseDenial(input) {
      const { siteId, ...valid } = validInput(CategoriseDenialInputSchema.merge(SiteSchema), input, 'categoriseDenial');
      return reviewed(await classifier.categoriseDenial(valid), siteId);
    },
    async suggestCodingChecks(input) {
      const { siteId, ...valid } = validInput(SuggestCodingChecksInputSchema.merge(SiteSchema), input, 'suggestCodingChecks');
      return reviewed(await classifier.suggestCodingChecks(valid), siteId);
    },
  };
}
