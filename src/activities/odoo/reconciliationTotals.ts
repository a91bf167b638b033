/**
 * Odoo reads for the periodic reconciliation, returning aggregates only (never record lists): what Odoo registered
 * per deposit (payer payments whose memo is `<TRN02>/<CLP01>`) and, per claim-id family, whether we invoiced it and
 * which payer payments it holds. Inputs are bounded chunks of keys, so results stay small whatever the volume; reads
 * page through Odoo by id (keyset: rows created meanwhile cannot shift a page) and heartbeat per page.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import { z } from 'zod';
import { claimFamilyOf } from '../../domain/ids';
import { FailureType, permanentFailure } from '../errors';
import type { OdooClient, OdooDomain } from './client';
import { odooToCents } from './money';

export const RECONCILIATION_CHUNK = 100;

// Keys come from payers' files (TRN02, CLP01): anything printable is accepted, since they only ever appear as escaped
// LIKE literals and are compared exactly afterwards; refusing one would fail the whole run over one odd claim id.
const Key = z.string().regex(/^\P{Cc}{1,80}$/u, 'must be 1-80 characters without control characters');
const Trace = Key;
const Family = Key;

export const DepositTotalsInputSchema = z.object({ traces: z.array(Trace).min(1).max(RECONCILIATION_CHUNK) });
export type DepositTotalsInput = z.infer<typeof DepositTotalsInputSchema>;
export interface RegisteredDeposit {
  traceNumber: string;
  /** Σ payer payments with memo `<traceNumber>/<claim>` (inbound +, outbound −), any date */
  registeredCents: number;
  payments: number;
}

export const ClaimFamilyTotalsInputSchema = z.object({ families: z.array(Family).min(1).max(RECONCILIATION_CHUNK) });
export type ClaimFamilyTotalsInput = z.infer<typeof ClaimFamilyTotalsInputSchema>;
export interface RegisteredClaimFamily {
  family: string;
  /** a customer invoice (not cancelled) whose ref is a claim id of this family */
  invoiced: boolean;
  /** payer payments of the family, summed per deposit trace (the caller keeps the deposits it reconciles) */
  byTrace: { traceNumber: string; registeredCents: number }[];
}

export interface OdooReconciliationActivities {
  odooDepositTotals(input: DepositTotalsInput): Promise<RegisteredDeposit[]>;
  odooClaimFamilyTotals(input: ClaimFamilyTotalsInput): Promise<RegisteredClaimFamily[]>;
}

// Draft, cancelled or rejected payments moved no money.
const LIVE_PAYMENT: OdooDomain = [['state', 'not in', ['draft', 'cancel', 'canceled', 'rejected']]];

function heartbeat(details?: unknown): void {
  asyncLocalStorage.getStore()?.heartbeat(details);
}

function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, activity: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw permanentFailure(FailureType.Validation, `${activity}: invalid input: ${r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** LIKE literal: `%`, `_` and the escape character match only themselves (results are post-filtered anyway). */
function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Prefix-notation OR of the terms (Odoo domains AND consecutive terms, OR needs n−1 leading '|'). */
function anyOf(terms: OdooDomain): OdooDomain {
  return [...Array<'|'>(Math.max(0, terms.length - 1)).fill('|'), ...terms];
}

/** A payer payment memo `<TRN02>/<CLP01>` (claim ids hold no '/'); patient payments `<claim>/patient/…` are not. */
export function parsePayerMemo(memo: unknown): { traceNumber: string; claimId: string } | undefined {
  if (typeof memo !== 'string' || memo.includes('/patient/')) return undefined;
  const cut = memo.lastIndexOf('/');
  if (cut <= 0 || cut === memo.length - 1) return undefined;
  return { traceNumber: memo.slice(0, cut), claimId: memo.slice(cut + 1) };
}

interface PaymentRow {
  id: number;
  amount: number;
  payment_type: 'inbound' | 'outbound';
  [memoField: string]: unknown;
}

export function createOdooReconciliationActivities(client: OdooClient, config: { pageSize?: number } = {}): OdooReconciliationActivities {
  const pageSize = config.pageSize ?? 200;

  async function* pages<T extends { id: number }>(model: string, domain: OdooDomain, fields: string[]): AsyncGenerator<T[]> {
    let lastId = 0;
    for (;;) {
      const page = await client.searchRead<T>(model, [...domain, ['id', '>', lastId]], { fields, limit: pageSize, order: 'id asc' });
      if (page.length === 0) return;
      yield page;
      heartbeat({ model, lastId });
      lastId = page[page.length - 1].id;
      if (page.length < pageSize) return;
    }
  }

  async function memoField(): Promise<'memo' | 'ref'> {
    return (await client.version()).major >= 18 ? 'memo' : 'ref';
  }

  const signedCents = (p: PaymentRow): number => (p.payment_type === 'outbound' ? -1 : 1) * odooToCents(p.amount);

  return {
    async odooDepositTotals(input) {
      const { traces } = parseInput(DepositTotalsInputSchema, input, 'odooDepositTotals');
      const field = await memoField();
      const totals = new Map<string, RegisteredDeposit>(traces.map((t) => [t, { traceNumber: t, registeredCents: 0, payments: 0 }]));
      const domain = [...LIVE_PAYMENT, ...anyOf(traces.map((t) => [field, '=like', `${likeLiteral(t)}/%`]))];
      for await (const page of pages<PaymentRow>('account.payment', domain, [field, 'amount', 'payment_type'])) {
        for (const p of page) {
          const memo = parsePayerMemo(p[field]);
          const total = memo && totals.get(memo.traceNumber);
          if (!total) continue;
          total.registeredCents += signedCents(p);
          total.payments++;
        }
      }
      return [...totals.values()];
    },

    async odooClaimFamilyTotals(input) {
      const { families } = parseInput(ClaimFamilyTotalsInputSchema, input, 'odooClaimFamilyTotals');
      const field = await memoField();
      const out = new Map(families.map((f) => [f, { invoiced: false, byTrace: new Map<string, number>() }]));

      // The invoice keeps the FIRST claim id as ref; a prefix match finds it for any attempt, the family check is exact.
      const invoiceDomain = [['move_type', '=', 'out_invoice'], ['state', '!=', 'cancel'], ...anyOf(families.map((f) => ['ref', '=like', `${likeLiteral(f)}%`]))];
      for await (const page of pages<{ id: number; ref: string | false }>('account.move', invoiceDomain, ['ref'])) {
        for (const inv of page) {
          const hit = typeof inv.ref === 'string' ? out.get(claimFamilyOf(inv.ref)) : undefined;
          if (hit) hit.invoiced = true;
        }
      }

      const paymentDomain = [...LIVE_PAYMENT, ...anyOf(families.map((f) => [field, 'like', `/${likeLiteral(f)}`]))];
      for await (const page of pages<PaymentRow>('account.payment', paymentDomain, [field, 'amount', 'payment_type'])) {
        for (const p of page) {
          const memo = parsePayerMemo(p[field]);
          const hit = memo && out.get(claimFamilyOf(memo.claimId));
          if (!memo || !hit) continue;
          hit.byTrace.set(memo.traceNumber, (hit.byTrace.get(memo.traceNumber) ?? 0) + signedCents(p));
        }
      }
      return [...out].map(([family, r]) => ({
        family,
        invoiced: r.invoiced,
        byTrace: [...r.byTrace].map(([traceNumber, registeredCents]) => ({ traceNumber, registeredCents })),
      }));
    },
  };
}
