import { createHmac } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import {
  createPayerActivities,
  createPayerClient,
  payerConfigFromEnv,
  readPriorAuthBundle,
  verifyWebhookSignature,
  type PayerActivities,
  type PayerClient,
  type SubmitClaimInput,
} from '../../src/activities/payer';
import { failureOf } from '../support/failures';

/**
 * Contract tests: the payer client and activities against the payer emulator over real HTTP (127.0.0.1, port 0).
 * A small fastify receiver stands in for our webhook ingress and checks the HMAC signature itself.
 */

const SECRET = 'test-webhook-secret';

// Claim submission reads the subscriber's demographics from Odoo (the emulator's synthetic patients).
let odoo: OdooEmulator;
const patientSource = () => ({ ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_LOGIN: 'admin', ODOO_API_KEY: 'admin-api-key' });
beforeAll(async () => {
  odoo = await startOdooEmulator();
});
afterAll(async () => {
  await odoo?.close();
});

interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

async function startReceiver(): Promise<{ app: FastifyInstance; url: string; received: Received[]; waitFor(n: number): Promise<void> }> {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const app = Fastify({ logger: false });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/payer/webhook', async (req, reply) => {
    received.push({ headers: req.headers, raw: req.body as string });
    waiters.splice(0).forEach((w) => w());
    return reply.code(204).send();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${port}/payer/webhook`,
    received,
    async waitFor(n) {
      const deadline = Date.now() + 10_000;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} webhook deliveries, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}


const eligibilityInput = (memberRef: string, serviceCodes = ['99213']) => ({ journeyId: 'referral/site1/R1', payerId: 'SIMPAYER', memberRef, serviceDate: '2026-03-02', serviceCodes });

const priorAuthInput = (authRequestId: string, services = [{ code: '72148', units: 1 }]) => ({
  journeyId: 'referral/site1/R1',
  authRequestId,
  payerId: 'SIMPAYER',
  memberRef: 'MBR-1001',
  urgency: 'standard' as const,
  services,
  diagnoses: ['M54.50'],
  attachments: ['DOC-17'],
});

const claimInput = (claimId: string, over: Partial<SubmitClaimInput> = {}): SubmitClaimInput => ({
  claimId,
  payerId: 'SIMPAYER',
  frequencyCode: '1',
  memberRef: 'MBR-1001',
  serviceDate: '2026-03-02',
  lines: [
    { code: '99214', modifiers: ['25'], icd10: ['M54.50'], units: 1, chargeCents: 18_000 },
    { code: '20610', modifiers: ['RT'], icd10: ['M17.11', 'M54.50'], units: 1, chargeCents: 32_050 },
  ],
  ...over,
});

describe('payer emulator + client contract', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let emu: PayerEmulator;
  let client: PayerClient;
  let payer: PayerActivities;

  beforeAll(async () => {
    receiver = await startReceiver();
    emu = await startPayerEmulator({ seed: 7, decisionDelayMs: 150, decisionWebhook: { url: receiver.url, secret: SECRET } });
    client = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: emu.url, PAYER_TIMEOUT_MS: '2000', ...patientSource() }));
    payer = createPayerActivities(client);
  });

  afterAll(async () => {
    client.close();
    await emu.close();
    await receiver.app.close();
  });

  describe('eligibility (FHIR CoverageEligibilityRequest/$submit)', () => {
    test('active member: benefits in cents and basis points, no auth for an office visit', async () => {
      const r = await payer.checkEligibility(eligibilityInput('MBR-1001'));
      expect(r).toEqual({
        responseId: expect.stringMatching(/^ELIG/),
        status: 'active',
        planType: 'commercial',
        authRequired: false,
        copayCents: 2500,
        deductibleRemainingCents: 2_500,
        coinsuranceBasisPoints: 2000,
      });
    });

    test('imaging in the auth-required list → authRequired; plan type from the coverage', async () => {
      const r = await payer.checkEligibility(eligibilityInput('MA-2002', ['99213', '72148']));
      expect(r.status).toBe('active');
      expect(r.authRequired).toBe(true);
      expect(r.planType).toBe('medicare_advantage');
    });

    test('INACTIVE… member → inactive; UNKNOWN… → unknown', async () => {
      expect((await payer.checkEligibility(eligibilityInput('INACTIVE-3003'))).status).toBe('inactive');
      expect((await payer.checkEligibility(eligibilityInput('UNKNOWN-4004'))).status).toBe('unknown');
    });

    test('member-specific benefits set through control', async () => {
      emu.control.setMember('MBR-5005', { copayCents: 4000, deductibleCents: 200_000, deductibleUsedCents: 50_025, coinsurancePercent: 30 });
      const r = await payer.checkEligibility(eligibilityInput('MBR-5005'));
      expect(r).toMatchObject({ copayCents: 4000, deductibleRemainingCents: 149_975, coinsuranceBasisPoints: 3000 });
    });
  });

  describe('prior authorization (Da Vinci PAS Claim/$submit)', () => {
    test('approve: A1 with certification number and units', async () => {
      const r = await payer.submitPriorAuth(priorAuthInput('AR-APPROVE-1', [{ code: '72148', units: 2 }]));
      expect(r.trackingId).toMatch(/^PA\d+$/);
      expect(Date.parse(r.submittedAt)).not.toBeNaN();
      expect(r.decision).toEqual({ action: 'A1', authNumber: expect.stringMatching(/^AUTH\d{8}$/), approvedUnits: 2, reasons: [], requestedDocuments: [] });
    });

    test('deny: A3 with a specific reason, no auth number', async () => {
      emu.control.setPriorAuthRule({ match: { authRequestIdPrefix: 'AR-DENY' }, decision: { action: 'A3', reasons: [{ code: 'NMN', text: 'Not medically necessary' }] } });
      const r = await payer.submitPriorAuth(priorAuthInput('AR-DENY-1'));
      expect(r.decision).toEqual({ action: 'A3', reasons: [{ code: 'NMN', text: 'Not medically necessary' }], requestedDocuments: [] });
    });

    test('modified: A6 caps the units', async () => {
      const r = await payer.submitPriorAuth(priorAuthInput('AR-PT-1', [{ code: '97110', units: 20 }]));
      expect(r.decision?.action).toBe('A6');
      expect(r.decision?.approvedUnits).toBe(12);
      expect(r.decision?.authNumber).toBeDefined();
    });

    test('pend → A4 with requested documents, later decision visible by polling and delivered by signed webhook', async () => {
      const before = receiver.received.length;
      const r = await payer.submitPriorAuth(priorAuthInput('AR-PEND-1', [{ code: '27447', units: 1 }]));
      expect(r.decision).toEqual({ action: 'A4', reasons: [], requestedDocuments: ['11506-3', '18748-4'] });
      // Until the payer decides, polling returns the pended state.
      expect((await payer.fetchPriorAuthDecision({ trackingId: r.trackingId }))?.action).toBe('A4');

      await receiver.waitFor(before + 1);
      const delivery = receiver.received[before];
      // Verify the HMAC the way the ingress must: over `${timestamp}.${rawBody}` with the shared secret.
      const ts = delivery.headers['x-rcm-timestamp'] as string;
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${delivery.raw}`).digest('hex')}`;
      expect(delivery.headers['x-rcm-signature']).toBe(expected);
      expect(delivery.headers['x-rcm-sender']).toBe(emu.control.payerId);
      expect(verifyWebhookSignature({ secret: SECRET, headers: delivery.headers, rawBody: delivery.raw })).toEqual({ ok: true, sender: 'SIMPAYER', timestamp: Number(ts) });
      expect(verifyWebhookSignature({ secret: 'other-secret', headers: delivery.headers, rawBody: delivery.raw })).toEqual({ ok: false, reason: 'bad-signature' });
      expect(verifyWebhookSignature({ secret: SECRET, headers: delivery.headers, rawBody: delivery.raw.replace('A1', 'A3') })).toEqual({ ok: false, reason: 'bad-signature' });
      expect(verifyWebhookSignature({ secret: SECRET, headers: delivery.headers, rawBody: delivery.raw, nowMs: (Number(ts) + 3600) * 1000 })).toEqual({ ok: false, reason: 'stale-timestamp' });

      const pushed = readPriorAuthBundle(JSON.parse(delivery.raw));
      expect(pushed).toMatchObject({ trackingId: r.trackingId, authRequestId: 'AR-PEND-1', decision: { action: 'A1', approvedUnits: 1 } });

      const polled = await payer.fetchPriorAuthDecision({ trackingId: r.trackingId });
      expect(polled).toEqual({ action: 'A1', authNumber: expect.stringMatching(/^AUTH/), approvedUnits: 1, reasons: [], requestedDocuments: [] });
      expect(polled?.authNumber).toBe((pushed as { decision: { authNumber: string } }).decision.authNumber);
    });

    test('a pended case decided by hand (control) reaches the webhook too', async () => {
      emu.control.setPriorAuthRule({ match: { authRequestIdPrefix: 'AR-MANUAL' }, decision: { action: 'A4', requestedDocuments: ['34117-2'] } });
      const r = await payer.submitPriorAuth(priorAuthInput('AR-MANUAL-1'));
      expect(r.decision?.requestedDocuments).toEqual(['34117-2']);
      const before = receiver.received.length;
      await emu.control.decidePriorAuth(r.trackingId, { action: 'A2', approvedUnitsPerItem: 0, reasons: [{ code: 'PART', text: 'Partially certified' }] });
      await receiver.waitFor(before + 1);
      expect(await payer.fetchPriorAuthDecision({ trackingId: r.trackingId })).toMatchObject({ action: 'A2', approvedUnits: 0, reasons: [{ code: 'PART', text: 'Partially certified' }] });
    });

    test('idempotent: the same authRequestId returns the same tracking id and opens no second case', async () => {
      const first = await payer.submitPriorAuth(priorAuthInput('AR-IDEM-1'));
      const cases = emu.control.priorAuthCases().length;
      const again = await payer.submitPriorAuth(priorAuthInput('AR-IDEM-1'));
      expect(again.trackingId).toBe(first.trackingId);
      expect(again.submittedAt).toBe(first.submittedAt);
      expect(again.decision?.authNumber).toBe(first.decision?.authNumber);
      expect(emu.control.priorAuthCases().length).toBe(cases);
    });

    test('unknown tracking id → null (no decision yet)', async () => {
      expect(await payer.fetchPriorAuthDecision({ trackingId: 'PA9999999' })).toBeNull();
    });
  });

  describe('claims (837P) and remittances (835)', () => {
    test('acknowledgement is idempotent for an original; a replacement (7) gets a new one', async () => {
      const ack = await payer.submitClaim(claimInput('CLM-100'));
      expect(ack).toEqual({
        acknowledgementId: expect.stringMatching(/^ACK/),
        status: 'accepted',
        errors: [],
        // the clearinghouse's 999 (A) and 277CA (A2:20 with the payer's claim control number), parsed
        acknowledgment: { rejected: false, implementation: expect.objectContaining({ disposition: 'A', segmentErrors: [] }), claim: expect.objectContaining({ accepted: true, payerClaimControlNumber: expect.any(String) }) },
      });
      const count = emu.control.submissions();
      expect(await payer.submitClaim(claimInput('CLM-100'))).toEqual(ack); // retried activity
      expect(emu.control.submissions()).toBe(count);
      // Same claim id and frequency 1 but different content (a second original) still returns the first ack.
      expect((await payer.submitClaim(claimInput('CLM-100', { priorAuthNumber: 'AUTH1' }))).acknowledgementId).toBe(ack.acknowledgementId);
      const replacement = await payer.submitClaim(claimInput('CLM-100', { frequencyCode: '7', payerClaimControlNumber: 'X1' }));
      expect(replacement.status).toBe('accepted');
      expect(replacement.acknowledgementId).not.toBe(ack.acknowledgementId);
      // A late retry of the original still gets the original's acknowledgement, not the replacement's.
      expect(await payer.submitClaim(claimInput('CLM-100'))).toEqual(ack);
      expect(await payer.getClaimStatus({ claimId: 'CLM-100', payerId: 'SIMPAYER' })).toEqual({ statusCategory: 'A2', statusCode: '20', effectiveDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    });

    test('front-end rejections come back as a rejected acknowledgement with reasons', async () => {
      const inactive = await payer.submitClaim(claimInput('CLM-101', { memberRef: 'INACTIVE-9' }));
      expect(inactive.status).toBe('rejected');
      expect(inactive.errors.join(' ')).toMatch(/not in force/);
      const badNpi = await payer.submitClaim(claimInput('CLM-102', { billingNpi: '1234567890' }));
      expect(badNpi).toMatchObject({ status: 'rejected', errors: [expect.stringMatching(/NPI/)] });
      // A replacement without the payer's claim control number (REF*F8) is refused before it is sent.
      const orphanReplacement = await failureOf(payer.submitClaim(claimInput('CLM-103', { frequencyCode: '7' })));
      expect(orphanReplacement).toMatchObject({ type: 'ValidationError', nonRetryable: true });
      // The 277CA rejected it as A7:562:85 (NPI); the claim status inquiry answers the same category.
      expect((await payer.getClaimStatus({ claimId: 'CLM-102', payerId: 'SIMPAYER' })).statusCategory).toBe('A7');
    });

    test('paid claim: 835 listed since a time, fetched raw, status F1 with the CLP04 amount', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      await payer.submitClaim(claimInput('CLM-200', { priorAuthNumber: 'AUTH123' }));
      const file = await emu.control.adjudicate('CLM-200', { kind: 'pay', allowedBasisPoints: 8000, deductibleCents: 0, copayCents: 2500, coinsuranceBasisPoints: 2000 });
      expect(file).not.toBeNull();
      const list = await payer.listRemittances({ since });
      expect(list.map((f) => f.fileId)).toContain(file!.fileId);
      expect(await payer.listRemittances({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
      const remit = await payer.fetchRemittance({ fileId: file!.fileId });
      expect(remit.content).toBe(file!.content);
      const clp = remit.content.split('~').map((s) => s.trim().split('*')).find((s) => s[0] === 'CLP' && s[1] === 'CLM-200')!;
      // allowed 144.00 + 256.40 = 400.40; copay 25.00 on line 1; coinsurance 20% of (119.00) and (256.40)
      expect(clp.slice(2, 6)).toEqual(['1', '500.50', '300.32', '100.08']);
      expect(remit.content).toContain('REF*6R*CLM-200-2~');
      const status = await payer.getClaimStatus({ claimId: 'CLM-200', payerId: 'SIMPAYER' });
      expect(status).toMatchObject({ statusCategory: 'F1', statusCode: '65', paidCents: 30_032 });
    });

    test('denial CO-16 + MA130, reversal and corrected payment', async () => {
      await payer.submitClaim(claimInput('CLM-300'));
      const denied = await emu.control.adjudicate('CLM-300', { kind: 'deny', carc: '16', rarcs: ['MA130'] });
      expect(denied!.content).toContain('CLP*CLM-300*4*500.50*0.00*0.00');
      expect(denied!.content).toContain('MOA***MA130~');
      expect(denied!.content).toContain('CAS*CO*16*180.00~');
      expect((await payer.getClaimStatus({ claimId: 'CLM-300', payerId: 'SIMPAYER' })).statusCategory).toBe('F2');

      await payer.submitClaim(claimInput('CLM-301'));
      await emu.control.adjudicate('CLM-301', { kind: 'pay', deductibleCents: 0, copayCents: 0, coinsuranceBasisPoints: 0 });
      const corrected = await emu.control.adjudicate('CLM-301', { kind: 'reverseAndCorrect', corrected: { kind: 'pay', allowedBasisPoints: 9000, deductibleCents: 0, copayCents: 0, coinsuranceBasisPoints: 0 } });
      const clps = corrected!.content.split('~').map((s) => s.trim().split('*')).filter((s) => s[0] === 'CLP');
      expect(clps.map((c) => [c[1], c[2], c[4]])).toEqual([
        ['CLM-301', '22', '-400.40'],
        ['CLM-301', '1', '450.45'],
      ]);
      expect(corrected!.content).toMatch(/BPR\*I\*50\.05\*/);
      expect(await payer.getClaimStatus({ claimId: 'CLM-301', payerId: 'SIMPAYER' })).toMatchObject({ statusCategory: 'F1', paidCents: 45_045 });
    });

    test('unknown claim status → NotFoundError (non-retryable)', async () => {
      const f = await failureOf(payer.getClaimStatus({ claimId: 'NOPE-1', payerId: 'SIMPAYER' }));
      expect(f).toMatchObject({ type: 'NotFoundError', nonRetryable: true });
      expect(await failureOf(payer.fetchRemittance({ fileId: 'ERA404' }))).toMatchObject({ type: 'NotFoundError', nonRetryable: true });
    });
  });

  describe('failure classification', () => {
    test.each([
      [400, 'ValidationError', true],
      [404, 'NotFoundError', true],
      [422, 'ValidationError', true],
      [409, 'ConflictError', false],
      [500, 'UpstreamUnavailableError', false],
      [503, 'UpstreamUnavailableError', false],
      [504, 'UpstreamTimeoutError', false],
    ])('HTTP %i → %s (nonRetryable=%s)', async (status, type, nonRetryable) => {
      emu.control.failNext(status, 1, { pathPrefix: '/fhir/' });
      const f = await failureOf(payer.checkEligibility(eligibilityInput('MBR-1001')));
      expect(f.type).toBe(type);
      expect(f.nonRetryable).toBe(nonRetryable);
      // The fault is spent: the retry (what Temporal would do) succeeds.
      if (!nonRetryable) expect((await payer.checkEligibility(eligibilityInput('MBR-1001'))).status).toBe('active');
    });

    test('429 → RateLimitedError with nextRetryDelay from Retry-After', async () => {
      emu.control.failNext(429, 1, { retryAfterSeconds: 7 });
      const f = await failureOf(payer.submitClaim(claimInput('CLM-429')));
      expect(f).toMatchObject({ type: 'RateLimitedError', nonRetryable: false, nextRetryDelay: 7000 });
      expect((await payer.submitClaim(claimInput('CLM-429'))).status).toBe('accepted');
    });

    test('slow payer → UpstreamTimeoutError (retryable)', async () => {
      const fastClient = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: emu.url, PAYER_TIMEOUT_MS: '200' }));
      emu.control.delayNext(1000, 1);
      const f = await failureOf(createPayerActivities(fastClient).listRemittances({ since: '2026-01-01T00:00:00Z' }));
      fastClient.close();
      expect(f).toMatchObject({ type: 'UpstreamTimeoutError', nonRetryable: false });
    });

    test('invalid activity input → ValidationError listing paths, nothing sent', async () => {
      const count = emu.control.submissions();
      const f = await failureOf(payer.submitClaim(claimInput('CLM-BAD', { lines: [{ code: 'ABC', modifiers: [], icd10: ['nope'], units: 0, chargeCents: 1.5 }] })));
      expect(f.type).toBe('ValidationError');
      expect(f.nonRetryable).toBe(true);
      expect(JSON.stringify(f.details)).toContain('lines.0.code');
      expect(emu.control.submissions()).toBe(count);
    });

    test('bad API key → AuthenticationError; unreachable payer → retryable', async () => {
      const locked = await startPayerEmulator({ apiKey: 'right-key' });
      const wrong = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: locked.url, PAYER_API_KEY: 'wrong-key' }));
      const right = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: locked.url, PAYER_API_KEY: 'right-key' }));
      try {
        expect(await failureOf(createPayerActivities(wrong).listRemittances({ since: '2026-01-01T00:00:00Z' }))).toMatchObject({ type: 'AuthenticationError', nonRetryable: true });
        expect(await createPayerActivities(right).listRemittances({ since: '2026-01-01T00:00:00Z' })).toEqual([]);
      } finally {
        wrong.close();
        right.close();
        await locked.close();
      }
      const gone = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: locked.url }));
      expect(await failureOf(createPayerActivities(gone).listRemittances({ since: '2026-01-01T00:00:00Z' }))).toMatchObject({ type: 'UpstreamUnavailableError', nonRetryable: false });
      gone.close();
    });

    test('a response that is not what the contract says → ValidationError (non-retryable)', async () => {
      const liar = Fastify({ logger: false });
      liar.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
      liar.post('/fhir/CoverageEligibilityRequest/$submit', async () => ({ resourceType: 'CoverageEligibilityResponse', outcome: 'complete' }));
      liar.post('/fhir/Claim/$submit', async () => ({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'ClaimResponse', outcome: 'complete', preAuthRef: 'X' } }] }));
      liar.get('/remittances', async () => [{ fileId: 'ERA 1', createdAt: 'yesterday' }]);
      liar.get('/remittances/:id', async (_req, reply) => reply.type('text/plain').send('<html>maintenance</html>'));
      await liar.listen({ port: 0, host: '127.0.0.1' });
      const { port } = liar.server.address() as { port: number };
      const c = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: `http://127.0.0.1:${port}` }));
      const acts = createPayerActivities(c);
      try {
        expect(await failureOf(acts.checkEligibility(eligibilityInput('MBR-1')))).toMatchObject({ type: 'ValidationError', nonRetryable: true, message: expect.stringContaining('invalid response') });
        expect(await failureOf(acts.submitPriorAuth(priorAuthInput('AR-LIAR')))).toMatchObject({ type: 'ValidationError', message: expect.stringContaining('invalid response') });
        expect(await failureOf(acts.listRemittances({ since: '2026-01-01T00:00:00Z' }))).toMatchObject({ type: 'ValidationError', message: expect.stringContaining('invalid response') });
        expect(await failureOf(acts.fetchRemittance({ fileId: 'ERA1' }))).toMatchObject({ type: 'ValidationError', message: expect.stringContaining('invalid response') });
      } finally {
        c.close();
        await liar.close();
      }
    });
  });
});

