import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import { defaultPayloadConverter } from '@temporalio/common';
import { CORRELATION_HEADER } from '../../src/client/correlation';
import { createDeadLetterStore, type DeadLetterStore } from '../../src/client/deadLetters';
import { DecisionRefusedError, JourneyInputError, JourneyNotFoundError, RemittanceParseError } from '../../src/client/errors';
import { createJourneyClient, type JourneyClient } from '../../src/client/journeyClient';
import { RedriveError, redriveDeadLetter } from '../../src/client/redrive';
import * as msg from '../../src/workflows/messages';
import { foreign835 } from '../support/remits';
import { activeEligibility } from '../support/payloads';
import { sampleReferral, startJourneyHarness, type JourneyHarness } from '../support/journeyHarness';

/**
 * The typed journey client against the real dev server, a real worker running the product bundle and the Odoo/payer
 * emulators over HTTP (journeyHarness). No mocks: every assertion reads the journey back through Temporal.
 */
describe('journey client (dev server, real worker, emulators)', () => {
  let h: JourneyHarness;
  let worker: Worker;
  let running: Promise<void>;
  let journeys: JourneyClient;
  let store: DeadLetterStore;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-client-'));

  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
    worker = await h.newWorker();
    running = worker.run();
    store = createDeadLetterStore({ file: path.join(dir, 'dlq.jsonl') });
    journeys = createJourneyClient({ client: h.client, taskQueueFor: () => h.taskQueue, deadLetters: store });
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const until = async <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const v = await fn();
        if (v) return v;
      } catch (err) {
        last = err;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
  };
  const stage = (journeyId: string, wanted: string) => until(`${journeyId} at ${wanted}`, async () => (await journeys.status(journeyId)).stage === wanted);

  it('startJourney validates first, starts by update-with-start, and a repeated start returns the running journey', async () => {
    const bad = { ...sampleReferral(), orderedServices: [{ cpt: 'nope', icd10: ['M54.50'], units: 1, chargeCents: 1 }] };
    const err = await journeys.startJourney(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JourneyInputError);
    expect((err as JourneyInputError).path).toBe('orderedServices.0.cpt');
    await expect(journeys.status(`referral/${bad.siteId}/${bad.referralId}`)).rejects.toBeInstanceOf(JourneyNotFoundError);

    const referral = sampleReferral();
    const first = await journeys.startJourney(referral, { correlationId: 'corr-client-1' });
    expect(first.journeyId).toBe(`referral/site-a/${referral.referralId}`);
    expect(first.runId).toBeTruthy();
    // (the referral is also in the start input, so the journey may already call the update's copy a duplicate)
    expect(first.receipt).toMatchObject({ accepted: true });

    const again = await journeys.startJourney(referral);
    expect(again).toMatchObject({ journeyId: first.journeyId, runId: first.runId, receipt: { accepted: true, duplicate: true } });

    // A different referral under the same ids is refused by the journey's validator, as a typed error.
    await expect(journeys.startJourney({ ...referral, urgency: 'expedited' })).rejects.toBeInstanceOf(DecisionRefusedError);

    const handle = h.client.workflow.getHandle(first.journeyId);
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(`Referral ${referral.referralId} · site site-a · payer PAYER1`);
    expect(description.memo).toEqual({ correlationId: 'corr-client-1' });
    // The correlation id travels as a Temporal header on the start and the update (visible in history).
    const history = await handle.fetchHistory();
    const started = history.events?.find((e) => e.workflowExecutionStartedEventAttributes)?.workflowExecutionStartedEventAttributes;
    const accepted = history.events?.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)?.workflowExecutionUpdateAcceptedEventAttributes;
    const headerValue = (fields: Record<string, unknown> | null | undefined) =>
      fields?.[CORRELATION_HEADER] ? defaultPayloadConverter.fromPayload(fields[CORRELATION_HEADER] as never) : undefined;
    expect(headerValue(started?.header?.fields)).toBe('corr-client-1');
    expect(headerValue(accepted?.acceptedRequest?.input?.header?.fields)).toBe('corr-client-1');
    // No PHI in the workflow id, summary or search attributes.
    expect(JSON.stringify({ id: first.journeyId, summary: await description.staticSummary(), sa: description.typedSearchAttributes })).not.toContain(referral.patientRef);
  });

  it('keeps a payer message for a journey that does not exist yet (update and signal mode) and dedupes by messageId', async () => {
    const eligibility = activeEligibility;
    const early = sampleReferral();
    const address = { siteId: early.siteId, referralId: early.referralId };
    const byUpdate = await journeys.deliverPayerMessage(address, { kind: 'eligibility', payload: eligibility('elig-early-1') }, { mode: 'update' });
    expect(byUpdate).toMatchObject({ journeyId: `referral/site-a/${early.referralId}`, mode: 'update', receipt: { accepted: true, stage: 'awaiting_referral' } });
    const twice = await journeys.deliverPayerMessage(address, { kind: 'eligibility', payload: eligibility('elig-early-1') });
    expect(twice.receipt?.duplicate).toBe(true);
    expect((await journeys.status(byUpdate.journeyId)).stage).toBe('awaiting_referral');

    const other = sampleReferral();
    const bySignal = await journeys.deliverPayerMessage({ siteId: other.siteId, referralId: other.referralId }, { kind: 'eligibility', payload: eligibility('elig-early-2') }, { mode: 'signal' });
    expect(bySignal.mode).toBe('signal');
    await until('signal recorded', async () => (await journeys.timeline(bySignal.journeyId)).some((e) => e.action === 'eligibility result received'));

    // No worker answers on this queue: the bounded update wait passes and the message is kept by signal-with-start.
    const idle = createJourneyClient({ client: h.client, taskQueueFor: () => `${h.taskQueue}-idle` });
    const stranded = sampleReferral();
    const kept = await idle.deliverPayerMessage({ siteId: stranded.siteId, referralId: stranded.referralId }, { kind: 'eligibility', payload: eligibility('elig-stranded-1') }, { timeoutMs: 1_500 });
    expect(kept).toMatchObject({ mode: 'signal', fellBackToSignal: true });
    const strandedHistory = await h.client.workflow.getHandle(kept.journeyId).fetchHistory();
    expect(strandedHistory.events?.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'eligibilityResult')).toBe(true);
    await h.client.workflow.getHandle(kept.journeyId).terminate('test cleanup: no worker on this queue');

    const invalid = await journeys.deliverPayerMessage(address, { kind: 'eligibility', payload: { ...eligibility('x'), status: 'maybe' } }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(JourneyInputError);
    expect((invalid as JourneyInputError).path).toBe('payload.status');
  });

  it('decides with typed refusals, lists by search attributes, and ingests 835s by ClaimIds with dead letters for the rest', async () => {
    const referral = sampleReferral();
    const { journeyId } = await journeys.startJourney(referral);
    await stage(journeyId, 'scheduling');
    const handle = h.client.workflow.getHandle(journeyId);
    const today = new Date().toISOString();
    await handle.signal(msg.appointmentScheduled, { messageId: 'appt-1', appointmentId: 'A-1', at: today });
    await stage(journeyId, 'service');
    await handle.signal(msg.serviceCompleted, {
      messageId: 'enc-1',
      encounterId: 'E-1',
      serviceDate: today.slice(0, 10),
      services: [{ code: '72148', modifiers: [], icd10: ['M54.50'], units: 1, chargeCents: 120_000 }],
      notesRef: 'NOTE-1',
    });
    await until('billing approval pending', async () => {
      const s = await journeys.status(journeyId);
      return s.stage === 'billing_approval' && s.pendingApproval !== undefined;
    });

    // Input errors never reach Temporal; refusals by the journey's validator are typed with its reason.
    await expect(journeys.decide(journeyId, { type: 'approve', input: { actorId: 'biller-2' } })).rejects.toMatchObject({ name: 'JourneyInputError', issues: [{ path: 'input.role' }] });
    await expect(journeys.decide(journeyId, { type: 'launch', input: {} })).rejects.toMatchObject({ name: 'JourneyInputError', issues: [{ path: 'type' }] });
    await expect(journeys.decide('referral/site-a/NOPE', { type: 'approve', input: { actorId: 'biller-2', role: 'billing_specialist' } })).rejects.toBeInstanceOf(JourneyNotFoundError);
    const refused = await journeys.decide(journeyId, { type: 'approve', input: { actorId: 'intake-1', role: 'billing_supervisor' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DecisionRefusedError);
    expect((refused as Error).message).toMatch(/approve refused by referral\/site-a\/\S+: .*(prepar|segregation|same)/i);
    const receipt = await journeys.decide(journeyId, { type: 'approve', input: { actorId: 'biller-2', role: 'billing_specialist', reason: 'documentation complete' } });
    expect(receipt.accepted).toBe(true);
    await stage(journeyId, 'payer_adjudication');

    const rows = await until('visibility row', async () => {
      const r = await journeys.list({ stage: 'payer_adjudication', siteId: 'site-a', payerId: 'PAYER1', limit: 1000 });
      return r.find((x) => x.journeyId === journeyId) ? r : undefined;
    });
    expect(rows.find((x) => x.journeyId === journeyId)).toMatchObject({ status: 'running', stage: 'payer_adjudication', siteId: 'site-a', payerId: 'PAYER1' });
    await expect(journeys.list({ stage: "x' OR 'a'='a" })).rejects.toBeInstanceOf(JourneyInputError);

    // The payer's 835 for our claim: found through ClaimIds, delivered, then a re-ingest is a duplicate.
    const claimId = (await journeys.status(journeyId)).claimIds[0];
    await until('ClaimIds indexed', async () => (await journeys.findJourneysByClaimId(claimId)).length === 1);
    await until('claim accepted by the payer', async () => h.payer.control.claimStatus(claimId) !== undefined);
    const file = await h.payer.control.adjudicate(claimId);
    const progress: number[] = [];
    const summary = await journeys.ingestRemittance(file!.content, { onProgress: (p) => progress.push(p.done) });
    expect(summary).toMatchObject({ transactions: 1, claims: 1, delivered: 1, duplicates: 0, unmatched: 0, invalid: 0, failed: 0, unbalanced: 0 });
    expect(progress).toEqual([0, 1]);
    await until('remittance applied', async () => (await journeys.timeline(journeyId)).some((e) => e.action === 'remittance received'));
    const again = await journeys.ingestRemittance(file!.content);
    expect(again).toMatchObject({ claims: 1, delivered: 0, duplicates: 1 });

    // A claim no journey knows: counted, dead-lettered with its message, and a re-drive fails the same way.
    const unknown = await journeys.ingestRemittance(foreign835('RCNOBODY-1'));
    expect(unknown).toMatchObject({ claims: 1, delivered: 0, unmatched: 1 });
    const issue = unknown.issues.find((i) => i.code === 'UNMATCHED_CLAIM');
    expect(issue).toMatchObject({ claimId: 'RCNOBODY-1', deadLetterId: expect.any(String) });
    const entry = await store.get(issue!.deadLetterId!);
    expect(entry).toMatchObject({ source: 'ingest-835', reason: 'unmatched_claim', payload: { kind: 'remittance', message: { patientControlNumber: 'RCNOBODY-1' } } });
    await expect(redriveDeadLetter(entry!, { journeys, deadLetters: store })).rejects.toBeInstanceOf(RedriveError);
    expect((await store.get(entry!.id))?.redrivenAt).toBeUndefined();

    const broken = await journeys.ingestRemittance('ISA*00*bad~').catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(RemittanceParseError);
    expect((broken as RemittanceParseError).message).toMatch(/segment 1/);
  });
});

