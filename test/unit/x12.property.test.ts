/**
 * Property tests: random balanced remittances are written as X12 with random separators, terminators, BOM,
 * indentation and amount spellings; parsing must give back the generated totals and find them balanced. Moving any one
 * amount by some cents must be detected at the right level, and chunking the input anywhere must not change anything.
 */
import fc from 'fast-check';
import { formatCents, parseCents } from '../../src/domain/money';
import { createX12Parser, parse835, summarize835, type X12ParseResult } from '../../src/domain/x12';
import { amountCents } from '../../src/domain/x12/segments';

interface Triple {
  reason: string;
  amount: number;
  quantity?: number;
}
interface CasSeg {
  group: 'CO' | 'PR' | 'OA' | 'PI';
  triples: Triple[];
}
interface Svc {
  code: string;
  modifiers: string[];
  charge: number;
  paid: number;
  cas: CasSeg[];
}
interface Claim {
  pcn: string;
  status: string;
  charge: number;
  paid: number;
  cas: CasSeg[];
  services: Svc[];
}
interface PlbPair {
  reason: string;
  reference?: string;
  amount: number;
}
interface Tx {
  trace: string;
  bpr: number;
  claims: Claim[];
  plbs: PlbPair[][];
}
interface Style {
  element: string;
  component: string;
  repetition: string;
  terminator: string;
  bom: boolean;
  indent: boolean;
  /** 0: "12.50"; 1: shortest ("12.5", "12"); 2: padded ("12.500") */
  amountStyle: 0 | 1 | 2;
}

const amountArb = fc.integer({ min: -200_000, max: 2_000_000 });
const tripleArb: fc.Arbitrary<Triple> = fc.record(
  { reason: fc.constantFrom('1', '2', '3', '45', 'A2', '253', '97', '23'), amount: amountArb, quantity: fc.integer({ min: 1, max: 9 }) },
  { requiredKeys: ['reason', 'amount'] },
);
const casArb: fc.Arbitrary<CasSeg> = fc.record({ group: fc.constantFrom('CO', 'PR', 'OA', 'PI'), triples: fc.array(tripleArb, { minLength: 1, maxLength: 6 }) });
const sumCas = (cas: CasSeg[]): number => cas.reduce((s, c) => s + c.triples.reduce((t, x) => t + x.amount, 0), 0);

const svcArb: fc.Arbitrary<Svc> = fc
  .record({
    code: fc.constantFrom('99213', '99214', 'J1100', '80053', '97110'),
    modifiers: fc.array(fc.constantFrom('25', '59', 'TC', '26', 'GP'), { maxLength: 3 }),
    charge: fc.integer({ min: 0, max: 5_000_000 }),
    cas: fc.array(casArb, { maxLength: 3 }),
  })
  .map((s) => ({ ...s, paid: s.charge - sumCas(s.cas) }));

const claimArb: fc.Arbitrary<Claim> = fc
  .record({
    pcn: fc.stringMatching(/^[A-Z0-9]{1,12}$/),
    status: fc.constantFrom('1', '2', '3', '4', '19', '22'),
    extraCharge: fc.integer({ min: 0, max: 1_000_000 }),
    cas: fc.array(casArb, { maxLength: 2 }),
    services: fc.array(svcArb, { maxLength: 4 }),
  })
  .map(({ extraCharge, ...c }) => {
    const charge = c.services.reduce((s, x) => s + x.charge, 0) + (c.services.length === 0 ? extraCharge : 0);
    const paid = charge - sumCas(c.cas) - c.services.reduce((s, x) => s + sumCas(x.cas), 0);
    return { ...c, charge, paid };
  });

const plbPairArb: fc.Arbitrary<PlbPair> = fc.record(
  { reason: fc.constantFrom('WO', 'FB', 'L6', '72', 'CS'), reference: fc.stringMatching(/^[A-Z0-9]{1,8}$/), amount: fc.integer({ min: -100_000, max: 100_000 }) },
  { requiredKeys: ['reason', 'amount'] },
);

const txArb: fc.Arbitrary<Tx> = fc
  .record({
    trace: fc.stringMatching(/^[0-9]{4,12}$/),
    claims: fc.array(claimArb, { minLength: 1, maxLength: 4 }),
    plbs: fc.array(fc.array(plbPairArb, { minLength: 1, maxLength: 6 }), { maxLength: 2 }),
  })
  .map((t) => ({ ...t, bpr: t.claims.reduce((s, c) => s + c.paid, 0) - t.plbs.flat().reduce((s, p) => s + p.amount, 0) }));

const styleArb: fc.Arbitrary<Style> = fc
  .record({
    element: fc.constantFrom('*', '|'),
    component: fc.constantFrom(':', '>', '^'),
    terminator: fc.constantFrom('~', '~\n', '~\r\n', '\n', '\r\n'),
    bom: fc.boolean(),
    indent: fc.boolean(),
    amountStyle: fc.constantFrom(0 as const, 1 as const, 2 as const),
  })
  .map((s) => ({ ...s, repetition: s.component === '^' ? '{' : '^' }));