describe('automatic adjudication', () => {
  test('a service needing auth billed without REF*G1 is denied CO-197; the 835 arrives by signed webhook', async () => {
    const receiver = await startReceiver();
    const emu = await startPayerEmulator({ adjudicationDelayMs: 0, remittanceWebhook: { url: receiver.url, secret: SECRET } });
    const client = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: emu.url, ...patientSource() }));
    const payer = createPayerActivities(client);
    try {
      await payer.submitClaim(claimInput('CLM-AUTO-1', { lines: [{ code: '72148', modifiers: [], icd10: ['M54.50'], units: 1, chargeCents: 120_000 }] }));
      await emu.control.idle();
      await receiver.waitFor(1);
      const [delivery] = receiver.received;
      expect(verifyWebhookSignature({ secret: SECRET, headers: delivery.headers, rawBody: delivery.raw }).ok).toBe(true);
      expect(delivery.headers['x-rcm-file-id']).toMatch(/^ERA/);
      expect(delivery.raw).toContain('CAS*CO*197*1200.00~');
      expect(await payer.getClaimStatus({ claimId: 'CLM-AUTO-1', payerId: 'SIMPAYER' })).toMatchObject({ statusCategory: 'F2' });
    } finally {
      client.close();
      await emu.close();
      await receiver.app.close();
    }
  });
});
