import fc from 'fast-check';
import {
  applyPosting,
  DEFAULT_POSTING_CONFIG,
  EMPTY_LEDGER,
  ledgerTotals,
  openPayerBalanceCents,
  planPosting,
  PostingError,
  type PostingLedger,
  type RemittanceClaim,
} from '../../../src/domain';

const remit = (over: Partial<RemittanceClaim> = {}): RemittanceClaim => ({
  traceNumber: 'EFT0001',
  patientControlNumber: 'CLM-1',
  status: '1',
  chargeCents: 30_000,
  paidCents: 24_000,
  patientResponsibilityCents: 2_000,
  payerClaimControlNumber: 'ICN-1',
  adjustments: [
    { group: 'CO', reason: '45', amountCents: 4_000 },
    { group: 'PR', reason: '2', amountCents: 2_000 },
  ],
  services: [],
  remarkCodes: [],
  ...over,
});

const negate = (r: RemittanceClaim): RemittanceClaim => ({
  ...r,
  chargeCents: -r.chargeCents,
  paidCents: -r.paidCents,
  patientResponsibilityCents: -r.patientResponsibilityCents,
  adjustments: r.adjustments.map((a) => ({ ...a, amountCents: -a.amountCents })),
  services: r.services.map((s) => ({ ...s, adjustments: s.adjustments.map((a) => ({ ...a, amountCents: -a.amountCents })) })),
});

