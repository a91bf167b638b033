/**
 * Broken inputs: each error class must carry the segment index (1-based over the file), segment id, element position
 * and byte offset; structural problems are issues in lenient mode and errors in strict mode.
 */
import { parse835, summarize835, X12ParseError, type X12ParseResult } from '../../src/domain/x12';

const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*P*:';

/** A small, balanced 835: 18 segments; CLP is segment 9, SVC 11, SE 16. */
const BASE = [
  ISA, // 1
  'GS*HP*SENDER*RECEIVER*20240101*1200*1*X*005010X221A1', // 2
  'ST*835*0001', // 3
  'BPR*I*100*C*CHK************20240105', // 4
  'TRN*1*TRACE1*1234567890', // 5
  'N1*PR*ACME PAYER', // 6
  'N1*PE*CLINIC*XX*1234567893', // 7
  'LX*1', // 8
  'CLP*PCN1*1*150*100*20*12*PAYERCN1', // 9
  'NM1*QC*1*DOE*JANE****MI*M1', // 10
  'SVC*HC:99213:25*150*100**1', // 11
  'DTM*472*20240101', // 12
  'CAS*PR*1*20', // 13
  'CAS*CO*45*30', // 14
  'AMT*B6*120', // 15
  'SE*14*0001', // 16
  'GE*1*1', // 17
  'IEA*1*000000001', // 18
];

function build(segments: string[], terminator = '~\n'): string {
  return segments.map((s) => s + terminator).join('');
}

function replaced(index: number, segment: string): string[] {
  const copy = [...BASE];
  copy[index - 1] = segment;
  return copy;
}

function byteOffsetOf(text: string, segmentIndex: number): number {
  // BASE text is ASCII: byte offset == character offset of the segment start.
  return text.split('~\n').slice(0, segmentIndex - 1).reduce((n, s) => n + s.length + 2, 0);
}

function thrown(fn: () => unknown): X12ParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof X12ParseError) return e;
    throw e;
  }
  throw new Error('expected an X12ParseError');
}

describe('the base remittance used by these tests', () => {
  it('parses, maps and balances', () => {
    const r = parse835(build(BASE), { strict: true });
    expect(r.issues).toEqual([]);
    expect(r.segmentCount).toBe(18);
    const tx = r.transactions[0];
    expect(tx.payment).toMatchObject({ handlingCode: 'I', totalCents: 10000, creditDebit: 'C', method: 'CHK', date: '20240105' });
    expect(tx.traceNumber).toBe('TRACE1');
    expect(tx.payer?.name).toBe('ACME PAYER');
    expect(tx.payee).toMatchObject({ name: 'CLINIC', idQualifier: 'XX', npi: '1234567893' });
    const claim = tx.claims[0];
    expect(claim).toMatchObject({ patientControlNumber: 'PCN1', status: '1', chargeCents: 15000, paidCents: 10000, patientResponsibilityCents: 2000, payerClaimControlNumber: 'PAYERCN1', segmentIndex: 9 });
    expect(claim.parties[0]).toMatchObject({ entityCode: 'QC', idQualifier: 'MI', id: 'M1' });
    const svc = claim.services[0];
    expect(svc.procedure).toEqual({ qualifier: 'HC', code: '99213', modifiers: ['25'], raw: 'HC:99213:25', description: undefined });
    expect(svc).toMatchObject({ chargeCents: 15000, paidCents: 10000, allowedCents: 12000, serviceDate: '20240101', units: '1', segmentIndex: 11 });
    expect(svc.adjustments).toEqual([
      { group: 'PR', reason: '1', amountCents: 2000, segmentIndex: 13 },
      { group: 'CO', reason: '45', amountCents: 3000, segmentIndex: 14 },
    ]);
    expect(tx.balance.balanced).toBe(true);
    expect(summarize835(r)).toMatchObject({ balanced: true, paymentTotalCents: 10000, casGroups: { CO: ['45'], PR: ['1'] } });
  });
});

