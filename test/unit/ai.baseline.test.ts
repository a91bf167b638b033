import { ApplicationFailure } from '@temporalio/common';
import { AiConfigError, aiConfigFromEnv, createAiActivities, createBaselineClassifier } from '../../src/activities/ai';
import { documentFacts } from '../../src/activities/ai/facts';

const REFERRAL = `Dear Dr. Patel,
Thank you for seeing this patient. Reason for referral: persistent right knee pain despite physical therapy.
I am referring her for orthopedic evaluation; please evaluate and treat as you see fit. Imaging enclosed.
Kind regards, Dr. Gomez`;

const NOTES = `Progress note. Chief complaint: low back pain. History of present illness: 3 weeks of lumbar pain after lifting.
Subjective: pain 6/10. Objective: vitals stable, blood pressure 128/82. Physical exam: paraspinal tenderness.
Assessment: lumbar strain M54.50. Plan: NSAIDs, physical therapy, follow up in 4 weeks. Medications reviewed.`;

const DENIAL = `Explanation of benefits. Your claim was denied. Claim adjustment reason CO-197: precertification/authorization absent.
Remark code N54. You may request reconsideration or file an appeal within 120 days.`;

const baseline = createBaselineClassifier();

describe('baseline document classification', () => {
  test.each([
    ['referral letter', REFERRAL, 'referral_letter'],
    ['clinical notes', NOTES, 'clinical_notes'],
    ['denial letter', DENIAL, 'denial_letter'],
    ['anything else', 'Parking permit renewal for lot B, valid through December.', 'other'],
  ])('%s', async (_name, text, label) => {
    const r = await baseline.classifyDocument({ documentId: 'DOC-1', text, siteId: 'site1' });
    expect(r.label).toBe(label);
    expect(r.modelId).toBe('rcm-baseline-rules');
    expect(r.modelVersion).toBe('1.0.0');
    if (label !== 'other') expect(r.confidence).toBeGreaterThanOrEqual(0.8);
    else expect(r.confidence).toBeLessThan(0.8);
  });

  test('an "unclear" marker caps the confidence', async () => {
    const r = await baseline.classifyDocument({ documentId: 'DOC-2', text: `${REFERRAL}\nHandwriting on page 2 is illegible; dosage unclear.`, siteId: 'site1' });
    expect(r.label).toBe('referral_letter');
    expect(r.confidence).toBeLessThanOrEqual(0.4);
  });

  test('the rationale never quotes the document', async () => {
    const r = await baseline.classifyDocument({ documentId: 'DOC-3', text: REFERRAL, siteId: 'site1' });
    expect(r.rationale).not.toMatch(/Patel|Gomez|knee/);
  });

  test('facts carry counts only', () => {
    const f = documentFacts(`${NOTES} John Smith MRN 12345678 lives at 62701`);
    expect(JSON.stringify(f)).not.toMatch(/John|Smith|12345678|62701|M54/);
    expect(f.icd10LikeCount).toBe(1);
  });
});

describe('baseline denial categorisation (domain CARC routing)', () => {
  test.each([
    [['CO-197'], [], 'authorization', 0.95],
    [['29'], [], 'timely_filing', 0.95],
    [['CO-45', 'PR-2', 'CO-16'], ['MA130'], 'documentation', 0.95],
    [['CO-50', 'CO-197'], [], 'medical_necessity', 0.7],
    [['CO-45'], [], 'contractual', 0.95],
    [['CO-999'], [], 'general_review', 0.35],
    [[], [], 'general_review', 0.3],
  ])('%j + %j → %s', async (carcs, rarcs, label, confidence) => {
    const r = await baseline.categoriseDenial({ carcs, rarcs });
    expect(r.label).toBe(label);
    expect(r.confidence).toBe(confidence);
  });

  test('findings per code, MA130 refinement visible', async () => {
    const r = await baseline.categoriseDenial({ carcs: ['CO-16'], rarcs: ['MA130'], text: 'Remark MA130.' });
    expect(r.issues).toEqual(['CO-16+MA130: documentation → new_claim']);
  });
});

