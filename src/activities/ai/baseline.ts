import { routeDenial, type DenialRoute } from '../../domain/denials/route';
import { Icd10Schema, ProcedureCodeSchema } from '../../domain/schemas/common';
import { codingFacts, denialFacts, documentFacts, type CodingFacts, type DenialFacts, type DocumentFacts } from './facts';
import type { Classification, Classifier, CodingLabel, DenialLabel, DocumentLabel } from './types';

/**
 * Local deterministic classifier: keyword families for document kind, the domain CARC/RARC routing table for denial
 * categories, and format/bundling/E-M-level rules for coding checks. It is the default (no AI endpoint configured)
 * and the reference behaviour the AI emulator reproduces. The `*FromFacts` functions work on PHI-free facts only.
 */

export const BASELINE_MODEL = { modelId: 'rcm-baseline-rules', modelVersion: '1.0.0' } as const;

/** Confidence when a marker says the source itself is unclear: below any sensible review threshold. */
const UNCERTAIN_CAP = 0.4;

const round2 = (n: number) => Math.round(n * 100) / 100;

export function classifyDocumentFromFacts(f: DocumentFacts): Omit<Classification<DocumentLabel>, 'modelId' | 'modelVersion'> {
  const scores: [DocumentLabel, number][] = [
    ['referral_letter', f.keywordHits.referral],
    ['clinical_notes', f.keywordHits.clinical],
    // CARC-like tokens (CO-45, PR-1) are strong evidence of a payer denial / EOB letter.
    ['denial_letter', f.keywordHits.denial + 2 * f.carcLikeCount],
  ];
  scores.sort((a, b) => b[1] - a[1]);
  const [[topLabel, top], [, second]] = scores;
  let label: DocumentLabel;
  let confidence: number;
  let rationale: string;
  if (top === 0) {
    label = 'other';
    confidence = f.wordCount < 20 ? 0.5 : 0.6;
    rationale = 'no referral, clinical-note or denial vocabulary found';
  } else {
    label = topLabel;
    const margin = (top - second) / (top + second + 1);
    const strength = Math.min(1, top / 3);
    confidence = 0.55 + 0.4 * margin * strength;
    rationale = `keyword evidence referral=${f.keywordHits.referral}, clinical=${f.keywordHits.clinical}, denial=${f.keywordHits.denial}, adjustment codes=${f.carcLikeCount}; ${f.wordCount} words`;
  }
  if (f.uncertain) {
    confidence = Math.min(confidence, UNCERTAIN_CAP);
    rationale += '; the document says parts are unclear';
  }
  return { label, confidence: round2(confidence), rationale };
}

/** Split `CO-197` / `CO197` / `197` into group and reason (group CO when absent). */
export function splitCarc(code: string): { group: string; reason: string } {
  const m = /^(CO|PR|OA|PI|CR)-?(.+)$/i.exec(code.trim());
  return m ? { group: m[1].toUpperCase(), reason: m[2].toUpperCase() } : { group: 'CO', reason: code.trim().toUpperCase() };
}

export function categoriseDenialFromFacts(f: DenialFacts): Omit<Classification<DenialLabel>, 'modelId' | 'modelVersion'> {
  if (f.carcs.length === 0) {
    return { label: 'general_review', confidence: f.uncertain ? 0.2 : 0.3, rationale: 'no adjustment reason codes to route on', issues: ['no CARC given'] };
  }
  const routes: DenialRoute[] = f.carcs.map((c) => routeDenial({ ...splitCarc(c), rarcs: f.rarcs }));
  // The category is the first route that needs work; PR/contractual lines only explain the rest of the remit.
  const workable = routes.filter((r) => r.action !== 'patient_statement' && r.action !== 'contractual_adjustment');
  const primary = workable[0] ?? routes[0];
  const queues = new Set((workable.length ? workable : routes).map((r) => r.queue));
  let confidence = !primary.known ? 0.35 : queues.size === 1 ? 0.95 : 0.7;
  if (f.uncertain) confidence = Math.min(confidence, UNCERTAIN_CAP);
  const issues = routes.map((r) => `${r.group}-${r.reason}${r.refinedBy ? `+${r.refinedBy}` : ''}: ${r.queue} → ${r.action}${r.known ? '' : ' (unknown CARC)'}`);
  const rationale = `${primary.group}-${primary.reason} (${primary.description}) routes to ${primary.queue}${queues.size > 1 ? `; other codes point to ${[...queues].filter((q) => q !== primary.queue).join(', ')}` : ''}`;
  return { label: primary.queue, confidence, rationale, issues };
}