describe('bad ISA', () => {
  it('rejects an ISA with too few elements, naming the first missing one', () => {
    const short = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200';
    const err = thrown(() => parse835(build(replaced(1, short))));
    expect(err).toMatchObject({ code: 'INVALID_ISA', segmentIndex: 1, segmentId: 'ISA', element: 'ISA11', byteOffset: 0 });
  });

  it('rejects input that ends inside the ISA', () => {
    const err = thrown(() => parse835(ISA.slice(0, 40)));
    expect(err).toMatchObject({ code: 'INVALID_ISA', segmentIndex: 1, segmentId: 'ISA' });
  });

  it('rejects an alphanumeric element separator', () => {
    const err = thrown(() => parse835(build(replaced(1, ISA.replace(/\*/g, 'X')))));
    expect(err).toMatchObject({ code: 'INVALID_ISA', segmentIndex: 1, segmentId: 'ISA', element: 'ISA01' });
  });

  it('rejects an ISA16 that is not a separator', () => {
    const err = thrown(() => parse835(build(replaced(1, ISA.slice(0, -1) + 'A'))));
    expect(err).toMatchObject({ code: 'INVALID_ISA', element: 'ISA16' });
  });

  it('rejects input that starts with neither ISA nor ST', () => {
    const err = thrown(() => parse835('HELLO WORLD~'));
    expect(err).toMatchObject({ code: 'INVALID_START', segmentIndex: 1, byteOffset: 0 });
  });
});

describe('truncated segment', () => {
  const text = build(BASE);
  const clpStart = byteOffsetOf(text, 9);

  it('a file cut inside CLP (before CLP04) is rejected in both modes at the CLP', () => {
    const cut = text.slice(0, clpStart + 'CLP*PCN1*1*150'.length);
    const lenient = thrown(() => parse835(cut));
    expect(lenient).toMatchObject({ code: 'MISSING_ELEMENT', segmentIndex: 9, segmentId: 'CLP', element: 'CLP04', byteOffset: clpStart });
    const strict = thrown(() => parse835(cut, { strict: true }));
    expect(strict).toMatchObject({ code: 'TRUNCATED_SEGMENT', segmentIndex: 9, segmentId: 'CLP', byteOffset: clpStart });
  });

  it('a file cut after a complete segment parses leniently with issues and fails in strict mode', () => {
    const cut = text.slice(0, clpStart + 'CLP*PCN1*1*150*100*20*12*PAYERCN1'.length);
    const r = parse835(cut);
    expect(r.issues.map((i) => [i.severity, i.code, i.segmentIndex])).toEqual([
      ['warning', 'TRUNCATED_SEGMENT', 9],
      ['error', 'MISSING_SE', 9],
      ['error', 'MISSING_GE', 9],
      ['error', 'MISSING_IEA', 9],
    ]);
    expect(r.transactions[0].claims).toHaveLength(1);
    expect(thrown(() => parse835(cut, { strict: true }))).toMatchObject({ code: 'TRUNCATED_SEGMENT', segmentIndex: 9 });
  });

  it('a missing terminator after the final IEA is only noted', () => {
    const r = parse835(text.replace(/~\n$/, ''), { strict: true });
    expect(r.issues).toEqual([expect.objectContaining({ severity: 'info', code: 'TRUNCATED_SEGMENT', segmentIndex: 18, segmentId: 'IEA' })]);
  });

  it('a segment without terminator longer than the limit is rejected', () => {
    const err = thrown(() => parse835(build(BASE.slice(0, 3)) + 'BPR*I*' + '1'.repeat(200), { maxSegmentLength: 100 }));
    expect(err).toMatchObject({ code: 'SEGMENT_TOO_LONG', segmentIndex: 4 });
  });
});

describe('missing required elements', () => {
  it.each([
    [9, 'CLP*PCN1*1*150**20', 'CLP04'],
    [9, 'CLP**1*150*100', 'CLP01'],
    [4, 'BPR*I', 'BPR02'],
    [5, 'TRN*1', 'TRN02'],
    [13, 'CAS*PR', 'CAS02'],
    [13, 'CAS*PR*1', 'CAS03'],
    [13, 'CAS*PR*1*20**2', 'CAS06'],
    [13, 'CAS*PR*1*20*1*2', 'CAS06'],
    [11, 'SVC**150*100', 'SVC01'],
  ])('segment %i %s → %s, in both modes', (index, segment, element) => {
    const text = build(replaced(index, segment));
    for (const strict of [false, true]) {
      const err = thrown(() => parse835(text, { strict }));
      expect(err).toMatchObject({ code: 'MISSING_ELEMENT', segmentIndex: index, segmentId: segment.split('*')[0], element, byteOffset: byteOffsetOf(text, index) });
      expect(err.message).toContain(element);
    }
  });
});

