import type { Worker } from '@temporalio/worker';
import { timeline as timelineQuery } from '../../src/workflows/messages';
import { startDecisionsStack, type DecisionsStack } from '../support/decisionsStack';
import { bookAndServe, sampleReferral, startJourneyHarness, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { addToSummary } from './support/summary';

/**
 * Two approvers deciding the same item at once, under load: many journeys wait at the billing release; for every one
 * the approver (billing specialist) approves while the supervisor rejects, all requests in flight together through
 * the authenticated decisions API. Per journey exactly one decision wins (200), the other is refused 409 with a
 * reason, the journey records one decision and moves on as the winner decided — nothing wedges.
 * Size: RCM_CHAOS_DECISION_JOURNEYS (default 8).
 */
const JOURNEYS = Number(process.env.RCM_CHAOS_DECISION_JOURNEYS ?? 8);
jest.setTimeout(Math.max(300_000, JOURNEYS * 30_000));

describe('chaos: two approvers decide the same item at once', () => {
  let h: JourneyHarness;
  let stack: DecisionsStack;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
    stack = await startDecisionsStack(h);
    worker = await h.newWorker();
    running = worker.run();
  });

  afterAll(async () => {
    await stack?.close();
    worker?.shutdown();
    await running;
    await h?.close();
  });

  async function post(path: string, token: string, body: unknown) {
    const res = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it(`${JOURNEYS} journeys at the release gate, approve and reject sent together: one wins each, the other is refused, every journey moves on`, async () => {
    const chargeCents = 20_000;
    const journeys = await Promise.all(
      Array.from({ length: JOURNEYS }, async () => {
        const referral = sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents }] });
        const handle = await h.start(referral);
        await bookAndServe(handle, chargeCents, '99214');
        await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending', 120_000);
        return { referral, handle };
      }),
    );
    const [approver, supervisor] = await Promise.all([stack.tokenFor('approver'), stack.tokenFor('supervisor')]);

    // Every decision of every journey in flight at once.
    const answers = await Promise.all(
      journeys.map(async ({ referral }) => {
        const base = `/api/journeys/${referral.siteId}/${referral.referralId}/decisions`;
        const [a, r] = await Promise.all([post(`${base}/approve`, approver, { reason: 'documentation supports the claim' }), post(`${base}/reject`, supervisor, { reason: 'duplicate of another claim' })]);
        return { approve: a, reject: r };
      }),
    );

    const problems: string[] = [];
    await Promise.all(
      journeys.map(async ({ handle }, i) => {
        const { approve, reject } = answers[i];
        const wins = [approve, reject].filter((x) => x.status === 200);
        const refused = [approve, reject].filter((x) => x.status !== 200);
        if (wins.length !== 1 || refused.length !== 1) return void problems.push(`${handle.workflowId}: ${approve.status}/${reject.status}`);
        const loser = refused[0];
        if (loser.status !== 409 || !['refused', 'journey_closed'].includes(String(loser.body.error)) || !String(loser.body.message ?? '').length) {
          return void problems.push(`${handle.workflowId}: refusal without a reason: ${loser.status} ${JSON.stringify(loser.body)}`);
        }
        // The journey moves on as the winner decided (never wedged at the gate).
        const approved = approve.status === 200;
        try {
          await waitForStatus(handle, (s) => (approved ? s.stage === 'payer_adjudication' || s.stage === 'claim_submission' : s.stage === 'cancelled'), approved ? 'released' : 'cancelled', 120_000);
        } catch (err) {
          return void problems.push(`${handle.workflowId}: ${(err as Error).message}`);
        }
        const decisions = (await handle.query(timelineQuery)).filter((e) => e.action.startsWith('decision: '));
        if (decisions.length !== 1 || decisions[0].action !== `decision: ${approved ? 'approve' : 'reject'}`) problems.push(`${handle.workflowId}: recorded ${decisions.map((e) => e.action).join(', ')}`);
      }),
    );
    const approvedCount = answers.filter((a) => a.approve.status === 200).length;
    process.stdout.write(`concurrent decisions: ${approvedCount} approvals won, ${JOURNEYS - approvedCount} rejections won; refusals: ${JSON.stringify(answers.map((a) => (a.approve.status === 200 ? a.reject : a.approve).body.message))}\n`);
    addToSummary({ 'concurrent decisions': JOURNEYS * 2, 'journeys run': JOURNEYS });
    expect(problems).toEqual([]);
  });
});