/**
 * Illustrative column-1/column-2 pairs in the spirit of NCCI procedure-to-procedure edits (the licensed NCCI tables
 * are far larger and change quarterly): billing both on one date usually needs a modifier or is not payable.
 */
export const BUNDLING_PAIRS: readonly [string, string, string][] = [
  ['93000', '93010', 'complete ECG includes the interpretation-only code'],
  ['80053', '80048', 'comprehensive metabolic panel includes the basic panel'],
  ['45380', '45378', 'colonoscopy with biopsy includes the diagnostic colonoscopy'],
  ['71046', '71045', 'two-view chest X-ray includes the single view'],
  ['29881', '29880', 'medial/lateral meniscectomy codes are mutually exclusive'],
  ['97530', '97140', 'therapeutic activities with manual therapy needs modifier 59/X{EPSU}'],
  ['20611', '20610', 'arthrocentesis with and without ultrasound guidance are mutually exclusive'],
];

const EM_CODES = /^992(0[2-5]|1[1-5])$/;
/** Minimum note length (words) below which a high E/M level is implausible. A plausibility check, not MDM scoring. */
const EM_MIN_WORDS: Record<string, number> = { '99204': 150, '99214': 150, '99205': 250, '99215': 250 };

export function codingChecksFromFacts(f: CodingFacts): Omit<Classification<CodingLabel>, 'modelId' | 'modelVersion'> {
  const issues: string[] = [];
  let certainty = 0.9;
  const lower = (c: number) => (certainty = Math.min(certainty, c));

  for (const code of f.cpt) if (!ProcedureCodeSchema.safeParse(code).success) issues.push(`procedure code ${code} is not a valid CPT/HCPCS format`);
  for (const code of f.icd10) if (!Icd10Schema.safeParse(code).success) issues.push(`diagnosis ${code} is not a valid ICD-10-CM format`);
  if (f.cpt.length === 0) issues.push('no procedure codes');
  if (f.icd10.length === 0) issues.push('no diagnosis codes: every service line needs at least one ICD-10-CM pointer');

  const cpts = new Set(f.cpt);
  for (const [col1, col2, why] of BUNDLING_PAIRS) if (cpts.has(col1) && cpts.has(col2)) issues.push(`${col1} with ${col2}: ${why}`);
  const em = f.cpt.filter((c) => EM_CODES.test(c));
  if (new Set(em).size > 1) issues.push(`more than one E/M level billed (${[...new Set(em)].join(', ')})`);

  if (f.notesWordCount === null) {
    if (em.length > 0) lower(0.75); // E/M level cannot be checked without the note
  } else {
    for (const code of em) {
      const min = EM_MIN_WORDS[code];
      if (min !== undefined && f.notesWordCount < min) {
        issues.push(`E/M ${code} with a ${f.notesWordCount}-word note: documentation may not support the level`);
        lower(0.65);
      }
    }
  }
  if (f.uncertain) lower(UNCERTAIN_CAP);
  const label: CodingLabel = issues.length ? 'needs_review' : 'clean';
  const rationale = issues.length ? `${issues.length} coding finding(s) in ${f.cpt.length} procedure and ${f.icd10.length} diagnosis codes` : `${f.cpt.length} procedure and ${f.icd10.length} diagnosis codes passed format, bundling and E/M checks`;
  return { label, confidence: certainty, rationale, ...(issues.length ? { issues } : {}) };
}

export function createBaselineClassifier(): Classifier {
  return {
    async classifyDocument(input) {
      return { ...classifyDocumentFromFacts(documentFacts(input.text)), ...BASELINE_MODEL };
    },
    async categoriseDenial(input) {
      return { ...categoriseDenialFromFacts(denialFacts(input)), ...BASELINE_MODEL };
    },
    async suggestCodingChecks(input) {
      return { ...codingChecksFromFacts(codingFacts(input)), ...BASELINE_MODEL };
    },
  };
}