describe('non-numeric amounts', () => {
  it.each([
    [4, 'BPR*I*1OO*C', 'BPR02'],
    [9, 'CLP*PCN1*1*150*1O0*20', 'CLP04'],
    [9, 'CLP*PCN1*1*150*100*2,0', 'CLP05'],
    [11, 'SVC*HC:99213*abc*100', 'SVC02'],
    [13, 'CAS*PR*1*20.005', 'CAS03'],
    [14, 'CAS*CO*45*30*1*A2*x', 'CAS06'],
    [15, 'AMT*B6*$120', 'AMT02'],
  ])('segment %i %s → INVALID_AMOUNT at %s, in both modes', (index, segment, element) => {
    const text = build(replaced(index, segment));
    for (const strict of [false, true]) {
      const err = thrown(() => parse835(text, { strict }));
      expect(err).toMatchObject({ code: 'INVALID_AMOUNT', segmentIndex: index, segmentId: segment.split('*')[0], element, byteOffset: byteOffsetOf(text, index) });
    }
  });

  it('serialises the error position for callers (CLI JSON)', () => {
    const err = thrown(() => parse835(build(replaced(9, 'CLP*PCN1*1*150*1O0'))));
    expect(err.toJSON()).toEqual({
      error: 'X12ParseError',
      code: 'INVALID_AMOUNT',
      segmentIndex: 9,
      segmentId: 'CLP',
      element: 'CLP04',
      byteOffset: byteOffsetOf(build(BASE), 9),
      message: expect.stringContaining('CLP04 is not a valid amount: "1O0"'),
    });
  });
});

function issuesOf(r: X12ParseResult): unknown[] {
  return r.issues.map((i) => [i.code, i.segmentIndex, i.segmentId, i.element]);
}

