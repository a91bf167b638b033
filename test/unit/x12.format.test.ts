/**
 * Separator handling and streaming: BOM, CRLF, line-break terminators, indentation, `^`/`>`/`:` component separators,
 * SVC01 composite fallback, bare ST..SE files, several interchanges with different separators, multi-byte text split
 * across byte chunks, PLB, and the streaming APIs.
 */
import {
  balanceClaim,
  balanceService,
  createSummaryAccumulator,
  createX12Parser,
  parse835,
  parse835Stream,
  summarize835,
  type Transaction,
} from '../../src/domain/x12';

interface Seps {
  element?: string;
  component?: string;
  repetition?: string;
  terminator?: string;
  after?: string;
  version?: '00501' | '00401';
}

/** A one-claim 835 written with the given separators. Amounts balance: 150 − (20 + 30) = 100; BPR 100 − PLB 0. */
function remit(s: Seps = {}, opts: { control?: string; svc01?: string; payer?: string } = {}): string {
  const e = s.element ?? '*';
  const c = s.component ?? ':';
  const v = s.version ?? '00501';
  const isa11 = v === '00401' ? 'U' : (s.repetition ?? '^');
  const control = opts.control ?? '000000001';
  const isa = ['ISA', '00', '          ', '00', '          ', 'ZZ', 'SENDER         ', 'ZZ', 'RECEIVER       ', '240101', '1200', isa11, v, control, '0', 'P', c].join(e);
  const svc01 = opts.svc01 ?? ['HC', '99213', '25'].join(c);
  const segs = [
    isa,
    ['GS', 'HP', 'SENDER', 'RECEIVER', '20240101', '1200', '7', 'X', v === '00401' ? '004010X091A1' : '005010X221A1'].join(e),
    ['ST', '835', '0001'].join(e),
    ['BPR', 'I', '100', 'C', 'CHK'].join(e),
    ['TRN', '1', `T${control}`].join(e),
    ['N1', 'PR', opts.payer ?? 'PAYER'].join(e),
    ['LX', '1'].join(e),
    ['CLP', 'PCN1', '1', '150', '100', '20'].join(e),
    ['SVC', svc01, '150', '100'].join(e),
    ['CAS', 'PR', '1', '20', '', '', '', ''].join(e),
    ['CAS', 'CO', '45', '30'].join(e),
    ['SE', '10', '0001'].join(e),
    ['GE', '1', '7'].join(e),
    ['IEA', '1', control].join(e),
  ];
  const t = s.terminator ?? '~';
  return segs.map((x) => x + t + (s.after ?? '')).join('');
}

function ok(text: string): Transaction {
  const r = parse835(text, { strict: true });
  expect(r.issues).toEqual([]);
  expect(r.transactions).toHaveLength(1);
  expect(r.transactions[0].balance.balanced).toBe(true);
  return r.transactions[0];
}

