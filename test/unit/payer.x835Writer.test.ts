import fc from 'fast-check';
import { applyDenyRule, applyPayRule, applySecondaryPayRule, isSecondaryClaim, reversalOf } from '../../sim/payer/adjudication';
import { UnbalancedRemittanceError, write835, type Envelope, type RemitClaim, type Remittance } from '../../sim/payer/x835Writer';
import type { SubmittedClaim } from '../../sim/payer/x837Reader';
import { CLP06_CODES, clp06FromSbr09 } from '../../sim/payer/filingIndicator';
import { isX12Safe } from '../../sim/payer/x12Charset';

/**
 * The 835 writer is checked by reading its output back segment by segment right here (independently of the
 * product's X12 parser): envelope control numbers and counts, and the three balancing rules of DOMAIN.md.
 */

function segmentsOf(text: string): string[][] {
  const terminator = text[105];
  const element = text[3];
  return text
    .split(terminator)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.split(element));
}

/** Exact decimal → cents without floats (test-local on purpose). */
function cents(value: string): number {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(value);
  if (!m) throw new Error(`not a 2-decimal amount: ${value}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

interface Checked {
  bpr02: number;
  clp04: number[];
  plb: number[];
}

function checkEnvelopeAndBalance(text: string): Checked {
  const segs = segmentsOf(text);
  const ids = segs.map((s) => s[0]);
  expect(ids[0]).toBe('ISA');
  expect(ids.slice(1, 3)).toEqual(['GS', 'ST']);
  expect(ids.slice(-3)).toEqual(['SE', 'GE', 'IEA']);
  const isa = segs[0];
  expect(segs[0].join('*').length).toBe(105); // fixed-width ISA (without terminator)
  const gs = segs[1];
  const st = segs[2];
  const se = segs[segs.length - 3];
  const ge = segs[segs.length - 2];
  const iea = segs[segs.length - 1];
  expect(gs[8]).toBe('005010X221A1');
  expect(Number(se[1])).toBe(segs.length - 4); // ST..SE inclusive
  expect(se[2]).toBe(st[2]);
  expect(ge).toEqual(['GE', '1', gs[6]]);
  expect(iea).toEqual(['IEA', '1', isa[13]]);

  const body = segs.slice(3, -3);
  const bpr02 = cents(body.find((s) => s[0] === 'BPR')![2]);
  const clp04: number[] = [];
  const plb: number[] = [];
  // walk claims: CLP … (SVC …)* until next CLP / PLB / SE
  let claim: { clp: string[]; claimCas: number; svcCas: number } | undefined;
  let svc: { charge: number; paid: number; cas: number } | undefined;
  const closeSvc = () => {
    if (svc) expect(svc.charge - svc.cas).toBe(svc.paid);
    svc = undefined;
  };
  const closeClaim = () => {
    closeSvc();
    if (claim) expect(cents(claim.clp[3]) - claim.claimCas - claim.svcCas).toBe(cents(claim.clp[4]));
    claim = undefined;
  };
  const casSum = (s: string[]) => {
    let t = 0;
    for (let i = 2; i < s.length; i += 3) if (s[i + 1]) t += cents(s[i + 1]);
    return t;
  };
  for (const s of body) {
    if (s[0] === 'CLP') {
      closeClaim();
      claim = { clp: s, claimCas: 0, svcCas: 0 };
      clp04.push(cents(s[4]));
    } else if (s[0] === 'SVC') {
      closeSvc();
      svc = { charge: cents(s[2]), paid: cents(s[3]), cas: 0 };
    } else if (s[0] === 'CAS') {
      expect(s.length).toBeLessThanOrEqual(2 + 18);
      if (svc) {
        svc.cas += casSum(s);
        claim!.svcCas += casSum(s);
      } else claim!.claimCas += casSum(s);
    } else if (s[0] === 'PLB') {
      closeClaim();
      for (let i = 3; i < s.length; i += 2) plb.push(cents(s[i + 1]));
    }
  }
  closeClaim();
  expect(bpr02).toBe(clp04.reduce((a, b) => a + b, 0) - plb.reduce((a, b) => a + b, 0));
  return { bpr02, clp04, plb };
}

const env = (n = 42): Envelope => ({ senderId: 'SIMPAYER', receiverId: 'RCMRECEIVER', interchangeControlNumber: n, groupControlNumber: n, transactionControlNumber: '0042', createdAt: new Date('2026-03-20T14:05:00Z') });

const submitted = (claimId: string, charges: number[]): SubmittedClaim => ({
  claimId,
  totalChargeCents: charges.reduce((a, b) => a + b, 0),
  frequencyCode: '1',
  placeOfService: '11',
  memberRef: 'MBR-1',
  payerId: 'SIMPAYER',
  billingNpi: '1234567893',
  billingName: 'DEMO CLINIC',
  filingIndicator: 'CI',
  diagnoses: ['M5450'],
  lines: charges.map((c, i) => ({ code: i % 2 ? '20610' : '99214', modifiers: i === 0 ? ['25'] : [], chargeCents: c, units: 1, diagnosisPointers: [1], serviceDate: '2026-03-02', lineControlNumber: `${claimId}-${i + 1}` })),
});

const ctx = (ccn: string) => ({ payerClaimControlNumber: ccn, receivedDate: '2026-03-05', benefits: { copayCents: 2500, deductibleRemainingCents: 10_000, coinsuranceBasisPoints: 2000 } });

const remittance = (claims: RemitClaim[], providerAdjustments: Remittance['providerAdjustments'] = []): Remittance => ({
  payer: { id: 'SIMPAYER', name: 'Simulated Health Plan', taxId: '990000001', address: { line1: '100 Payer Plaza', city: 'Hartford', state: 'CT', zip: '06101' } },
  payee: { name: 'Demo Clinic', npi: '1234567893', taxId: '123456789' },
  paymentMethod: 'ACH',
  traceNumber: 'EFT0000000001',
  paymentDate: '2026-03-20',
  claims,
  providerAdjustments,
});

describe('835 writer', () => {
  test('paid, denied, reversed + corrected claims with PLB interest and recoupment balance at every level', () => {
    const paid = applyPayRule(submitted('CLM-1', [18_000, 32_050]), { kind: 'pay' }, ctx('C1')).remit;
    const denied = applyDenyRule(submitted('CLM-2', [9_999]), { kind: 'deny', carc: '16', rarcs: ['MA130'] }, ctx('C2'));
    const original = applyPayRule(submitted('CLM-3', [20_000]), { kind: 'pay', deductibleCents: 0 }, ctx('C3')).remit;
    const corrected = applyPayRule(submitted('CLM-3', [20_000]), { kind: 'pay', allowedBasisPoints: 9000, deductibleCents: 0 }, ctx('C4')).remit;
    const text = write835(
      remittance([paid, denied, reversalOf(original), corrected], [
        { reason: 'L6', reference: 'INTEREST', amountCents: -123 },
        { reason: 'WO', reference: 'C0', amountCents: 2_000 },
      ]),
      env(),
    );
    const { bpr02, clp04, plb } = checkEnvelopeAndBalance(text);
    expect(clp04).toEqual([paid.paidCents, 0, -original.paidCents, corrected.paidCents]);
    expect(plb).toEqual([-123, 2000]);
    expect(bpr02).toBe(paid.paidCents - original.paidCents + corrected.paidCents + 123 - 2000);
    expect(text).toContain('CLP*CLM-3*22*-200.00*');
    expect(text).toContain('MOA***MA130~');
    expect(text).toMatch(/^BPR\*I\*\d+\.\d{2}\*C\*ACH\*CCP\*/m);
    expect(text).toContain('PLB*1234567893*20261231*L6:INTEREST*-1.23*WO:C0*20.00~');
  });

  test('patient responsibility: deductible, copay and coinsurance as PR-1/3/2; CLP05 is their sum', () => {
    const { remit, deductibleUsedCents } = applyPayRule(submitted('CLM-9', [5_000, 30_000]), { kind: 'pay' }, ctx('C9'));
    // allowed 40.00 and 240.00; deductible 100.00 takes line 1 (40.00) and 60.00 of line 2; copay 25.00 from line 2.
    expect(deductibleUsedCents).toBe(10_000);
    const text = write835(remittance([remit]), env(7));
    checkEnvelopeAndBalance(text);
    expect(text).toContain('CAS*PR*1*40.00~');
    expect(text).toContain('CAS*PR*1*60.00**2*31.00**3*25.00~');
    expect(remit.patientResponsibilityCents).toBe(4_000 + 6_000 + 2_500 + 3_100);
    expect(remit.paidCents).toBe(12_400);
    // SBR09 CI (commercial) has no 835 code: CLP06 is the payer's product type, 12 (PPO), never CI.
    expect(text).toContain("CLP*CLM-9*1*350.00*124.00*156.00*12*C9*11*1~");
  });

  test('a secondary claim is CLP02 2: OA-23 for what the primary covered, the secondary pays part of the patient share, PR-2 the rest', () => {
    // charge 1,000.00 over two lines; the primary paid 640.00 and left the patient 160.00 (2320 AMT*D, CAS*PR)
    const claim = { ...submitted('CLM-S', [60_000, 40_000]), payerResponsibility: 'S', otherPayerPaidCents: 64_000, otherPayerPatientResponsibilityCents: 16_000, filingIndicator: 'MC' };
    expect(isSecondaryClaim(claim)).toBe(true);
    expect(isSecondaryClaim(submitted('CLM-P', [60_000]))).toBe(false);
    const remit = applySecondaryPayRule(claim, { kind: 'pay', allowedBasisPoints: 7500 }, ctx('CS'));
    expect(remit).toMatchObject({ status: '2', chargeCents: 100_000, paidCents: 12_000, patientResponsibilityCents: 4_000, filingIndicator: 'MC' });
    const byGroup = (group: string) => remit.services.flatMap((sv) => sv.adjustments.filter((a) => a.group === group).map((a) => a.amountCents)).reduce((a, b) => a + b, 0);
    expect(byGroup('OA')).toBe(84_000);
    expect(byGroup('PR')).toBe(4_000);
    for (const sv of remit.services) expect(sv.paidCents + sv.adjustments.reduce((n, a) => n + a.amountCents, 0)).toBe(sv.chargeCents);
    const checked = checkEnvelopeAndBalance(write835(remittance([remit]), env(7)));
    expect(checked.clp04).toEqual([12_000]);
  });

  test('more than six adjustments in one group are split into several CAS segments', () => {
    const claim = applyDenyRule(submitted('CLM-7', [70_000]), { kind: 'deny', carc: '45' }, ctx('C7'));
    claim.services[0].adjustments = Array.from({ length: 8 }, (_, i) => ({ group: 'CO' as const, reason: String(100 + i), amountCents: 8_750 }));
    const text = write835(remittance([claim]), env(8));
    checkEnvelopeAndBalance(text);
    expect(segmentsOf(text).filter((s) => s[0] === 'CAS')).toHaveLength(2);
  });

  test('a zero-payment file is a notification (BPR01 H, NON)', () => {
    const denied = applyDenyRule(submitted('CLM-5', [10_000]), { kind: 'deny', carc: '29' }, ctx('C5'));
    const text = write835(remittance([denied]), env(9));
    expect(checkEnvelopeAndBalance(text).bpr02).toBe(0);
    expect(text).toMatch(/^BPR\*H\*0\.00\*C\*NON\*/m);
  });

  test('refuses to write an unbalanced remittance or a negative payment', () => {
    const paid = applyPayRule(submitted('CLM-6', [10_000]), { kind: 'pay', deductibleCents: 0 }, ctx('C6')).remit;
    expect(paid.paidCents).toBeGreaterThan(0);
    expect(() => write835(remittance([{ ...paid, paidCents: paid.paidCents + 1 }]), env())).toThrow(UnbalancedRemittanceError);
    const svc = { ...paid.services[0], paidCents: paid.services[0].paidCents - 1 };
    expect(() => write835(remittance([{ ...paid, services: [svc] }]), env())).toThrow(/SVC02 - CAS != SVC03/);
    expect(() => write835(remittance([reversalOf(paid)]), env())).toThrow(/negative/);
  });

  test('property: any pay/deny adjudication of any claim writes a balanced, well-enveloped 835', () => {
    const line = fc.integer({ min: 1, max: 5_000_000 });
    const rule = fc.oneof(
      fc.record({
        kind: fc.constant('pay' as const),
        allowedBasisPoints: fc.integer({ min: 0, max: 10_000 }),
        deductibleCents: fc.integer({ min: 0, max: 500_000 }),
        copayCents: fc.integer({ min: 0, max: 10_000 }),
        coinsuranceBasisPoints: fc.integer({ min: 0, max: 10_000 }),
      }),
      fc.record({ kind: fc.constant('deny' as const), carc: fc.constantFrom('16', '29', '50', '197'), group: fc.constantFrom('CO' as const, 'PR' as const, 'OA' as const) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(line, { minLength: 1, maxLength: 8 }), rule, fc.boolean()), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 999_999_999 }), (claims, ctl) => {
        const remitClaims = claims.flatMap(([charges, r, reverseFirst], i) => {
          const claim = submitted(`CLM-${i}`, charges);
          const out = r.kind === 'pay' ? applyPayRule(claim, r, ctx(`C${i}`)).remit : applyDenyRule(claim, r, ctx(`C${i}`));
          return reverseFirst && out.paidCents > 0 ? [out, reversalOf(out), out] : [out];
        });
        const text = write835(remittance(remitClaims), env(ctl));
        const { bpr02 } = checkEnvelopeAndBalance(text);
        expect(bpr02).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 150 },
    );
  });

  test('CLP06 is a valid 835 claim filing indicator for every 837 SBR09 code', () => {
    // 837P SBR09 code list (005010X222A1), all of them.
    const sbr09 = ['11', '12', '13', '14', '15', '16', '17', 'AM', 'BL', 'CH', 'CI', 'DS', 'FI', 'HM', 'LM', 'MA', 'MB', 'MC', 'OF', 'TV', 'VA', 'WC', 'ZZ'];
    const written = new Map(sbr09.map((code) => [code, clp06FromSbr09(code)]));
    for (const clp06 of written.values()) expect(CLP06_CODES).toContain(clp06);
    // Shared codes echo 1:1 (Medicare B stays MB, Medicaid MC, HMO HM…); the four 837-only codes are mapped.
    for (const code of sbr09.filter((c) => !['11', 'BL', 'CI', 'FI'].includes(c))) expect(written.get(code)).toBe(code);
    expect(Object.fromEntries(['CI', 'BL', 'FI', '11'].map((c) => [c, written.get(c)]))).toEqual({ CI: '12', BL: '12', FI: 'OF', '11': 'ZZ' });
    expect(clp06FromSbr09('')).toBe('ZZ');
    expect(clp06FromSbr09(undefined)).toBe('ZZ');

    const medicare = applyPayRule({ ...submitted('CLM-MB', [10_000]), filingIndicator: 'MB' }, { kind: 'pay' }, ctx('CMB')).remit;
    expect(write835(remittance([medicare]), env(11))).toMatch(/^CLP\*CLM-MB\*1\*100\.00\*[0-9.]+\*[0-9.]+\*MB\*/m);
  });

  test('text elements are transliterated to the X12 basic/extended character set', () => {
    const remit: Remittance = {
      ...remittance([applyPayRule(submitted('CLM-TX', [10_000]), { kind: 'pay' }, ctx('C*T~X')).remit]),
      payee: { name: 'Clínica São José · Straße Œuvre', npi: '1234567893' },
      payer: { id: 'SIMPAYER', name: 'Plan de Santé Müller*Łódź', taxId: '990000001', address: { line1: '1 Größe Straße~Apt 2', city: 'Nová Ves', state: 'CT', zip: '06101' } },
    };
    const text = write835(remit, env(12));
    checkEnvelopeAndBalance(text);
    const segments = segmentsOf(text);
    expect(segments.find((s) => s[0] === 'N1' && s[1] === 'PE')?.[2]).toBe('CLINICA SAO JOSE STRASSE OEUVRE');
    expect(segments.find((s) => s[0] === 'N1' && s[1] === 'PR')?.[2]).toBe('PLAN DE SANTE MULLER LODZ');
    expect(segments.find((s) => s[0] === 'N3')?.[1]).toBe('1 GROSSE STRASSE APT 2');
    expect(segments.find((s) => s[0] === 'N4')?.[1]).toBe('NOVA VES');
    expect(segments.find((s) => s[0] === 'CLP')?.[7]).toBe('C T X');
    // Every element of every segment (ISA included, its fixed-width spaces are allowed) is in the character set.
    for (const seg of segments) for (const el of seg) for (const part of el.split(':')) expect(isX12Safe(part.replace(/\^/g, ''))).toBe(true);
  });

  test('property: any text in names comes out in the X12 character set and without delimiters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), (name, city) => {
        const remit: Remittance = { ...remittance([]), payee: { name, npi: '1234567893' }, payer: { ...remittance([]).payer, address: { line1: name, city, state: 'CT', zip: '06101' } } };
        const text = write835(remit, env(13));
        const segments = segmentsOf(text);
        for (const seg of segments.slice(1)) for (const el of seg) expect(isX12Safe(el)).toBe(true);
        expect(segments.at(-1)?.[0]).toBe('IEA');
      }),
      { numRuns: 100 },
    );
  });
});
