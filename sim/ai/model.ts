import { z } from 'zod';

/**
 * The AI emulator's own deterministic "model". It answers the three tasks from the PHI-free facts the client sends
 * (or from the text, when the client may send it), following the behaviour the product documents for its model
 * (docs: keyword families for documents, CARC/RARC categories for denials, format/bundling/E-M checks for coding).
 * Written here, not imported, so the emulator and the product's baseline classifier can disagree when either is wrong.
 */
export const TASKS = { document: 'document_classification', denial: 'denial_categorisation', coding: 'coding_checks' } as const;
export type Task = (typeof TASKS)[keyof typeof TASKS];

export interface Answer {
  label: string;
  confidence: number;
  rationale: string;
  issues?: string[];
}

const count = z.number().int().nonnegative();
export const DocumentFacts = z.object({ wordCount: count, keywordHits: z.object({ referral: count, clinical: count, denial: count }), icd10LikeCount: count, carcLikeCount: count, uncertain: z.boolean() });
export const DenialFacts = z.object({ carcs: z.array(z.string()), rarcs: z.array(z.string()), uncertain: z.boolean() });
export const CodingFacts = z.object({ cpt: z.array(z.string()), icd10: z.array(z.string()), notesWordCount: count.nullable(), uncertain: z.boolean() });

