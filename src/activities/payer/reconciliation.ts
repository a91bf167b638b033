import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema } from '../../domain/schemas/common';
import type { PayerClient } from './client';
import { MalformedRemittanceError, remittanceTotals, type ClaimTotal, type DepositTotal, type RemittanceTotals } from './remittanceTotals';
import type { RemittanceFileRef } from './types';
import { validInput } from './validate';

/**
 * Payer reads for the periodic reconciliation. Both return small, bounded results: a page of file references, and a
 * page of per-deposit / per-claim totals of one 835 parsed here in the activity. The file content never becomes an
 * activity result (payload limit, history size) and a broken file is a typed, non-retryable failure instead of a
 * workflow-task crash.
 */
export const MALFORMED_REMITTANCE = 'MalformedRemittance';

export const RemittanceCursorSchema = z.object({ createdAt: IsoDateTimeSchema, fileId: IdSchema });
export type RemittanceCursor = z.infer<typeof RemittanceCursorSchema>;

export const ListRemittancePageInputSchema = z.object({
  since: IsoDateTimeSchema,
  /** inclusive upper bound on the file's creation time */
  until: IsoDateTimeSchema.optional(),
  /** the `next` of the previous page */
  after: RemittanceCursorSchema.optional(),
  limit: z.number().int().min(1).max(1_000),
});
export type ListRemittancePageInput = z.infer<typeof ListRemittancePageInputSchema>;

export interface RemittancePage {
  files: RemittanceFileRef[];
  /** absent on the last page */
  next?: RemittanceCursor;
}

export const SummarizeRemittanceInputSchema = z.object({
  fileId: IdSchema,
  /** 0-based page over the file's deposits and claims */
  page: z.number().int().min(0),
  pageSize: z.number().int().min(1).max(2_000),
});
export type SummarizeRemittanceInput = z.infer<typeof SummarizeRemittanceInputSchema>;

export interface RemittanceSummaryPage {
  fileId: string;
  page: number;
  depositCount: number;
  claimCount: number;
  /** deposits[page·pageSize …] and claims[page·pageSize …] */
  deposits: DepositTotal[];
  claims: ClaimTotal[];
  hasMore: boolean;
}

export interface PayerReconciliationActivities {
  listRemittancePage(input: ListRemittancePageInput): Promise<RemittancePage>;
  summarizeRemittance(input: SummarizeRemittanceInput): Promise<RemittanceSummaryPage>;
}

function heartbeat(details?: unknown): void {
  asyncLocalStorage.getStore()?.heartbeat(details);
}

const byCreation = (a: RemittanceFileRef, b: RemittanceFileRef): number => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0);

/**
 * The last `cacheSize` parsed files are kept for `cacheTtlMs` per worker, so the pages of one file cost one download.
 * The TTL bounds the trust in "a file id always names the same content" to the few seconds a run pages through it.
 */
export function createPayerReconciliationActivities(client: PayerClient, options: { cacheSize?: number; cacheTtlMs?: number } = {}): PayerReconciliationActivities {
  const cacheSize = options.cacheSize ?? 4;
  const cacheTtlMs = options.cacheTtlMs ?? 5 * 60_000;
  const cache = new Map<string, { at: number; totals: Promise<RemittanceTotals> }>();

  function totalsOf(fileId: string): Promise<RemittanceTotals> {
    const hit = cache.get(fileId);
    cache.delete(fileId); // re-inserted below: most recently used last
    if (hit && Date.now() - hit.at < cacheTtlMs) {
      cache.set(fileId, hit);
      return hit.totals;
    }
    const totals = client.fetchRemittance(fileId).then((file) => {
      heartbeat({ fileId, downloaded: file.content.length });
      return remittanceTotals(file.content);
    });
    const entry = { at: Date.now(), totals };
    cache.set(fileId, entry);
    totals.catch(() => {
      if (cache.get(fileId) === entry) cache.delete(fileId);
    });
    while (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
    return totals;
  }

  return {
    async listRemittancePage(input) {
      const { since, until, after, limit } = validInput(ListRemittancePageInputSchema, input, 'listRemittancePage');
      // The payer API lists by creation time only; the cursor makes the page boundary exact even when several files
      // share a timestamp (the API's `since` is inclusive).
      const all = await client.listRemittances(after?.createdAt ?? since);
      const end = until ? Date.parse(until) : Infinity;
      const rest = all
        .filter((f) => Date.parse(f.createdAt) <= end)
        .filter((f) => !after || byCreation(f, { fileId: after.fileId, createdAt: after.createdAt }) > 0)
        .sort(byCreation);
      const files = rest.slice(0, limit).map(({ fileId, createdAt }) => ({ fileId, createdAt }));
      const last = files[files.length - 1];
      return rest.length > limit && last ? { files, next: { createdAt: last.createdAt, fileId: last.fileId } } : { files };
    },

    async summarizeRemittance(input) {
      const { fileId, page, pageSize } = validInput(SummarizeRemittanceInputSchema, input, 'summarizeRemittance');
      let totals: RemittanceTotals;
      try {
        totals = await totalsOf(fileId);
      } catch (err) {
        if (err instanceof MalformedRemittanceError) {
          throw ApplicationFailure.create({
            type: MALFORMED_REMITTANCE,
            message: `remittance ${fileId}: ${err.message}`,
            nonRetryable: true,
            details: [{ fileId, code: err.code, ...err.position }],
          });
        }
        throw err;
      }
      const from = page * pageSize;
      const to = from + pageSize;
      return {
        fileId,
        page,
        depositCount: totals.deposits.length,
        claimCount: totals.claims.length,
        deposits: totals.deposits.slice(from, to),
        claims: totals.claims.slice(from, to),
        hasMore: to < Math.max(totals.deposits.length, totals.claims.length),
      };
    },
  };
}