describe('envelope structure', () => {
  it('SE01 count mismatch: an issue when lenient, an error when strict', () => {
    const text = build(replaced(16, 'SE*15*0001'));
    expect(issuesOf(parse835(text))).toEqual([['SE_COUNT_MISMATCH', 16, 'SE', 'SE01']]);
    expect(thrown(() => parse835(text, { strict: true }))).toMatchObject({ code: 'SE_COUNT_MISMATCH', segmentIndex: 16, segmentId: 'SE', element: 'SE01' });
  });

  it('control-number mismatches of SE02, GE02 and IEA02', () => {
    const segs = replaced(16, 'SE*14*0002');
    segs[16] = 'GE*1*2';
    segs[17] = 'IEA*1*000000009';
    const text = build(segs);
    expect(issuesOf(parse835(text))).toEqual([
      ['SE_CONTROL_MISMATCH', 16, 'SE', 'SE02'],
      ['GE_CONTROL_MISMATCH', 17, 'GE', 'GE02'],
      ['IEA_CONTROL_MISMATCH', 18, 'IEA', 'IEA02'],
    ]);
    expect(thrown(() => parse835(text, { strict: true }))).toMatchObject({ code: 'SE_CONTROL_MISMATCH', segmentIndex: 16 });
  });

  it('GE01 and IEA01 count mismatches', () => {
    const segs = replaced(17, 'GE*2*1');
    segs[17] = 'IEA*3*000000001';
    expect(issuesOf(parse835(build(segs)))).toEqual([
      ['GE_COUNT_MISMATCH', 17, 'GE', 'GE01'],
      ['IEA_COUNT_MISMATCH', 18, 'IEA', 'IEA01'],
    ]);
  });

  it('a non-numeric SE01 is an error in both modes', () => {
    expect(thrown(() => parse835(build(replaced(16, 'SE*X*0001'))))).toMatchObject({ code: 'INVALID_VALUE', segmentIndex: 16, element: 'SE01' });
  });

  it('a missing SE before the next ST closes the transaction and is reported', () => {
    const segs = [...BASE.slice(0, 15), ...BASE.slice(2, 16), 'GE*2*1', 'IEA*1*000000001'];
    const r = parse835(build(segs));
    expect(r.transactions).toHaveLength(2);
    expect(issuesOf(r)).toEqual([['MISSING_SE', 16, 'ST', undefined]]);
    expect(r.transactions[0].balance.balanced).toBe(true);
  });

  it('a missing BPR is reported and leaves the payment unbalanced', () => {
    const r = parse835(build(BASE.filter((_, i) => i !== 3).map((s) => (s.startsWith('SE*') ? 'SE*13*0001' : s))));
    expect(issuesOf(r)).toEqual([['MISSING_BPR', 3, 'ST', undefined]]);
    expect(summarize835(r)).toMatchObject({ paymentBalanced: false, balanced: false, paymentTotalCents: 0 });
  });

  it('a non-835 transaction set is skipped with a warning', () => {
    const segs = [...BASE.slice(0, 16), 'ST*999*0002', 'AK1*HP*1', 'SE*3*0002', 'GE*2*1', 'IEA*1*000000001'];
    const r = parse835(build(segs));
    expect(r.transactionCount).toBe(1);
    expect(issuesOf(r)).toEqual([['NOT_835', 17, 'ST', 'ST01']]);
    expect(() => parse835(build(segs), { strict: true })).toThrow(X12ParseError);
  });

  it('SVC without amounts and SVC01 without procedure code are structural issues', () => {
    const r = parse835(build(replaced(11, 'SVC*HC******150')));
    expect(issuesOf(r)).toEqual([
      ['SVC_MISSING_PROCEDURE_CODE', 11, 'SVC', 'SVC01'],
      ['SVC_MISSING_AMOUNT', 11, 'SVC', 'SVC02'],
    ]);
    expect(r.transactions[0].balance.serviceImbalances).toEqual([expect.objectContaining({ missingAmounts: true, segmentIndex: 11 })]);
    expect(thrown(() => parse835(build(replaced(11, 'SVC*HC:99213*150')), { strict: true }))).toMatchObject({ code: 'SVC_MISSING_AMOUNT', element: 'SVC03' });
  });
});

describe('invalid codes and ids', () => {
  it('an unknown CAS group is rejected in both modes', () => {
    expect(thrown(() => parse835(build(replaced(13, 'CAS*XX*1*20'))))).toMatchObject({ code: 'INVALID_VALUE', segmentIndex: 13, element: 'CAS01' });
  });

  it('CR in a 5010 file is a warning (strict rejects), in 4010 it is normal', () => {
    const text = build(replaced(13, 'CAS*CR*1*20'));
    expect(parse835(text).issues).toEqual([expect.objectContaining({ severity: 'warning', code: 'CAS_GROUP_NOT_IN_VERSION', segmentIndex: 13 })]);
    expect(() => parse835(text, { strict: true })).toThrow(X12ParseError);
    const v4010 = replaced(13, 'CAS*CR*1*20');
    v4010[0] = ISA.replace('*^*00501*', '*U*00401*');
    v4010[1] = 'GS*HP*SENDER*RECEIVER*20240101*1200*1*X*004010X091A1';
    expect(parse835(build(v4010), { strict: true }).issues).toEqual([]);
  });

  it('a garbled segment id is rejected with its position', () => {
    const text = build(replaced(10, 'nm1*QC*1*DOE'));
    expect(thrown(() => parse835(text))).toMatchObject({ code: 'INVALID_SEGMENT_ID', segmentIndex: 10, byteOffset: byteOffsetOf(text, 10) });
  });

  it('segments outside any transaction are warnings', () => {
    const segs = [...BASE.slice(0, 2), 'N1*PR*STRAY', ...BASE.slice(2)];
    const r = parse835(build(segs));
    expect(issuesOf(r)).toEqual([['UNEXPECTED_SEGMENT', 3, 'N1', undefined]]);
  });
});