/** Below any sensible review threshold: the source itself says it is unclear. */
const UNCLEAR_CAP = 0.4;
const UNCLEAR = /\b(?:unclear|illegible|unreadable|uncertain|cannot determine|can't determine|indeterminate)\b|\?\?/i;
const cents2 = (n: number) => Math.round(n * 100) / 100;

// ------------------------------------------------------------------ documents

const FAMILIES: Record<'referral' | 'clinical' | 'denial', string[]> = {
  referral: ['reason for referral', 'consultation request', 'consult request', 'please evaluate', 'evaluate and treat', 'kindly see', 'thank you for seeing', 'referring', 'referred', 'referral', 'refer'],
  clinical: ['history of present illness', 'review of systems', 'chief complaint', 'blood pressure', 'physical exam', 'progress note', 'examination', 'assessment', 'medications', 'subjective', 'objective', 'follow-up', 'follow up', 'vitals', 'plan', 'hpi'],
  denial: ['explanation of benefits', 'not medically necessary', 'adjustment reason', 'claim adjustment', 'reconsideration', 'not covered', 'remark code', 'remittance', 'denied', 'denial', 'appeal', 'carc', 'rarc'],
};

/** Count non-overlapping phrase hits, longest phrase first at each position, whole words only. */
function phraseHits(text: string, phrases: string[]): number {
  const lower = text.toLowerCase();
  let hits = 0;
  for (let i = 0; i < lower.length; ) {
    const before = i === 0 ? ' ' : lower[i - 1];
    const hit = /[a-z0-9_]/.test(before) ? undefined : phrases.find((p) => lower.startsWith(p, i) && !/[a-z0-9_]/.test(lower[i + p.length] ?? ' '));
    if (hit) {
      hits++;
      i += hit.length;
    } else i++;
  }
  return hits;
}

export function documentFactsOf(text: string): z.infer<typeof DocumentFacts> {
  return {
    wordCount: (text.match(/[A-Za-z0-9][A-Za-z0-9'’-]*/g) ?? []).length,
    keywordHits: { referral: phraseHits(text, FAMILIES.referral), clinical: phraseHits(text, FAMILIES.clinical), denial: phraseHits(text, FAMILIES.denial) },
    icd10LikeCount: (text.match(/\b[A-TV-Z]\d{2}\.[0-9A-Z]{1,4}\b/g) ?? []).length,
    carcLikeCount: (text.match(/\b(?:CO|PR|OA|PI)-\d{1,3}\b/g) ?? []).length,
    uncertain: UNCLEAR.test(text),
  };
}

/** Strongest family wins; confidence grows with its lead over the runner-up and with the evidence (saturating at 3). */
export function classifyDocument(f: z.infer<typeof DocumentFacts>): Answer {
  const evidence = { referral_letter: f.keywordHits.referral, clinical_notes: f.keywordHits.clinical, denial_letter: f.keywordHits.denial + 2 * f.carcLikeCount };
  const ranked = Object.entries(evidence).sort((a, b) => b[1] - a[1]);
  const [[best, top], [, next]] = ranked;
  let answer: Answer;
  if (top === 0) answer = { label: 'other', confidence: f.wordCount < 20 ? 0.5 : 0.6, rationale: 'no family of referral, clinical or denial wording present' };
  else answer = { label: best, confidence: 0.55 + 0.4 * ((top - next) / (top + next + 1)) * Math.min(1, top / 3), rationale: `evidence ${ranked.map(([k, v]) => `${k}=${v}`).join(', ')} over ${f.wordCount} words` };
  if (f.uncertain) answer = { ...answer, confidence: Math.min(answer.confidence, UNCLEAR_CAP), rationale: `${answer.rationale}; source marked unclear` };
  return { ...answer, confidence: cents2(answer.confidence) };
}

// ------------------------------------------------------------------ denials

/** CARC (X12 code source 139) → work queue and next action, for the codes this emulator knows. */
const CARC: Record<string, [queue: string, action: string]> = {
  '1': ['patient_responsibility', 'patient_statement'], '2': ['patient_responsibility', 'patient_statement'], '3': ['patient_responsibility', 'patient_statement'],
  '45': ['contractual', 'contractual_adjustment'], '253': ['contractual', 'contractual_adjustment'], '59': ['contractual', 'contractual_adjustment'],
  '16': ['documentation', 'corrected_claim'], '252': ['documentation', 'send_records'], '226': ['documentation', 'send_records'],
  '4': ['coding', 'corrected_claim'], '5': ['coding', 'corrected_claim'], '6': ['coding', 'corrected_claim'], '11': ['coding', 'corrected_claim'], '97': ['coding', 'appeal'], '236': ['coding', 'corrected_claim'],
  '15': ['authorization', 'appeal'], '197': ['authorization', 'appeal'], '198': ['authorization', 'appeal'],
  '50': ['medical_necessity', 'appeal'], '56': ['medical_necessity', 'appeal'], '150': ['medical_necessity', 'appeal'], '151': ['medical_necessity', 'appeal'],
  '22': ['eligibility_cob', 'rebill_other_payer'], '23': ['eligibility_cob', 'rebill_other_payer'], '27': ['eligibility_cob', 'reverify_coverage'], '31': ['eligibility_cob', 'reverify_coverage'], '109': ['eligibility_cob', 'rebill_other_payer'],
  '29': ['timely_filing', 'appeal'], '18': ['duplicate', 'verify_original'],
  'B7': ['credentialing', 'enrollment_fix'], '52': ['credentialing', 'enrollment_fix'], '185': ['credentialing', 'enrollment_fix'],
};
const EXPLAINS_REMIT = new Set(['patient_statement', 'contractual_adjustment']);

export function categoriseDenial(f: z.infer<typeof DenialFacts>): Answer {
  if (f.carcs.length === 0) return { label: 'general_review', confidence: f.uncertain ? 0.2 : 0.3, rationale: 'nothing to route: no adjustment reason code', issues: ['no CARC given'] };
  // MA130 (claim lacks information: not appealable, submit a new claim) overrides the CARC's own next step.
  const ma130 = f.rarcs.map((r) => r.toUpperCase()).includes('MA130');
  const routes = f.carcs.map((raw) => {
    const m = /^(CO|PR|OA|PI|CR)-?(.+)$/i.exec(raw.trim());
    const group = m ? m[1].toUpperCase() : 'CO';
    const reason = (m ? m[2] : raw).trim().toUpperCase();
    const known = CARC[reason];
    let [queue, action] = known ?? ['general_review', 'general_review'];
    if (known && group === 'PR') [queue, action] = ['patient_responsibility', 'patient_statement'];
    if (known && ma130) [queue, action] = ['documentation', 'new_claim'];
    return { code: `${group}-${reason}${known && ma130 ? '+MA130' : ''}`, queue, action, known: !!known };
  });
  const work = routes.filter((r) => !EXPLAINS_REMIT.has(r.action));
  const lead = work[0] ?? routes[0];
  const queues = new Set((work.length > 0 ? work : routes).map((r) => r.queue));
  let confidence = !lead.known ? 0.35 : queues.size === 1 ? 0.95 : 0.7;
  if (f.uncertain) confidence = Math.min(confidence, UNCLEAR_CAP);
  return {
    label: lead.queue,
    confidence,
    rationale: `${lead.code} routes to ${lead.queue}${queues.size > 1 ? ` (also ${[...queues].filter((q) => q !== lead.queue).join(', ')})` : ''}`,
    issues: routes.map((r) => `${r.code}: ${r.queue} → ${r.action}${r.known ? '' : ' (unknown CARC)'}`),
  };
}

// ------------------------------------------------------------------ coding

/** Column-1/column-2 pairs in the spirit of NCCI procedure-to-procedure edits (illustrative, not the licensed tables). */
const PAIRS: [string, string, string][] = [
  ['93000', '93010', 'the complete ECG already includes the interpretation'],
  ['80053', '80048', 'the comprehensive panel already includes the basic panel'],
  ['45380', '45378', 'the biopsy colonoscopy already includes the diagnostic one'],
  ['71046', '71045', 'two views include the single view'],
  ['29881', '29880', 'meniscectomy codes are mutually exclusive'],
  ['97530', '97140', 'needs modifier 59 or X{EPSU} to be billed together'],
  ['20611', '20610', 'with and without ultrasound guidance are mutually exclusive'],
];
const CPT = /^(?:\d{4}[0-9FTU]|[A-V]\d{4})$/;
const ICD10 = /^[A-TV-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?$/;
const EM = /^992(?:0[2-5]|1[1-5])$/;
const EM_WORDS: Record<string, number> = { '99204': 150, '99214': 150, '99205': 250, '99215': 250 };

export function codingChecks(f: z.infer<typeof CodingFacts>): Answer {
  const cpt = f.cpt.map((c) => c.trim().toUpperCase());
  const icd = f.icd10.map((c) => c.trim().toUpperCase());
  const issues: string[] = [];
  let confidence = 0.9;
  for (const c of cpt) if (!CPT.test(c)) issues.push(`procedure code ${c} is not a CPT/HCPCS code`);
  for (const c of icd) if (!ICD10.test(c)) issues.push(`diagnosis ${c} is not an ICD-10-CM code`);
  if (cpt.length === 0) issues.push('no procedure codes');
  if (icd.length === 0) issues.push('no diagnosis codes');
  for (const [a, b, why] of PAIRS) if (cpt.includes(a) && cpt.includes(b)) issues.push(`${a} with ${b}: ${why}`);
  const em = [...new Set(cpt.filter((c) => EM.test(c)))];
  if (em.length > 1) issues.push(`several E/M levels billed (${em.join(', ')})`);
  if (f.notesWordCount === null) {
    if (em.length > 0) confidence = Math.min(confidence, 0.75);
  } else {
    for (const code of em) {
      if (EM_WORDS[code] !== undefined && f.notesWordCount < EM_WORDS[code]) {
        issues.push(`E/M ${code} on a ${f.notesWordCount}-word note may not be supported`);
        confidence = Math.min(confidence, 0.65);
      }
    }
  }
  if (f.uncertain) confidence = Math.min(confidence, UNCLEAR_CAP);
  return issues.length > 0
    ? { label: 'needs_review', confidence, rationale: `${issues.length} finding(s)`, issues }
    : { label: 'clean', confidence, rationale: `${cpt.length} procedure and ${icd.length} diagnosis codes passed` };
}

export function answerTask(task: Task, payload: Record<string, unknown>): Answer {
  if (task === TASKS.document) return classifyDocument(typeof payload.documentText === 'string' ? documentFactsOf(payload.documentText) : DocumentFacts.parse(payload.facts));
  if (task === TASKS.denial) return categoriseDenial(DenialFacts.parse(payload.facts));
  return codingChecks(CodingFacts.parse(payload.facts));
}