describe('separators', () => {
  it.each([
    ['~', ''],
    ['~', '\n'],
    ['~', '\r\n'],
    ['\n', ''],
    ['\r\n', ''],
  ])('terminator %j followed by %j', (terminator, after) => {
    const r = parse835(remit({ terminator, after }), { strict: true });
    expect(r.delimiters?.segment).toBe(terminator[0]);
    expect(r.segmentCount).toBe(14);
    expect(r.transactions[0].balance.balanced).toBe(true);
  });

  it.each([':', '>', '^'])('component separator %j in ISA16 and SVC01', (component) => {
    const tx = ok(remit({ component, repetition: component === '^' ? '{' : '^' }));
    expect(tx.claims[0].services[0].procedure).toMatchObject({ qualifier: 'HC', code: '99213', modifiers: ['25'] });
  });

  it('reads the repetition separator from ISA11 in 5010 and none in 4010', () => {
    expect(parse835(remit({ repetition: '{' })).delimiters).toEqual({ element: '*', component: ':', repetition: '{', segment: '~' });
    expect(parse835(remit({ version: '00401' })).delimiters).toEqual({ element: '*', component: ':', repetition: undefined, segment: '~' });
  });

  it('other element separators (|)', () => {
    const tx = ok(remit({ element: '|' }));
    expect(tx.payment?.totalCents).toBe(10000);
  });

  it("SVC01 written with '>' while ISA16 is ':' falls back and notes it once", () => {
    const r = parse835(remit({}, { svc01: 'HC>99213>25' }), { strict: true });
    expect(r.transactions[0].claims[0].services[0].procedure).toMatchObject({ qualifier: 'HC', code: '99213', modifiers: ['25'], raw: 'HC>99213>25' });
    expect(r.issues).toEqual([expect.objectContaining({ severity: 'info', code: 'COMPONENT_SEPARATOR_FALLBACK', segmentIndex: 9, element: 'SVC01' })]);
  });

  it('BOM, CRLF and indentation: byte offsets count the BOM as 3 bytes and skip indentation', () => {
    const body = remit({ after: '\r\n' })
      .split('\r\n')
      .map((line, i) => (line ? ' '.repeat(i % 3) + line : line))
      .join('\r\n');
    const r = parse835('\ufeff' + body, { strict: true });
    const claim = r.transactions[0].claims[0];
    const expected = Buffer.byteLength('\ufeff' + body.slice(0, body.indexOf('CLP*')), 'utf8');
    expect(claim.byteOffset).toBe(expected);
    expect(r.interchanges[0].byteOffset).toBe(3);
    expect(claim.segmentIndex).toBe(8);
  });

  it('multi-byte characters: offsets are UTF-8 bytes, also when a character is split across byte chunks', () => {
    const text = remit({ after: '\n' }, { payer: 'CAISSE MÉDICALE – ÎLE 🏥' });
    const bytes = Buffer.from(text, 'utf8');
    const whole = parse835(text);
    const claimOffset = bytes.indexOf(Buffer.from('CLP*'));
    expect(whole.transactions[0].claims[0].byteOffset).toBe(claimOffset);
    expect(whole.transactions[0].payer?.name).toBe('CAISSE MÉDICALE – ÎLE 🏥');
    for (const step of [1, 2, 3, 5]) {
      const parser = createX12Parser();
      for (let i = 0; i < bytes.length; i += step) parser.push(bytes.subarray(i, i + step));
      expect(parser.end().transactions).toEqual(whole.transactions);
    }
  });

  it('several interchanges in one file, each with its own separators', () => {
    const text =
      remit({}, { control: '000000001' }) + '\n' + remit({ element: '|', component: '>', terminator: '\n' }, { control: '000000002' }) + remit({ terminator: '~', after: '\r\n' }, { control: '000000003' });
    const r = parse835(text, { strict: true });
    expect(r.interchanges.map((i) => [i.controlNumber, i.delimiters.element, i.delimiters.segment])).toEqual([
      ['000000001', '*', '~'],
      ['000000002', '|', '\n'],
      ['000000003', '*', '~'],
    ]);
    expect(summarize835(r)).toMatchObject({ transactionCount: 3, paymentTotalCents: 30000, balanced: true, traceNumbers: ['T000000001', 'T000000002', 'T000000003'] });
  });
});

describe('no envelope', () => {
  const bare = 'ST*835*1234~BPR*I*100*C*CHK~TRN*1*TR1~N1*PR*PAYER~LX*1~CLP*A*1*150*100~SVC*HC>99213*150*100~CAS*CO*45*50~SE*9*1234~';

  it('infers separators from ST and reports the missing envelope', () => {
    const r = parse835(bare);
    expect(r.delimiters).toMatchObject({ element: '*', segment: '~', componentInferred: true });
    expect(r.issues.filter((i) => i.severity !== 'info').map((i) => [i.severity, i.code, i.segmentIndex])).toEqual([['error', 'NO_ENVELOPE', 1]]);
    expect(r.transactions[0].claims[0].services[0].procedure.code).toBe('99213');
    expect(summarize835(r).balanced).toBe(true);
    expect(() => parse835(bare, { strict: true })).toThrow(/no ISA\/GS envelope/);
  });

  it('works with newline terminators too', () => {
    const r = parse835(bare.replace(/~/g, '\r\n'));
    expect(r.delimiters?.segment).toBe('\r');
    expect(r.segmentCount).toBe(9);
    expect(summarize835(r).balanced).toBe(true);
  });
});

