import { createPayerClient, createPayerReconciliationActivities, payerConfigFromEnv, type PayerClient } from '../../src/activities/payer';
import type { RemittanceSummaryPage } from '../../src/activities/payer/reconciliation';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import { recon835, uniqueTrace } from '../support/reconRemits';

/**
 * The reconciliation's payer activities against the payer emulator over HTTP: results stay small whatever the file
 * size (the 835 itself never becomes an activity result) and the file list pages exactly.
 */
describe('reconciliation payer activities: bounded results', () => {
  let emu: PayerEmulator;
  let client: PayerClient;
  beforeAll(async () => {
    emu = await startPayerEmulator({ seed: 7 });
    client = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: emu.url }));
  });
  afterAll(async () => {
    client?.close();
    await emu?.close();
  });

  it('summarizes a 15,000-claim 835 in pages far below the payload limit, without any of the file content', async () => {
    const acts = createPayerReconciliationActivities(client);
    const claims = Array.from({ length: 15_000 }, (_, i) => ({ claimId: `RC${(1_000_000 + i).toString(36).toUpperCase()}-1`, paidCents: 1_000 + i }));
    const trace = uniqueTrace();
    const content = recon835(trace, claims);
    // The old fetchRemittance result was the whole file: past Temporal's 2 MB payload limit at this size.
    expect(content.length).toBeGreaterThan(2 * 1024 * 1024);
    const { fileId } = emu.control.addRemittance(content);

    const pages: RemittanceSummaryPage[] = [];
    for (let page = 0; ; page++) {
      const p = await acts.summarizeRemittance({ fileId, page, pageSize: 500 });
      pages.push(p);
      if (!p.hasMore) break;
    }
    expect(pages).toHaveLength(30);
    for (const p of pages) {
      const json = JSON.stringify(p);
      expect(json.length).toBeLessThan(64 * 1024);
      expect(json).not.toMatch(/ISA\*|CLP\*|BPR\*|NM1\*/);
    }
    const all = pages.flatMap((p) => p.claims);
    expect(all).toHaveLength(15_000);
    expect(new Set(all.map((c) => c.claimId)).size).toBe(15_000);
    expect(all.reduce((s, c) => s + c.paidCents, 0)).toBe(claims.reduce((s, c) => s + c.paidCents, 0));
    expect(pages.flatMap((p) => p.deposits)).toEqual([expect.objectContaining({ traceNumber: trace, creditDebit: 'C', paymentCents: claims.reduce((s, c) => s + c.paidCents, 0), plbCents: 0 })]);
  });

  it('lists files in pages with an exact cursor, also when files share a creation instant', async () => {
    const acts = createPayerReconciliationActivities(client);
    const since = new Date().toISOString();
    const added = Array.from({ length: 7 }, () => emu.control.addRemittance(recon835(uniqueTrace(), [{ claimId: 'RCPAGE-1', paidCents: 100 }])).fileId);
    const seen: string[] = [];
    let after: { createdAt: string; fileId: string } | undefined;
    let calls = 0;
    do {
      const page = await acts.listRemittancePage({ since, limit: 3, ...(after ? { after } : {}) });
      expect(page.files.length).toBeLessThanOrEqual(3);
      seen.push(...page.files.map((f) => f.fileId));
      after = page.next;
      calls++;
    } while (after);
    expect(seen).toEqual(added);
    expect(calls).toBe(3);
    const none = await acts.listRemittancePage({ since, until: new Date(Date.parse(since) - 1).toISOString(), limit: 3 });
    expect(none).toEqual({ files: [] });
  });
});
