import type { Worker } from '@temporalio/worker';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { status as statusQuery, timeline as timelineQuery } from '../../src/workflows/messages';
import { addToSummary } from '../chaos/support/summary';
import { startDecisionsStack, type DecisionsStack } from '../support/decisionsStack';
import { hostileToken, type HostileKind, type TokenContext } from '../support/hostileTokens';
import { bookAndServe, sampleReferral, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';

/**
 * Token fuzz against the running decisions API (real demo issuer, real dev server, a journey waiting for its billing
 * release): forged, tampered, expired, not-yet-valid, wrong-audience, wrong-issuer, alg=none, HS256-confused,
 * claim-less and garbage tokens are each refused 401 (403 when only the role claim is missing) with a reason, and
 * nothing reaches the journey; valid decisions (hold/resume by the supervisor) keep working in between, and the
 * release is approved at the end. RCM_FUZZ_RUNS (300; 10 000 under `npm run chaos`), RCM_FUZZ_SEED as the other fuzz tests.
 */
const RUNS = Number(process.env.RCM_FUZZ_RUNS ?? 300);
const SEED = process.env.RCM_FUZZ_SEED === 'random' ? {} : { seed: Number(process.env.RCM_FUZZ_SEED ?? 20_261_203) };
// A valid decision every VALID_EVERY hostile ones (two workflow updates each: keep them a small share of the run).
const VALID_EVERY = Math.max(25, Math.floor(RUNS / 10));

jest.setTimeout(Math.max(300_000, RUNS * 200));

describe('decisions API under hostile tokens', () => {
  let h: JourneyHarness;
  let stack: DecisionsStack;
  let worker: Worker;
  let running: Promise<void>;
  let ctx: TokenContext;

  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
    stack = await startDecisionsStack(h);
    worker = await h.newWorker();
    running = worker.run();
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const foreignKey: JWK = { ...(await exportJWK(privateKey)), kid: stack.signingKey.kid, alg: 'RS256' };
    ctx = { issuer: stack.issuer.url, audience: stack.config.audience, signingKey: stack.signingKey, foreignKey };
  });

  afterAll(async () => {
    await stack?.close();
    worker?.shutdown();
    await running;
    await h?.close();
  });

  async function post(path: string, token: string, body: unknown) {
    const res = await fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it(`refuses ${RUNS} hostile tokens 401/403 with a reason; valid decisions keep working in between`, async () => {
    const referral = sampleReferral();
    const handle = await h.start(referral);
    await bookAndServe(handle);
    const before = await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');
    const base = `/api/journeys/${referral.siteId}/${referral.referralId}/decisions`;
    const [supervisor, approver] = await Promise.all([stack.tokenFor('supervisor'), stack.tokenFor('approver')]);

    let valid = 0;
    const validHoldAndResume = async () => {
      const held = await post(`${base}/hold`, supervisor, { reason: 'fuzz check: hold' });
      expect([held.status, held.body.receipt]).toEqual([200, expect.objectContaining({ accepted: true })]);
      await waitForStatus(handle, (s) => s.onHold, 'on hold');
      const resumed = await post(`${base}/resume`, supervisor, { reason: 'fuzz check: resume' });
      expect([resumed.status, resumed.body.receipt]).toEqual([200, expect.objectContaining({ accepted: true })]);
      await waitForStatus(handle, (s) => !s.onHold && s.pendingApproval?.kind === 'billing_release', 'resumed, release pending');
      valid += 2;
    };

    const refusedBy: Partial<Record<HostileKind, Record<string, number>>> = {};
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostileToken, fc.constantFrom('approve', 'reject', 'hold', 'cancel'), async (t, decision) => {
        const token = await t.make(ctx);
        const a = await post(`${base}/${decision}`, token, { reason: 'fuzz' });
        // 403 only when the one missing claim is the role claim: every other defect is an authentication failure.
        expect(a.status === 401 || (a.status === 403 && t.kind === 'missing_claims')).toBe(true);
        expect(a.body).toMatchObject({ error: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) });
        expect(String(a.body.message).length).toBeGreaterThan(0);
        const byError = (refusedBy[t.kind] ??= {});
        byError[String(a.body.error)] = (byError[String(a.body.error)] ?? 0) + 1;
        if (++n % VALID_EVERY === 0) await validHoldAndResume();
      }),
      { numRuns: RUNS, ...SEED },
    );
    await validHoldAndResume();
    process.stdout.write(`decisions fuzz refusals by kind → error: ${JSON.stringify(refusedBy)}\n`);

    // Nothing a hostile token carried reached the journey: the release is still pending, undecided, and only the
    // supervisor's holds and resumes are on the timeline.
    const after = await handle.query(statusQuery);
    expect(after.pendingApproval).toEqual(before.pendingApproval);
    const decided = (await handle.query(timelineQuery)).filter((e) => /^decision|cancel/.test(e.action));
    expect(decided).toEqual([]);

    const ok = await post(`${base}/approve`, approver, { reason: 'release after the fuzz' });
    expect([ok.status, ok.body.actorId]).toEqual([200, 'biller-2']);
    await waitForStage(handle, 'payer_adjudication');
    addToSummary({ 'payloads fuzzed': n });
    expect(valid).toBeGreaterThanOrEqual(2);
  });
});