describe('PLB and transaction balance', () => {
  it('maps up to six reason/amount pairs with composite references; positive PLB reduces the payment', () => {
    const text = remit()
      .replace('BPR*I*100*', 'BPR*I*85.5*')
      .replace('SE*10*0001~', 'PLB*1234567893*20241231*WO:REF1*10*L6*5.00***CS:X*-0.5~SE*11*0001~');
    const tx = ok(text);
    expect(tx.providerAdjustments).toEqual([
      {
        segmentIndex: 12,
        byteOffset: text.indexOf('PLB*'),
        providerId: '1234567893',
        date: '20241231',
        adjustments: [
          { reason: 'WO', reference: 'REF1', amountCents: 1000 },
          { reason: 'L6', reference: undefined, amountCents: 500 },
          { reason: 'CS', reference: 'X', amountCents: -50 },
        ],
      },
    ]);
    expect(tx.balance).toMatchObject({ paymentCents: 8550, claimPaidCents: 10000, plbCents: 1450, expectedPaymentCents: 8550, differenceCents: 0 });
  });

  it('balanceService and balanceClaim expose the per-line and per-claim arithmetic', () => {
    const tx = parse835(remit().replace('CLP*PCN1*1*150*100*20', 'CLP*PCN1*1*150*99*20')).transactions[0];
    const claim = tx.claims[0];
    expect(balanceService(claim.services[0])).toEqual({ casCents: 5000, differenceCents: 0, missingAmounts: false, balanced: true });
    expect(balanceClaim(claim)).toEqual({ claimCasCents: 0, serviceCasCents: 5000, expectedPaidCents: 10000, differenceCents: 100, balanced: false });
    expect(tx.balance.claimImbalances).toEqual([expect.objectContaining({ segmentIndex: 8, expectedPaidCents: 10000, paidCents: 9900, differenceCents: 100 })]);
  });

  it('tolerates DOS end-of-file filler after the last segment', () => {
    expect(parse835(`${remit({ after: '\r\n' })}\u001a\u0000`, { strict: true }).transactionCount).toBe(1);
  });

  it('reports a payment that does not match claims and PLB', () => {
    const tx = parse835(remit().replace('BPR*I*100*', 'BPR*I*100.01*')).transactions[0];
    expect(tx.balance).toMatchObject({ paymentBalanced: false, balanced: false, differenceCents: 1 });
  });
});

describe('streaming APIs', () => {
  it('parse835Stream consumes an async iterable of string and byte chunks', async () => {
    const text = remit({ after: '\n' });
    async function* chunks(): AsyncGenerator<string | Uint8Array> {
      yield text.slice(0, 50);
      yield Buffer.from(text.slice(50, 200));
      yield text.slice(200);
    }
    const r = await parse835Stream(chunks(), { strict: true });
    expect(r.transactions).toEqual(parse835(text).transactions);
  });

  it('retainTransactions:false hands each transaction to onTransaction and keeps none', () => {
    const acc = createSummaryAccumulator();
    const parser = createX12Parser({ retainTransactions: false, onTransaction: (tx) => acc.add(tx) });
    const text = remit() + remit({}, { control: '000000002' });
    parser.push(text);
    const r = parser.end();
    expect(r.transactions).toEqual([]);
    expect(r.transactionCount).toBe(2);
    expect(acc.finish(r.issues)).toEqual(summarize835(parse835(text)));
    expect(() => summarize835(r)).toThrow(/retained/);
  });

  it('end() is idempotent and push() after end() is refused', () => {
    const parser = createX12Parser();
    parser.push(remit());
    const first = parser.end();
    expect(parser.end()).toBe(first);
    expect(() => parser.push('ISA')).toThrow(/after end/);
  });
});
