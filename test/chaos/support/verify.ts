import type { OdooEmulator } from '../../../sim/odoo';
import { ledgerDifferences } from '../../support/ledgerInvariant';
import { statusOf, type Driven, type PathContext } from './paths';

export interface Verdict {
  lost: string[];
  mismatches: string[];
  duplicates: number;
}

/**
 * Re-check every driven journey with a live worker: it must reach its expected state (waited on, bounded: a journey
 * may still be closing through faults) and its money must match Odoo (the ledger invariant). A journey whose drive
 * failed, or that never gets to its state, is lost; an Odoo record counted twice is a duplicate.
 */
export async function verifyJourneys(ctx: PathContext, odoo: OdooEmulator, results: { id: string; result: Driven | Error }[], settleMs = 90_000): Promise<Verdict> {
  const lost: string[] = [];
  const mismatches: string[] = [];
  let duplicates = 0;
  for (const { id, result: r } of results) {
    if (r instanceof Error) {
      lost.push(`${id}: ${r.message}`);
      continue;
    }
    const handle = ctx.client.workflow.getHandle(r.journeyId);
    let s: Awaited<ReturnType<typeof statusOf>>;
    let wrong: string | undefined;
    const settleBy = Date.now() + settleMs;
    for (;;) {
      s = await statusOf(ctx, handle);
      const closed = await handle.describe().then((d) => d.status.name, () => undefined);
      wrong = s ? r.expect(s, closed) : 'no status';
      if (!wrong || Date.now() > settleBy) break;
      await new Promise((done) => setTimeout(done, 250));
    }
    if (wrong) lost.push(`${r.journeyId} (${r.path}): ${wrong}`);
    if (s) {
      const diffs = ledgerDifferences(s.ledger, odoo);
      duplicates += diffs.filter((d) => /^Odoo: \d+ (invoices|payments|credit notes|live invoices)/.test(d)).length;
      if (diffs.length) mismatches.push(`${r.journeyId}: ${diffs.join('; ')}`);
    }
  }
  return { lost, mismatches, duplicates };
}

/** Run `drive` for each id with at most `concurrency` in flight; a failed drive is kept as its Error. */
export async function driveAll<T>(ids: string[], concurrency: number, drive: (id: string, i: number) => Promise<T>): Promise<{ id: string; result: T | Error }[]> {
  const out: { id: string; result: T | Error }[] = new Array(ids.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, ids.length) }, async () => {
      while (next < ids.length) {
        const i = next++;
        out[i] = { id: ids[i], result: await drive(ids[i], i).catch((err: Error) => err) };
      }
    }),
  );
  return out;
}
