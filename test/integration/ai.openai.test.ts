import { startAiEmulator, type AiEmulator } from '../../sim/ai';
import { aiConfigFromEnv, createAiActivities, createBaselineClassifier, createOpenAiCompatibleClassifier, type OpenAiClassifier } from '../../src/activities/ai';
import { failureOf } from '../support/failures';

/** The OpenAI-compatible classifier against the AI emulator over real HTTP (127.0.0.1, port 0). */

const PHI_LETTER = `Referral for John Smith, DOB 01/02/1960, MRN 12345678, 12 Elm Street.
Reason for referral: chronic knee pain. Thank you for seeing this patient; please evaluate and treat.`;


describe('OpenAI-compatible classifier ↔ AI emulator', () => {
  let emu: AiEmulator;
  let classifier: OpenAiClassifier;

  beforeAll(async () => {
    emu = await startAiEmulator({ apiKey: 'sk-test' });
    classifier = createOpenAiCompatibleClassifier(aiConfigFromEnv({ AI_BASE_URL: emu.url, AI_MODEL: 'rcm-sim-classifier', AI_API_KEY: 'sk-test', AI_TIMEOUT_MS: '2000' })!);
  });

  afterAll(async () => {
    classifier.close();
    await emu.close();
  });

  test('structured output is parsed and agrees with the baseline on the same facts', async () => {
    const baseline = createBaselineClassifier();
    const doc = { documentId: 'DOC-1', text: PHI_LETTER, siteId: 'site1' };
    const r = await classifier.classifyDocument(doc);
    const b = await baseline.classifyDocument(doc);
    expect(r).toMatchObject({ label: 'referral_letter', confidence: b.confidence, modelId: 'rcm-sim-classifier', modelVersion: 'fp_rcm_sim_1' });
    const denial = await classifier.categoriseDenial({ carcs: ['CO-16'], rarcs: ['MA130'] });
    expect(denial).toMatchObject({ label: 'documentation', confidence: 0.95, issues: ['CO-16+MA130: documentation → new_claim'] });
    const coding = await classifier.suggestCodingChecks({ cpt: ['93000', '93010'], icd10: ['I10'] });
    expect(coding.label).toBe('needs_review');
    expect(coding.issues).toEqual([expect.stringMatching(/^93000 with 93010/)]);
  });

  test('the request uses strict json_schema structured output', async () => {
    await classifier.classifyDocument({ documentId: 'DOC-2', text: 'Progress note. Assessment and plan.', siteId: 'site1' });
    const body = JSON.parse(emu.control.requests().at(-1)!);
    expect(body.model).toBe('rcm-sim-classifier');
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'document_classification', strict: true, schema: { additionalProperties: false, required: ['label', 'confidence', 'rationale', 'issues'] } } });
    expect(body.response_format.json_schema.schema.properties.label.enum).toEqual(['referral_letter', 'clinical_notes', 'denial_letter', 'other']);
  });

  test('no PHI leaves the process unless allowPhi', async () => {
    const before = emu.control.requests().length;
    await classifier.classifyDocument({ documentId: 'DOC-SECRET-9', text: PHI_LETTER, siteId: 'site1' });
    await classifier.categoriseDenial({ carcs: ['CO-197'], rarcs: [], text: 'Dear John Smith, your claim was denied.' });
    await classifier.suggestCodingChecks({ cpt: ['99213'], icd10: ['M54.50'], text: 'John Smith seen today for back pain.' });
    const sent = emu.control.requests().slice(before).join('\n');
    for (const phi of ['John', 'Smith', '1960', '12345678', 'Elm', 'DOC-SECRET-9', 'back pain']) expect(sent).not.toContain(phi);

    const phiAllowed = createOpenAiCompatibleClassifier({ baseUrl: emu.url, model: 'rcm-sim-classifier', apiKey: 'sk-test', timeoutMs: 2000, allowPhi: true });
    try {
      const r = await phiAllowed.classifyDocument({ documentId: 'DOC-3', text: PHI_LETTER, siteId: 'site1' });
      expect(r.label).toBe('referral_letter');
      expect(emu.control.requests().at(-1)).toContain('John Smith');
    } finally {
      phiAllowed.close();
    }
  });

  test('429 → retryable RateLimitedError with nextRetryDelay from Retry-After, then success', async () => {
    emu.control.rateLimitNext(1, 3);
    const f = await failureOf(classifier.classifyDocument({ documentId: 'DOC-4', text: PHI_LETTER, siteId: 'site1' }));
    expect(f).toMatchObject({ type: 'RateLimitedError', nonRetryable: false, nextRetryDelay: 3000 });
    expect((await classifier.classifyDocument({ documentId: 'DOC-4', text: PHI_LETTER, siteId: 'site1' })).label).toBe('referral_letter');
  });

  test('failFirstN429 on start', async () => {
    const limited = await startAiEmulator({ failFirstN429: 2, retryAfterSeconds: 2 });
    const c = createOpenAiCompatibleClassifier({ baseUrl: limited.url, model: 'm', timeoutMs: 2000, allowPhi: false });
    try {
      for (let i = 0; i < 2; i++) expect(await failureOf(c.categoriseDenial({ carcs: ['CO-45'], rarcs: [] }))).toMatchObject({ type: 'RateLimitedError', nextRetryDelay: 2000 });
      expect((await c.categoriseDenial({ carcs: ['CO-45'], rarcs: [] })).label).toBe('contractual');
    } finally {
      c.close();
      await limited.close();
    }
  });

  test.each(['not-json', 'off-schema', 'truncated', 'refusal'] as const)('malformed model output (%s) → non-retryable ValidationError', async (mode) => {
    emu.control.malformedNext(1, mode);
    const f = await failureOf(classifier.classifyDocument({ documentId: 'DOC-5', text: PHI_LETTER, siteId: 'site1' }));
    expect(f).toMatchObject({ type: 'ValidationError', nonRetryable: true });
  });

  test('slow model → retryable UpstreamTimeoutError; 5xx → retryable; bad key → AuthenticationError', async () => {
    const impatient = createOpenAiCompatibleClassifier({ baseUrl: emu.url, model: 'm', apiKey: 'sk-test', timeoutMs: 200, allowPhi: false });
    const wrongKey = createOpenAiCompatibleClassifier({ baseUrl: emu.url, model: 'm', apiKey: 'sk-wrong', timeoutMs: 2000, allowPhi: false });
    try {
      emu.control.slowNext(1000);
      expect(await failureOf(impatient.suggestCodingChecks({ cpt: ['99213'], icd10: ['I10'] }))).toMatchObject({ type: 'UpstreamTimeoutError', nonRetryable: false });
      emu.control.failNext(502, 1, { pathPrefix: '/v1/chat' });
      expect(await failureOf(classifier.suggestCodingChecks({ cpt: ['99213'], icd10: ['I10'] }))).toMatchObject({ type: 'UpstreamUnavailableError', nonRetryable: false });
      expect(await failureOf(wrongKey.suggestCodingChecks({ cpt: ['99213'], icd10: ['I10'] }))).toMatchObject({ type: 'AuthenticationError', nonRetryable: true });
    } finally {
      impatient.close();
      wrongKey.close();
    }
  });

  test('low confidence from the model → needsHumanReview', async () => {
    const ai = createAiActivities(classifier, { thresholds: { site1: 0.8 }, defaultThreshold: 0.9 });
    const clear = await ai.classifyDocument({ documentId: 'DOC-6', text: PHI_LETTER, siteId: 'site1' });
    expect(clear.needsHumanReview).toBe(false);
    const unclear = await ai.classifyDocument({ documentId: 'DOC-6', text: `${PHI_LETTER} The second page is unclear.`, siteId: 'site1' });
    expect(unclear).toMatchObject({ label: 'referral_letter', needsHumanReview: true, modelId: 'rcm-sim-classifier' });
    expect(unclear.confidence).toBeLessThan(0.8);
    expect((await ai.categoriseDenial({ carcs: ['CO-999'], rarcs: [], siteId: 'site1' })).needsHumanReview).toBe(true);
  });

  test('GET /v1/models lists the emulated model', async () => {
    const res = await fetch(`${emu.url}/models`, { headers: { authorization: 'Bearer sk-test' } });
    expect(await res.json()).toMatchObject({ object: 'list', data: [{ id: 'rcm-sim-classifier', object: 'model' }] });
  });
});