describe('posting plan', () => {
  it('primary payment: contractual CO-45 written off, PR to the patient, idempotency key TRN02|CLP01|CLP07|CLP02', () => {
    const p = planPosting(remit());
    expect(p).toMatchObject({
      idempotencyKey: 'EFT0001|CLM-1|ICN-1|1',
      kind: 'payment',
      paymentCents: 24_000,
      contractualAdjustmentCents: 4_000,
      patientResponsibilityCents: 2_000,
      otherAdjustmentCents: 0,
      deniedCents: 0,
      writeOffCents: 4_000,
      denialRoutes: [],
      needsWriteOffApproval: false,
      imbalanceCents: 0,
      exceptions: [],
      forwardedToNextPayer: false,
    });
    expect(p.actions.map((a) => [a.type, a.amountCents, a.ref])).toEqual([
      ['register_payment', 24_000, 'EFT0001|CLM-1|ICN-1|1|payment'],
      ['contractual_write_off', 4_000, 'EFT0001|CLM-1|ICN-1|1|write_off'],
      ['transfer_to_patient', 2_000, 'EFT0001|CLM-1|ICN-1|1|patient'],
    ]);
  });

  it('CLP02 4 denied: the denied amount is routed and stays open in A/R', () => {
    const p = planPosting(remit({ status: '4', paidCents: 0, patientResponsibilityCents: 0, adjustments: [{ group: 'CO', reason: '197', amountCents: 30_000 }] }));
    expect(p.kind).toBe('denial');
    expect(p.deniedCents).toBe(30_000);
    expect(p.writeOffCents).toBe(0);
    expect(p.denialRoutes).toHaveLength(1);
    expect(p.denialRoutes[0]).toMatchObject({ queue: 'authorization', action: 'appeal', amountCents: 30_000, level: 'claim' });
    const ledger = applyPosting(EMPTY_LEDGER, p);
    expect(openPayerBalanceCents(ledger, 'CLM-1')).toBe(30_000);
  });

  it('claim-level MA130 → every line is a new claim (MA130 with any CARC); service-level denials carry their index and RARCs', () => {
    const p = planPosting(
      remit({
        status: '4', paidCents: 0, patientResponsibilityCents: 0, remarkCodes: ['MA130'], adjustments: [],
        services: [
          { procedure: 'HC:99213:25', chargeCents: 15_000, paidCents: 0, adjustments: [{ group: 'CO', reason: '16', amountCents: 15_000 }] },
          { procedure: 'HC:72148', chargeCents: 15_000, paidCents: 0, adjustments: [{ group: 'CO', reason: '50', amountCents: 15_000 }], remarkCodes: ['N115'] },
        ],
      }),
    );
    expect(p.exceptions).toEqual([]);
    expect(p.denialRoutes.map((d) => [d.serviceIndex, d.queue, d.action, d.appealable])).toEqual([
      [0, 'documentation', 'new_claim', false],
      [1, 'documentation', 'new_claim', false],
    ]);
    expect(p.denialRoutes[1].remarks).toEqual(['N115', 'MA130']);
  });

  it('partial payment with a denied line: contractual written off, denied line opened', () => {
    const p = planPosting(
      remit({
        chargeCents: 50_000, paidCents: 24_000, patientResponsibilityCents: 2_000, adjustments: [],
        services: [
          { chargeCents: 30_000, paidCents: 24_000, adjustments: [{ group: 'CO', reason: '45', amountCents: 4_000 }, { group: 'PR', reason: '3', amountCents: 2_000 }] },
          { chargeCents: 20_000, paidCents: 0, adjustments: [{ group: 'CO', reason: '97', amountCents: 20_000 }] },
        ],
      }),
    );
    expect(p).toMatchObject({ contractualAdjustmentCents: 24_000, deniedCents: 20_000, writeOffCents: 4_000, exceptions: [] });
    expect(p.denialRoutes[0]).toMatchObject({ queue: 'coding', action: 'corrected_claim', serviceIndex: 1 });
  });

  it('OA-23 on a secondary claim is the prior payer\'s part: neither a denial nor written off again; 19 is processed-and-forwarded', () => {
    const p = planPosting(remit({ status: '19', adjustments: [{ group: 'OA', reason: '23', amountCents: 4_000 }, { group: 'PR', reason: '2', amountCents: 2_000 }] }));
    expect(p).toMatchObject({ kind: 'payment', forwardedToNextPayer: true, otherAdjustmentCents: 4_000, writeOffCents: 0, priorPayerCents: 4_000, denialRoutes: [] });
  });

  it('23 forwarded and 25 predetermination move no money but are remembered', () => {
    const fwd = planPosting(remit({ status: '23' }));
    const pre = planPosting(remit({ status: '25', traceNumber: 'EFT0002' }));
    expect(fwd.kind).toBe('forwarded');
    expect(fwd.actions.map((a) => a.type)).toEqual(['notify_forwarded']);
    expect(pre.kind).toBe('predetermination');
    expect(pre.actions.map((a) => a.type)).toEqual(['record_predetermination']);
    const ledger = applyPosting(applyPosting(EMPTY_LEDGER, fwd), pre);
    expect(ledger.entries.map((e) => e.key)).toEqual([fwd.idempotencyKey, pre.idempotencyKey]);
    expect(ledgerTotals(ledger)).toMatchObject({ paymentCents: 0, chargeCents: 0, patientResponsibilityCents: 0 });
    expect(applyPosting(ledger, fwd)).toBe(ledger);
  });

  it('large contract write-offs need approval (site-configurable limit)', () => {
    const big = remit({ chargeCents: 1_000_000, paidCents: 400_000, patientResponsibilityCents: 0, adjustments: [{ group: 'CO', reason: '45', amountCents: 600_000 }] });
    expect(planPosting(big).needsWriteOffApproval).toBe(true);
    expect(planPosting(big).actions.find((a) => a.type === 'contractual_write_off')?.needsApproval).toBe(true);
    expect(planPosting(big, { ...DEFAULT_POSTING_CONFIG, writeOffApprovalOverCents: 1_000_000 }).needsWriteOffApproval).toBe(false);
  });

  it('unbalanced remits are exceptions and are never posted silently', () => {
    const bad = planPosting(remit({ paidCents: 24_001 }));
    expect(bad.exceptions).toEqual(['unbalanced_claim']);
    expect(bad.imbalanceCents).toBe(-1);
    expect(() => applyPosting(EMPTY_LEDGER, bad)).toThrow(PostingError);
    expect(planPosting(remit({ patientResponsibilityCents: 2_500 })).exceptions).toEqual(['patient_responsibility_mismatch']);
    expect(
      planPosting(remit({ adjustments: [], chargeCents: 30_000, paidCents: 30_000, patientResponsibilityCents: 0, services: [{ chargeCents: 30_000, paidCents: 29_000, adjustments: [] }] })).exceptions,
    ).toEqual(['unbalanced_service']);
    expect(planPosting(remit({ status: '22' })).exceptions).toEqual(['reversal_not_negative']);
  });
});