describe('baseline coding checks', () => {
  const longNote = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');

  test('clean claim with a note', async () => {
    const r = await baseline.suggestCodingChecks({ cpt: ['99214', '20610'], icd10: ['M17.11', 'M54.50'], text: longNote });
    expect(r).toMatchObject({ label: 'clean', confidence: 0.9 });
    expect(r.issues).toBeUndefined();
  });

  test('format, bundling, duplicate E/M and level-vs-note findings', async () => {
    const r = await baseline.suggestCodingChecks({ cpt: ['99215', '99213', '93000', '93010', 'ABC12'], icd10: ['M54.50', 'U07'], text: 'Brief visit.' });
    expect(r.label).toBe('needs_review');
    expect(r.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ABC12 is not a valid CPT/),
        expect.stringMatching(/U07 is not a valid ICD-10/),
        expect.stringMatching(/^93000 with 93010/),
        expect.stringMatching(/more than one E\/M level/),
        expect.stringMatching(/E\/M 99215 with a 2-word note/),
      ]),
    );
    expect(r.confidence).toBeLessThan(0.8);
  });

  test('no diagnosis codes is a finding; E/M without a note lowers confidence', async () => {
    expect((await baseline.suggestCodingChecks({ cpt: ['20610'], icd10: [] })).issues).toEqual([expect.stringMatching(/no diagnosis codes/)]);
    expect(await baseline.suggestCodingChecks({ cpt: ['99213'], icd10: ['M54.50'] })).toMatchObject({ label: 'clean', confidence: 0.75 });
  });
});

describe('AI activities (threshold → needsHumanReview)', () => {
  const ai = createAiActivities(baseline, { thresholds: { strict: 0.99, lenient: 0.5 }, defaultThreshold: 0.8 });

  test('per-site thresholds', async () => {
    expect((await ai.classifyDocument({ documentId: 'D1', text: NOTES, siteId: 'site1' })).needsHumanReview).toBe(false);
    expect((await ai.classifyDocument({ documentId: 'D1', text: NOTES, siteId: 'strict' })).needsHumanReview).toBe(true);
    const unclear = `${NOTES} Assessment unclear.`;
    expect((await ai.classifyDocument({ documentId: 'D1', text: unclear, siteId: 'site1' })).needsHumanReview).toBe(true);
    expect((await ai.categoriseDenial({ carcs: ['CO-50', 'CO-197'], rarcs: [] })).needsHumanReview).toBe(true);
    expect((await ai.categoriseDenial({ carcs: ['CO-50', 'CO-197'], rarcs: [], siteId: 'lenient' })).needsHumanReview).toBe(false);
    const coding = await ai.suggestCodingChecks({ cpt: ['99213'], icd10: ['M54.50'], siteId: 'site1' });
    expect(coding).toMatchObject({ label: 'clean', confidence: 0.75, needsHumanReview: true, modelId: 'rcm-baseline-rules' });
  });

  test('invalid input → non-retryable ValidationError', async () => {
    const err = await ai.classifyDocument({ documentId: 'has spaces', text: 'x', siteId: 'site1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    await expect(ai.categoriseDenial({ carcs: ['not a code'], rarcs: [] })).rejects.toMatchObject({ type: 'ValidationError' });
  });

  test('thresholds are validated', () => {
    expect(() => createAiActivities(baseline, { thresholds: { a: 1.5 }, defaultThreshold: 0.8 })).toThrow();
  });
});

describe('aiConfigFromEnv', () => {
  test('absent → undefined (baseline)', () => {
    expect(aiConfigFromEnv({})).toBeUndefined();
    expect(aiConfigFromEnv({ AI_ALLOW_PHI: 'false', AI_BASE_URL: '' })).toBeUndefined();
  });

  test('endpoint config', () => {
    expect(aiConfigFromEnv({ AI_BASE_URL: 'https://llm.internal/v1/', AI_MODEL: 'gpt-4o-mini', AI_API_KEY: 'k', AI_ALLOW_PHI: 'TRUE' })).toEqual({
      baseUrl: 'https://llm.internal/v1',
      model: 'gpt-4o-mini',
      apiKey: 'k',
      timeoutMs: 20_000,
      allowPhi: true,
    });
    expect(aiConfigFromEnv({ AI_BASE_URL: 'http://x/v1', AI_MODEL: 'm' })?.allowPhi).toBe(false);
  });

  test('one clear error', () => {
    expect(() => aiConfigFromEnv({ AI_BASE_URL: 'http://x/v1' })).toThrow(AiConfigError);
    expect(() => aiConfigFromEnv({ AI_BASE_URL: 'http://x/v1' })).toThrow(/AI_BASE_URL and AI_MODEL must be set together/);
    expect(() => aiConfigFromEnv({ AI_BASE_URL: 'nope', AI_MODEL: 'm', AI_ALLOW_PHI: 'maybe' })).toThrow(/AI_BASE_URL.*AI_ALLOW_PHI/);
  });
});