function amountText(cents: number, style: Style['amountStyle']): string {
  const fixed = formatCents(cents);
  if (style === 0) return fixed;
  if (style === 2) return `${fixed}0`;
  return fixed.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** Writes the transactions as one interchange; returns the text and the segment index of every amount slot. */
function serialize(txs: Tx[], style: Style): string {
  const e = style.element;
  const c = style.component;
  const a = (cents: number): string => amountText(cents, style.amountStyle);
  const lines: string[] = [];
  const isa = ['ISA', '00', '          ', '00', '          ', 'ZZ', 'PAYER          ', 'ZZ', 'PROVIDER       ', '240101', '0930', style.repetition, '00501', '000000042', '0', 'P', c];
  lines.push(isa.join(e), ['GS', 'HP', 'PAYER', 'PROVIDER', '20240101', '0930', '42', 'X', '005010X221A1'].join(e));
  txs.forEach((tx, i) => {
    const control = String(1000 + i);
    const start = lines.length;
    lines.push(['ST', '835', control, '005010X221A1'].join(e));
    lines.push(['BPR', 'I', a(tx.bpr), 'C', 'ACH', 'CCP', '01', '999999999', 'DA', '123456', '1512345678', '', '01', '999988880', 'DA', '98765', '20240105'].join(e));
    lines.push(['TRN', '1', tx.trace, '1512345678'].join(e));
    lines.push(['N1', 'PR', 'RANDOM PAYER'].join(e), ['N1', 'PE', 'RANDOM CLINIC', 'XX', '1234567893'].join(e), ['LX', '1'].join(e));
    for (const claim of tx.claims) {
      lines.push(['CLP', claim.pcn, claim.status, a(claim.charge), a(claim.paid), '', '12', `PCC${claim.pcn}`].join(e));
      for (const cas of claim.cas) lines.push(casLine(cas, e, a));
      for (const svc of claim.services) {
        lines.push(['SVC', ['HC', svc.code, ...svc.modifiers].join(c), a(svc.charge), a(svc.paid), '', '1'].join(e));
        lines.push(['DTM', '472', '20240101'].join(e));
        for (const cas of svc.cas) lines.push(casLine(cas, e, a));
      }
    }
    for (const plb of tx.plbs) {
      lines.push(['PLB', '1234567893', '20241231', ...plb.flatMap((p) => [p.reference ? `${p.reason}${c}${p.reference}` : p.reason, a(p.amount)])].join(e));
    }
    lines.push(['SE', String(lines.length - start + 1), control].join(e));
  });
  lines.push(['GE', String(txs.length), '42'].join(e), ['IEA', '1', '000000042'].join(e));
  const indented = style.indent && style.terminator !== '~' ? lines.map((l, i) => ' '.repeat(i % 4) + l) : lines;
  return (style.bom ? '\ufeff' : '') + indented.map((l) => l + style.terminator).join('');
}

function casLine(cas: CasSeg, e: string, a: (c: number) => string): string {
  return ['CAS', cas.group, ...cas.triples.flatMap((t) => [t.reason, a(t.amount), t.quantity === undefined ? '' : String(t.quantity)])].join(e).replace(new RegExp(`\\${e}+$`), '');
}

function expectedCas(txs: Tx[]): Record<string, string[]> {
  const map = new Map<string, Set<string>>();
  const note = (cas: CasSeg[]): void => {
    for (const s of cas) for (const t of s.triples) (map.get(s.group) ?? map.set(s.group, new Set()).get(s.group)!).add(t.reason);
  };
  for (const tx of txs) for (const claim of tx.claims) {
    note(claim.cas);
    for (const svc of claim.services) note(svc.cas);
  }
  return Object.fromEntries([...map.keys()].sort().map((k) => [k, [...map.get(k)!].sort()]));
}

const txsArb = fc.array(txArb, { minLength: 1, maxLength: 3 });

function outcome(parse: (s: string) => number, text: string): number | 'throws' {
  try {
    return parse(text);
  } catch {
    return 'throws';
  }
}

describe('amount parsing fast path', () => {
  it('agrees exactly with parseCents on decimal-looking and junk strings', () => {
    const decimalish = fc.string({ unit: fc.constantFrom('0', '1', '5', '9', '.', '-', '+', ' ', 'e', ','), maxLength: 20 });
    const numeric = fc.tuple(fc.boolean(), fc.stringMatching(/^\d{0,17}$/), fc.option(fc.stringMatching(/^\d{0,4}$/))).map(([neg, w, f]) => `${neg ? '-' : ''}${w}${f === null ? '' : `.${f}`}`);
    fc.assert(
      fc.property(fc.oneof(decimalish, numeric), (text) => {
        expect(outcome(amountCents, text)).toEqual(outcome(parseCents, text));
      }),
      { numRuns: 2000 },
    );
    for (const t of ['0', '-0', '-0.00', '12.', '.5', '-.05', '9999999999999.99', '99999999999999.99', '1.000', '1.005']) {
      expect(outcome(amountCents, t)).toEqual(outcome(parseCents, t));
    }
  });
});

describe('random balanced remittances', () => {
  it('parse back to the generated totals and balance', () => {
    fc.assert(
      fc.property(txsArb, styleArb, (txs, style) => {
        const r = parse835(serialize(txs, style), { strict: true });
        const s = summarize835(r);
        expect(r.issues).toEqual([]);
        expect(s).toMatchObject({
          transactionCount: txs.length,
          claimCount: txs.reduce((n, t) => n + t.claims.length, 0),
          serviceLineCount: txs.reduce((n, t) => n + t.claims.reduce((m, c) => m + c.services.length, 0), 0),
          paymentTotalCents: txs.reduce((n, t) => n + t.bpr, 0),
          claimPaidTotalCents: txs.reduce((n, t) => n + t.claims.reduce((m, c) => m + c.paid, 0), 0),
          plbTotalCents: txs.reduce((n, t) => n + t.plbs.flat().reduce((m, p) => m + p.amount, 0), 0),
          balanced: true,
          casGroups: expectedCas(txs),
        });
        const firstClaim = r.transactions[0].claims[0];
        expect(firstClaim.patientControlNumber).toBe(txs[0].claims[0].pcn);
        expect(firstClaim.services.map((x) => [x.procedure.code, x.procedure.modifiers, x.chargeCents, x.paidCents])).toEqual(
          txs[0].claims[0].services.map((x) => [x.code, x.modifiers, x.charge, x.paid]),
        );
      }),
      { numRuns: 80 },
    );
  });

  type Slot = 'BPR02' | 'CLP03' | 'CLP04' | 'SVC02' | 'SVC03' | 'CAS-claim' | 'CAS-service' | 'PLB';

  /** Applies `delta` to one amount; returns the expected (transaction, claim, service) differences. */
  function perturb(tx: Tx, slot: Slot, delta: number): { tx: number; claim: number; service: number } | undefined {
    const claim = tx.claims[0];
    const svc = claim.services[0];
    switch (slot) {
      case 'BPR02':
        tx.bpr += delta;
        return { tx: delta, claim: 0, service: 0 };
      case 'CLP03':
        claim.charge += delta;
        return { tx: 0, claim: delta, service: 0 };
      case 'CLP04':
        claim.paid += delta;
        return { tx: -delta, claim: -delta, service: 0 };
      case 'SVC02':
        if (!svc) return undefined;
        svc.charge += delta;
        return { tx: 0, claim: 0, service: delta };
      case 'SVC03':
        if (!svc) return undefined;
        svc.paid += delta;
        return { tx: 0, claim: 0, service: -delta };
      case 'CAS-claim':
        if (claim.cas.length === 0) return undefined;
        claim.cas[0].triples[claim.cas[0].triples.length - 1].amount += delta;
        return { tx: 0, claim: -delta, service: 0 };
      case 'CAS-service':
        if (!svc || svc.cas.length === 0) return undefined;
        svc.cas[0].triples[svc.cas[0].triples.length - 1].amount += delta;
        return { tx: 0, claim: -delta, service: -delta };
      case 'PLB':
        if (tx.plbs.length === 0) return undefined;
        tx.plbs[0][0].amount += delta;
        return { tx: delta, claim: 0, service: 0 };
    }
  }

  it('detects any single perturbed amount at the right level', () => {
    fc.assert(
      fc.property(
        txArb,
        styleArb,
        fc.constantFrom<Slot>('BPR02', 'CLP03', 'CLP04', 'SVC02', 'SVC03', 'CAS-claim', 'CAS-service', 'PLB'),
        fc.integer({ min: -10_000, max: 10_000 }).filter((d) => d !== 0),
        (tx, style, slot, delta) => {
          const expected = perturb(tx, slot, delta);
          fc.pre(expected !== undefined);
          const r = parse835(serialize([tx], style), { strict: true });
          const b = r.transactions[0].balance;
          expect(summarize835(r).balanced).toBe(false);
          expect(b.paymentBalanced ? 0 : b.differenceCents).toBe(expected!.tx);
          expect(b.claimImbalances.map((c) => [c.patientControlNumber, c.differenceCents])).toEqual(expected!.claim ? [[tx.claims[0].pcn, expected!.claim]] : []);
          expect(b.serviceImbalances.map((s) => [s.segmentIndex, s.differenceCents])).toEqual(
            expected!.service ? [[r.transactions[0].claims[0].services[0].segmentIndex, expected!.service]] : [],
          );
        },
      ),
      { numRuns: 120 },
    );
  });

  it('gives identical results whatever the chunk boundaries (strings and bytes)', () => {
    fc.assert(
      fc.property(txsArb, styleArb, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 30 }), fc.boolean(), (txs, style, sizes, bytes) => {
        const text = serialize(txs, style);
        const whole = parse835(text);
        const parser = createX12Parser();
        const input: string | Uint8Array = bytes ? Buffer.from(text, 'utf8') : text;
        let pos = 0;
        let k = 0;
        while (pos < input.length) {
          const size = sizes[k++ % sizes.length];
          parser.push(input.slice(pos, pos + size));
          pos += size;
        }
        const chunked: X12ParseResult = parser.end();
        expect(chunked).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });
});
