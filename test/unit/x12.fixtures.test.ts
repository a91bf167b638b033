/**
 * Every public 835 fixture in <repo>/../shared/fixtures/x12/835 is parsed and compared with facts.json, which an
 * independent script produced (conventions: segment_index is 1-based over the file, byte_offset counts raw bytes
 * including a BOM; differences are expected − actual as documented in facts.json `conventions`).
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';
import { formatCents } from '../../src/domain/money';
import { createX12Parser, parse835, summarize835, X12ParseError, type X12ParseResult } from '../../src/domain/x12';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/x12/835');

interface FileFacts {
  file: string;
  bom: boolean;
  isa_present: boolean;
  element_separator: string;
  segment_terminator: string;
  component_separator: string;
  repetition_separator: string | null;
  isa12_version: string | null;
  gs08_versions: string[];
  payer_names: string[];
  trn02_trace_numbers: string[];
  segment_count: number;
  transaction_count: number;
  claim_count: number;
  service_line_count: number;
  bpr02_total_cents: number;
  sum_clp04_cents: number;
  sum_plb_cents: number;
  bpr_balanced: boolean;
  claims_balanced: number;
  claims_unbalanced: number;
  service_lines_unbalanced: number;
  fully_balanced: boolean;
  clp02_counts: Record<string, number>;
  cas_reason_codes: Record<string, string[]>;
  plb_reason_codes: string[];
  transactions: { st02: string; bpr01: string; bpr02: string; claims: number; sum_clp04: string; sum_plb: string; bpr_balanced: boolean; bpr02_minus_expected: string }[];
  claim_balance_mismatches: { st02: string; clp01: string; clp02: string; segment_index: number; byte_offset: number; clp03: string; claim_cas: string; service_cas: string; clp04: string; clp03_minus_cas: string; difference: string }[];
  service_balance_mismatches: { st02: string; clp01: string; svc01: string; segment_index: number; byte_offset: number; svc02: string | null; service_cas: string; svc03: string | null; difference: string }[];
  claims?: { st02: string; clp01: string; clp02: string; clp03: string; clp04: string; clp05: string | null; clp07: string | null; claim_cas: string; service_cas: string; service_lines: number; balanced: boolean }[];
  amount_errors: unknown[];
  structural_issues: string[];
  notes: string[];
}

const facts = JSON.parse(readFileSync(path.join(FIXTURES, 'facts.json'), 'utf8')) as { conventions: Record<string, string>; files: FileFacts[] };
const byName = new Map(facts.files.map((f) => [f.file, f]));
const fixtureFiles = readdirSync(FIXTURES).filter((name) => statSync(path.join(FIXTURES, name)).isFile() && name !== 'facts.json' && !name.endsWith('.md'));

const optionalCents = (c: number | undefined): string | null => (c === undefined ? null : formatCents(c));

describe('facts.json', () => {
  it('has the conventions this suite relies on and describes every fixture file', () => {
    expect(facts.conventions.claim_balance).toBe('CLP03 - sum(claim CAS) - sum(service CAS) == CLP04');
    expect(facts.conventions.service_balance).toBe('SVC02 - sum(service CAS) == SVC03');
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(14);
    expect(fixtureFiles.filter((f) => !byName.has(f))).toEqual([]);
  });
});

describe.each(fixtureFiles)('835 fixture %s', (file) => {
  const f = byName.get(file)!;
  const raw = readFileSync(path.join(FIXTURES, file));
  const text = raw.toString('utf8');
  let result: X12ParseResult;

  beforeAll(() => {
    result = parse835(text);
  });

  if (f.amount_errors.length > 0) {
    it('rejects the non-numeric amount', () => {
      expect(() => parse835(text)).toThrow(X12ParseError);
    });
    return;
  }

  it('matches counts, totals and balancing verdicts', () => {
    const s = summarize835(result);
    expect(result.segmentCount).toBe(f.segment_count);
    expect(s.transactionCount).toBe(f.transaction_count);
    expect(s.claimCount).toBe(f.claim_count);
    expect(s.serviceLineCount).toBe(f.service_line_count);
    expect(s.paymentTotalCents).toBe(f.bpr02_total_cents);
    expect(s.claimPaidTotalCents).toBe(f.sum_clp04_cents);
    expect(s.plbTotalCents).toBe(f.sum_plb_cents);
    expect(s.paymentBalanced).toBe(f.bpr_balanced);
    expect(s.claimsUnbalanced).toBe(f.claims_unbalanced);
    expect(s.serviceLinesUnbalanced).toBe(f.service_lines_unbalanced);
    expect(s.balanced).toBe(f.fully_balanced);
    expect(s.clpStatusCounts).toEqual(f.clp02_counts);
    expect(s.casGroups).toEqual(f.cas_reason_codes);
    expect(s.plbReasons).toEqual(f.plb_reason_codes);
    expect(s.traceNumbers).toEqual(f.trn02_trace_numbers);
  });

  it('reads separators, versions and parties', () => {
    const d = result.delimiters!;
    expect(d.element).toBe(f.element_separator);
    // facts.json writes a line-break terminator as the two characters "\\n" (see its `conventions.separators`).
    expect(d.segment).toBe(f.segment_terminator.replace('\\n', '\n').replace('\\r', '\r'));
    expect(d.component).toBe(f.component_separator);
    expect(d.repetition ?? null).toBe(f.isa_present && f.isa12_version?.startsWith('005') ? f.repetition_separator : null);
    expect(result.interchanges.length > 0).toBe(f.isa_present);
    if (f.isa_present) expect(result.interchanges[0].version).toBe(f.isa12_version);
    const gs08 = [...new Set(result.interchanges.flatMap((i) => i.groups.map((g) => g.version)))];
    expect(gs08).toEqual(f.gs08_versions);
    const payers = [...new Set(result.transactions.map((t) => t.payer?.name))];
    expect(payers).toEqual(f.payer_names);
  });

  it('balances each transaction like facts.json', () => {
    expect(result.transactions.map((t) => ({
      st02: t.controlNumber,
      bpr01: t.payment!.handlingCode,
      bpr02: formatCents(t.payment!.totalCents),
      claims: t.claims.length,
      sum_clp04: formatCents(t.balance.claimPaidCents),
      sum_plb: formatCents(t.balance.plbCents),
      bpr_balanced: t.balance.paymentBalanced,
      bpr02_minus_expected: formatCents(t.balance.differenceCents),
    }))).toEqual(f.transactions);
  });

  it('locates claim and service imbalances (segment index, byte offset, amounts)', () => {
    const claims = result.transactions.flatMap((t) => t.balance.claimImbalances);
    const services = result.transactions.flatMap((t) => t.balance.serviceImbalances);
    expect(claims).toHaveLength(f.claims_unbalanced);
    expect(services).toHaveLength(f.service_lines_unbalanced);
    expect(claims.slice(0, f.claim_balance_mismatches.length).map((c) => ({
      st02: c.transactionControlNumber,
      clp01: c.patientControlNumber,
      clp02: c.status,
      segment_index: c.segmentIndex,
      byte_offset: c.byteOffset,
      clp03: formatCents(c.chargeCents),
      claim_cas: formatCents(c.claimCasCents),
      service_cas: formatCents(c.serviceCasCents),
      clp04: formatCents(c.paidCents),
      clp03_minus_cas: formatCents(c.expectedPaidCents),
      difference: formatCents(c.differenceCents),
    }))).toEqual(f.claim_balance_mismatches);
    expect(services.slice(0, f.service_balance_mismatches.length).map((s) => ({
      st02: s.transactionControlNumber,
      clp01: s.patientControlNumber,
      svc01: s.svc01,
      segment_index: s.segmentIndex,
      byte_offset: s.byteOffset,
      svc02: optionalCents(s.chargeCents),
      service_cas: formatCents(s.casCents),
      svc03: optionalCents(s.paidCents),
      difference: formatCents(s.differenceCents),
    }))).toEqual(f.service_balance_mismatches);
  });

  if (f.claims) {
    it('maps every claim (CLP01..07, CAS sums, service lines)', () => {
      const claims = result.transactions.flatMap((t) => t.claims.map((c) => ({ t, c })));
      expect(claims.map(({ t, c }) => {
        const serviceCas = c.services.reduce((sum, s) => sum + s.adjustments.reduce((a, x) => a + x.amountCents, 0), 0);
        const claimCas = c.adjustments.reduce((a, x) => a + x.amountCents, 0);
        return {
          st02: t.controlNumber,
          clp01: c.patientControlNumber,
          clp02: c.status,
          clp03: formatCents(c.chargeCents),
          clp04: formatCents(c.paidCents),
          clp05: optionalCents(c.patientResponsibilityCents),
          clp07: c.payerClaimControlNumber ?? null,
          claim_cas: formatCents(claimCas),
          service_cas: formatCents(serviceCas),
          service_lines: c.services.length,
          balanced: !t.balance.claimImbalances.some((i) => i.segmentIndex === c.segmentIndex),
        };
      })).toEqual(f.claims);
    });
  }

  it('reports exactly the structural issues listed in facts.json', () => {
    const errors = result.issues.filter((i) => i.severity === 'error');
    expect(errors).toHaveLength(f.structural_issues.length);
    for (const described of f.structural_issues) {
      const m = /^segment (\d+) \((\w+)\)/.exec(described);
      if (m) {
        expect(errors).toContainEqual(expect.objectContaining({ segmentIndex: Number(m[1]), segmentId: m[2] }));
      } else {
        expect(described).toMatch(/^no ISA\/GS envelope/);
        expect(errors).toContainEqual(expect.objectContaining({ code: 'NO_ENVELOPE', message: expect.stringMatching(/^no ISA\/GS envelope/) }));
      }
    }
    const fallbackNoted = result.issues.some((i) => i.code === 'COMPONENT_SEPARATOR_FALLBACK');
    expect(fallbackNoted).toBe(f.notes.some((n) => n.startsWith('SVC01 uses component separator')));
  });

  if (f.structural_issues.length > 0) {
    it('strict mode rejects it at the first structural issue', () => {
      const first = f.structural_issues[0];
      const m = /^segment (\d+) \((\w+)\)/.exec(first);
      let caught: unknown;
      try {
        parse835(text, { strict: true });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(X12ParseError);
      const err = caught as X12ParseError;
      if (m) {
        expect(err.segmentIndex).toBe(Number(m[1]));
        expect(err.segmentId).toBe(m[2]);
      } else {
        expect(err.code).toBe('NO_ENVELOPE');
        expect(err.segmentIndex).toBe(1);
      }
    });
  } else {
    it('strict mode accepts it with the same result', () => {
      expect(summarize835(parse835(text, { strict: true }))).toEqual(summarize835(result));
    });
  }

  it('gives the same result when fed as bytes in small chunks', () => {
    const parser = createX12Parser();
    const step = 777;
    for (let i = 0; i < raw.length; i += step) parser.push(raw.subarray(i, i + step));
    const chunked = parser.end();
    expect(chunked.segmentCount).toBe(result.segmentCount);
    expect(chunked.transactions).toEqual(result.transactions);
    expect(chunked.issues).toEqual(result.issues);
  });
});
