import { needsHumanCodingReview } from '../../domain';
import { ai } from '../proxies';
import type { StageContext } from './context';

/**
 * Stage 6: the AI coding check; below the site's confidence threshold — or when a biller sent the claim back with
 * a change request — a human coder reviews it. A review already under way (a rerun after a hold) is not reopened.
 */
export async function coding({ rt, d }: StageContext): Promise<void> {
  if (!d.facts.codingReviewPending) {
    const services = d.facts.services ?? [];
    const suggestion = await ai.suggestCodingChecks({
      siteId: d.siteId,
      cpt: services.map((s) => s.code),
      icd10: [...new Set(services.flatMap((s) => s.icd10))],
    });
    rt.record('AI coding check', { actor: `model:${suggestion.modelId}@${suggestion.modelVersion}`, detail: `${suggestion.label} ${suggestion.confidence.toFixed(2)}` });
    d.facts.coding = { label: suggestion.label, confidence: suggestion.confidence, modelId: suggestion.modelId, modelVersion: suggestion.modelVersion };
    const requested = d.facts.codingReviewRequested;
    if (requested || suggestion.needsHumanReview || needsHumanCodingReview({ confidence: suggestion.confidence, issues: suggestion.issues ?? [] }, d.options.codingConfidenceThreshold)) {
      d.facts.codingReviewPending = true;
      d.facts.codingReview = undefined;
      const why = requested
        ? `changes requested by ${requested.actorId}${requested.reason ? `: ${requested.reason}` : ''}`
        : `coding review: ${suggestion.label} (${suggestion.confidence.toFixed(2)})`;
      await rt.openException('coding_review', why);
    }
  }
  if (d.facts.codingReviewPending) {
    await rt.waitFor('coding review', () => d.facts.codingReview !== undefined, rt.stageLadder('coding'));
    const review = d.facts.codingReview!;
    if (review.outcome === 'corrected' && review.services) d.facts.services = review.services;
    d.facts.codingReviewPending = false;
    d.facts.codingReviewRequested = undefined;
    d.facts.preparerId = review.actorId;
    await rt.closeException('coding_review');
  }
  await rt.transition('coding_done');
}