describe('posting ledger', () => {
  it('posting the same key twice changes nothing', () => {
    const p = planPosting(remit());
    const once = applyPosting(EMPTY_LEDGER, p);
    expect(applyPosting(once, p)).toBe(once);
    expect(applyPosting(once, planPosting(remit()))).toBe(once);
    expect(ledgerTotals(once)).toMatchObject({ paymentCents: 24_000, writeOffCents: 4_000, patientResponsibilityCents: 2_000 });
  });

  it('reversal then corrected claim nets to the corrected amounts', () => {
    const original = remit();
    const reversal = { ...negate(original), status: '22' as const, traceNumber: 'EFT0002' };
    const corrected = remit({
      traceNumber: 'EFT0002', payerClaimControlNumber: 'ICN-2', paidCents: 25_000,
      adjustments: [{ group: 'CO', reason: '45', amountCents: 3_000 }, { group: 'PR', reason: '2', amountCents: 2_000 }],
    });
    const rp = planPosting(reversal);
    expect(rp).toMatchObject({ kind: 'reversal', paymentCents: -24_000, contractualAdjustmentCents: -4_000, exceptions: [], needsWriteOffApproval: false });
    expect(rp.actions[0]).toMatchObject({ type: 'reverse_payment', amountCents: -24_000 });
    let ledger: PostingLedger = EMPTY_LEDGER;
    for (const r of [original, reversal, corrected, reversal, original]) ledger = applyPosting(ledger, planPosting(r));
    expect(ledger.entries).toHaveLength(3);
    expect(ledgerTotals(ledger, 'CLM-1')).toEqual({
      chargeCents: 30_000, paymentCents: 25_000, contractualAdjustmentCents: 3_000, patientResponsibilityCents: 2_000,
      otherAdjustmentCents: 0, deniedCents: 0, writeOffCents: 3_000, priorPayerCents: 0,
    });
    expect(openPayerBalanceCents(ledger, 'CLM-1')).toBe(0);
  });

  it('the same key with different amounts is a conflict, not a silent skip', () => {
    const once = applyPosting(EMPTY_LEDGER, planPosting(remit()));
    const changed = planPosting(remit({ paidCents: 23_000, adjustments: [{ group: 'CO', reason: '45', amountCents: 5_000 }, { group: 'PR', reason: '2', amountCents: 2_000 }] }));
    expect(() => applyPosting(once, changed)).toThrow(expect.objectContaining({ name: 'PostingError', code: 'conflict' }));
  });
});

describe('posting properties', () => {
  const cas = fc.record({
    group: fc.constantFrom('CO', 'PR', 'OA', 'PI'),
    reason: fc.constantFrom('1', '2', '3', '45', '16', '50', '97', '197', '23', '29', '999'),
    amountCents: fc.integer({ min: 0, max: 100_000 }),
  });
  const balancedRemit = fc
    .record({
      traceNumber: fc.constantFrom('T1', 'T2', 'T3'),
      patientControlNumber: fc.constantFrom('CLM-1', 'CLM-2'),
      payerClaimControlNumber: fc.constantFrom('ICN-1', 'ICN-2', 'ICN-3'),
      status: fc.constantFrom('1', '2', '4', '19', '22', '23', '25'),
      paidCents: fc.integer({ min: 0, max: 500_000 }),
      adjustments: fc.array(cas, { maxLength: 5 }),
    })
    .map(({ adjustments, paidCents, ...rest }): RemittanceClaim => {
      const pr = adjustments.filter((a) => a.group === 'PR').reduce((s, a) => s + a.amountCents, 0);
      const base: RemittanceClaim = {
        ...rest,
        status: rest.status as RemittanceClaim['status'],
        chargeCents: paidCents + adjustments.reduce((s, a) => s + a.amountCents, 0),
        paidCents,
        patientResponsibilityCents: pr,
        adjustments: adjustments.map((a) => ({ ...a, group: a.group as 'CO' | 'PR' | 'OA' | 'PI' })),
        services: [],
        remarkCodes: [],
      };
      return rest.status === '22' ? negate(base) : base;
    });
  const pool = fc.uniqueArray(balancedRemit, { minLength: 1, maxLength: 12, selector: (r) => `${r.traceNumber}|${r.patientControlNumber}|${r.payerClaimControlNumber}|${r.status}` });
  const scenario = pool.chain((p) => fc.tuple(fc.constant(p), fc.array(fc.nat(p.length - 1), { maxLength: 30 })));
  const applyAll = (ledger: PostingLedger, remits: RemittanceClaim[]) => remits.reduce((l, r) => applyPosting(l, planPosting(r)), ledger);

  it('applying a plan list twice equals applying it once', () => {
    fc.assert(
      fc.property(scenario, ([p, picks]) => {
        const list = picks.map((i) => p[i]);
        const once = applyAll(EMPTY_LEDGER, list);
        expect(applyAll(once, list)).toEqual(once);
        expect(applyAll(EMPTY_LEDGER, [...list, ...list].reverse()).entries.length).toBe(once.entries.length);
      }),
    );
  });

  it('ledger totals equal Σ paid of the distinct money-moving postings, and every charge is accounted for', () => {
    fc.assert(
      fc.property(scenario, ([p, picks]) => {
        const list = picks.map((i) => p[i]);
        const ledger = applyAll(EMPTY_LEDGER, list);
        const distinct = [...new Set(picks)].map((i) => planPosting(p[i])).filter((x) => ['payment', 'reversal', 'denial'].includes(x.kind));
        const t = ledgerTotals(ledger);
        expect(t.paymentCents).toBe(distinct.reduce((s, x) => s + x.paymentCents, 0));
        expect(t.chargeCents).toBe(t.paymentCents + t.writeOffCents + t.patientResponsibilityCents + t.deniedCents + t.priorPayerCents);
      }),
    );
  });
});
