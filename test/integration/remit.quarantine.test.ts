import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDeadLetterStore, type DeadLetterStore } from '../../src/client/deadLetters';
import { createJourneyClient, type JourneyClient } from '../../src/client/journeyClient';
import { foreign835 } from '../support/remits';
import { startJourneyHarness, type JourneyHarness } from '../support/journeyHarness';

/** Issue 11: an 835 transaction with BPR02 ≠ ΣCLP04 − ΣPLB is quarantined — no claim of it reaches a journey. */
describe('unbalanced 835 quarantine (dev server)', () => {
  let h: JourneyHarness;
  let journeys: JourneyClient;
  let store: DeadLetterStore;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-quarantine-'));

  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
    store = createDeadLetterStore({ file: path.join(dir, 'dlq.jsonl') });
    journeys = createJourneyClient({ client: h.client, taskQueueFor: () => h.taskQueue, deadLetters: store });
  });
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('BPR02 off by 10.00: nothing delivered, the transaction dead-lettered with its imbalance', async () => {
    const balanced = foreign835('RCQ-1');
    expect(balanced).toMatch(/BPR\*I\*80\.00\*C\*/);
    const unbalanced = balanced.replace(/BPR\*I\*80\.00\*C\*/, 'BPR*I*90.00*C*');

    const summary = await journeys.ingestRemittance(unbalanced);
    expect(summary).toMatchObject({ transactions: 1, claims: 1, delivered: 0, duplicates: 0, unmatched: 0, invalid: 0, failed: 0, unbalanced: 1, quarantined: 1 });
    const issue = summary.issues.find((i) => i.code === 'UNBALANCED_TRANSACTION');
    expect(issue).toMatchObject({ severity: 'error', deadLetterId: expect.any(String) });
    expect(issue!.message).toMatch(/quarantined: BPR02 9000 ≠ ΣCLP04 8000 − ΣPLB 0 \(difference 1000 cents\)/);
    const entry = await store.get(issue!.deadLetterId!);
    expect(entry).toMatchObject({ reason: 'unbalanced_transaction', payload: { kind: 'remittance_transaction', differenceCents: 1000, claimIds: ['RCQ-1'] } });

    // the same file balanced is not quarantined: its claim goes on to matching (here: no journey knows it)
    const ok = await journeys.ingestRemittance(balanced);
    expect(ok).toMatchObject({ unbalanced: 0, unmatched: 1 });
    expect(ok.quarantined ?? 0).toBe(0);
  });
});
