import type { WorkflowHandle } from '@temporalio/client';
import * as msg from '../../src/workflows/messages';
import type { JourneyStatus } from '../../src/workflows/journeyState';
import { activeEligibility } from './payloads';
import { waitUntil } from './waitUntil';

/**
 * Bursts of external facts to prove nothing is lost across continue-as-new and worker restarts: `n` document signals
 * and `n` payer-message updates with distinct message ids, all in flight at once. `sent` resolves when the server has
 * accepted every signal; `receipts` when every update has completed (which needs a worker).
 */
export interface Burst {
  tag: string;
  n: number;
  sent: Promise<void>;
  receipts: Promise<msg.DecisionReceipt[]>;
}

const documentId = (tag: string, i: number) => `doc-${tag}-${i}`;
const eligibilityId = (tag: string, i: number) => `elig-${tag}-${i}`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function document(tag: string, i: number) {
  return { messageId: documentId(tag, i), documentId: `D-${tag}-${i}`, kind: 'clinical_notes', received: true, at: new Date().toISOString() };
}

const deliverEligibility = (handle: WorkflowHandle, tag: string, i: number) =>
  handle.executeUpdate(msg.deliverPayerMessage, { args: [{ kind: 'eligibility', payload: activeEligibility(eligibilityId(tag, i)) }] });

export function sendBurst(handle: WorkflowHandle, tag: string, n: number): Burst {
  const sent = Promise.all(range(n).map((i) => handle.signal(msg.documentReceived, document(tag, i)))).then(() => undefined);
  const receipts = Promise.all(range(n).map((i) => deliverEligibility(handle, tag, i)));
  return { tag, n, sent, receipts };
}

/** Message ids of the timeline entries `action` whose id carries `prefix`, sorted. */
async function idsInTimeline(handle: WorkflowHandle, action: string, prefix: string): Promise<string[]> {
  const timeline = await handle.query(msg.timeline);
  return timeline.filter((t) => t.action === action && t.detail?.startsWith(prefix)).map((t) => t.detail!).sort();
}

/** Each of the `n` documents of `tag` is in the timeline exactly once (signals apply when the workflow next runs). */
export async function expectDocumentsApplied(handle: WorkflowHandle, tag: string, n: number): Promise<void> {
  const prefix = `doc-${tag}-`;
  const seen = await waitUntil(async () => {
    const ids = await idsInTimeline(handle, 'document received', prefix);
    return ids.length >= n ? ids : undefined;
  }, `${n} documents ${prefix}* in the timeline`);
  expect(seen).toEqual(range(n).map((i) => documentId(tag, i)).sort());
}

/**
 * Every message of the burst took effect exactly once: each update was accepted, the timeline holds each message id
 * once, and redelivering the updates now is recognised as duplicates (the dedupe memory survived).
 *
 * A first delivery may itself come back as a duplicate: the server can abort an update that the workflow handled in
 * the very task that continued as new, and the client then retries it on the new run, which already carries its
 * effect (temporalio/temporal#6375). The message id dedupe is what keeps that from counting twice.
 */
export async function expectBurstApplied(handle: WorkflowHandle, burst: Burst): Promise<void> {
  await burst.sent;
  const receipts = await burst.receipts;
  expect(receipts.filter((r) => r.accepted)).toHaveLength(burst.n);
  await expectDocumentsApplied(handle, burst.tag, burst.n);
  expect(await idsInTimeline(handle, 'eligibility result received', `elig-${burst.tag}-`)).toEqual(range(burst.n).map((i) => eligibilityId(burst.tag, i)).sort());
  const again = await Promise.all(range(burst.n).map((i) => deliverEligibility(handle, burst.tag, i)));
  expect(again.filter((r) => r.duplicate === true)).toHaveLength(burst.n);
}

/**
 * Grow the current run's history to at least `minEvents` with filler document signals (themselves messages that must
 * survive: check them with expectDocumentsApplied(handle, tag, fillers)), so that the journey's next stage boundary is
 * certain to continue as new. Returns that run's id. Call it only while the journey waits for an external fact.
 */
export async function fillCurrentRun(handle: WorkflowHandle, minEvents: number, tag = 'fill'): Promise<{ runId: string; fillers: number }> {
  const latest = handle.client.getHandle(handle.workflowId);
  for (let fillers = 0; ; fillers++) {
    const d = await latest.describe();
    if (d.historyLength >= minEvents) return { runId: d.runId, fillers };
    await latest.signal(msg.documentReceived, document(tag, fillers));
    // a signal reaches the history when the workflow task it arrived during completes: wait for the count to move
    await waitUntil(async () => (await latest.describe()).historyLength > d.historyLength, 'the filler signal in the history');
  }
}

/** The journey's status once a run other than `runId` is current and `ok` holds (it continued as new). */
export function waitForNewRun(handle: WorkflowHandle, runId: string, ok: (s: JourneyStatus) => boolean, what: string, timeoutMs?: number): Promise<JourneyStatus> {
  const latest = handle.client.getHandle(handle.workflowId);
  return waitUntil(async () => {
    if ((await latest.describe()).runId === runId) return undefined;
    const s = await latest.query(msg.status);
    return ok(s) ? s : undefined;
  }, `a run after ${runId} with ${what}`, timeoutMs);
}
