import fc from 'fast-check';
import { carcEntry, isWorkableDenial, patientShare, planPosting, planProviderAdjustments, plbPaymentEffectCents, routeDenial, type RemittanceClaim } from '../../../src/domain';
import { balanceTransaction } from '../../../src/domain/x12';

/** Issue 11: ordinary adjustments on a paid claim are not denials; partial denials; COB; denial-table fixes. */
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

describe('CARC table: ordinary adjustments (DOMAIN.md second pass)', () => {
  it.each([
    ['237', /Regulatory Penalty/],
    ['131', /negotiated discount/],
    ['94', /excess of charges/],
    ['144', /Incentive/],
    ['223', /mandated/],
    ['253', /Sequestration/],
  ])('CARC %s is a contractual adjustment with its meaning', (code, meaning) => {
    expect(carcEntry(code)).toMatchObject({ queue: 'contractual', action: 'contractual_adjustment', appealable: false });
    expect(carcEntry(code)!.description).toMatch(meaning);
    for (const group of ['CO', 'OA']) expect(isWorkableDenial(routeDenial({ group, reason: code }))).toBe(false);
  });
});

describe('posting classification on a paid claim (CLP02 1/2/3 with payment)', () => {
  it('a Medicare-paid claim with CO-237 and CO-253 posts as paid: write-off, no denial work', () => {
    const p = planPosting(remit({ adjustments: [{ group: 'CO', reason: '45', amountCents: 3_500 }, { group: 'CO', reason: '237', amountCents: 300 }, { group: 'CO', reason: '253', amountCents: 200 }, { group: 'PR', reason: '2', amountCents: 2_000 }] }));
    expect(p.exceptions).toEqual([]);
    expect(p.denialScope).toBe('none');
    expect(p.denialRoutes).toEqual([]);
    expect(p.writeOffCents).toBe(4_000);
    expect(p.actions.map((a) => a.type)).toEqual(['register_payment', 'contractual_write_off', 'transfer_to_patient']);
  });
  it('an unknown CO/OA code on a paid claim is posted as an adjustment and flagged for review, not worked', () => {
    const p = planPosting(remit({ adjustments: [{ group: 'CO', reason: '45', amountCents: 3_000 }, { group: 'OA', reason: 'Z9', amountCents: 1_000 }, { group: 'PR', reason: '2', amountCents: 2_000 }] }));
    expect(p.denialScope).toBe('none');
    expect(p.writeOffCents).toBe(4_000);
    expect(p.reviewFlags).toHaveLength(1);
    expect(p.reviewFlags[0]).toMatchObject({ group: 'OA', reason: 'Z9', known: false, amountCents: 1_000 });
    expect(p.actions.filter((a) => a.type === 'flag_for_review')).toHaveLength(1);
  });
  it('an unknown code on a denied claim (CLP02 4) is still a denial to work', () => {
    const p = planPosting(remit({ status: '4', paidCents: 0, patientResponsibilityCents: 0, adjustments: [{ group: 'CO', reason: 'Z9', amountCents: 30_000 }] }));
    expect(p.denialScope).toBe('full');
    expect(p.denialRoutes[0]).toMatchObject({ queue: 'general_review', known: false });
  });
  it('partial denial: a paid claim with one denied line splits the line into denial work and settles the rest', () => {
    const p = planPosting(remit({
      chargeCents: 30_000,
      paidCents: 16_000,
      patientResponsibilityCents: 2_000,
      adjustments: [],
      services: [
        { procedure: 'HC:99213', chargeCents: 20_000, paidCents: 16_000, adjustments: [{ group: 'CO', reason: '45', amountCents: 2_000 }, { group: 'PR', reason: '2', amountCents: 2_000 }] },
        { procedure: 'HC:97110', chargeCents: 10_000, paidCents: 0, adjustments: [{ group: 'CO', reason: '50', amountCents: 10_000 }] },
      ],
    }));
    expect(p.exceptions).toEqual([]);
    expect(p.denialScope).toBe('partial');
    expect(p.denialRoutes).toEqual([expect.objectContaining({ reason: '50', level: 'service', serviceIndex: 1, amountCents: 10_000 })]);
    expect(p.deniedCents).toBe(10_000);
    expect(p.writeOffCents).toBe(2_000);
  });
  it('processed with no payment and a real denial is a full denial', () => {
    const p = planPosting(remit({ status: '1', paidCents: 0, patientResponsibilityCents: 0, adjustments: [{ group: 'CO', reason: '197', amountCents: 30_000 }] }));
    expect(p.denialScope).toBe('full');
  });
  it('property: on a paid claim with only table-known non-denial or unknown CO/OA codes, nothing is workable and all is posted', () => {
    const code = fc.constantFrom('45', '237', '131', '94', '144', '223', '253', '59', 'Z1', 'Q7');
    fc.assert(
      fc.property(fc.array(fc.record({ group: fc.constantFrom('CO', 'OA'), reason: code, amountCents: fc.integer({ min: 1, max: 50_000 }) }), { maxLength: 6 }), fc.integer({ min: 1, max: 100_000 }), (adjs, paid) => {
        const adjustments = adjs.map((a) => ({ ...a, group: a.group as 'CO' | 'OA' }));
        const total = adjustments.reduce((s, a) => s + a.amountCents, 0);
        const p = planPosting(remit({ paidCents: paid, chargeCents: paid + total, patientResponsibilityCents: 0, adjustments }));
        expect(p.exceptions).toEqual([]);
        expect(p.denialScope).toBe('none');
        expect(p.deniedCents).toBe(0);
        expect(p.writeOffCents).toBe(total);
        expect(p.reviewFlags.length).toBe(adjustments.filter((a) => !carcEntry(a.reason)).length);
      }),
    );
  });
});

describe('coordination of benefits', () => {
  it('OA-23 on a secondary remit is informational: balanced, never written off again', () => {
    const p = planPosting(remit({ chargeCents: 30_000, paidCents: 3_000, patientResponsibilityCents: 1_000, adjustments: [{ group: 'OA', reason: '23', amountCents: 26_000 }, { group: 'PR', reason: '2', amountCents: 1_000 }] }));
    expect(p.exceptions).toEqual([]);
    expect(p.priorPayerCents).toBe(26_000);
    expect(p.writeOffCents).toBe(0);
    expect(p.denialScope).toBe('none');
    expect(p.actions.map((a) => a.type)).not.toContain('contractual_write_off');
  });
  it('CO-23 and PI-23 route to coordination of benefits', () => {
    for (const group of ['CO', 'PI']) expect(routeDenial({ group, reason: '23' })).toMatchObject({ queue: 'eligibility_cob', action: 'rebill_other_payer' });
  });
  it('CLP02 19/20/21 hold patient billing for the secondary; the secondary remit recomputes the share', () => {
    for (const status of ['19', '20', '21'] as const) {
      const primary = planPosting(remit({ status }));
      expect(primary.forwardedToNextPayer).toBe(true);
      expect(primary.patientBillingHeld).toBe(true);
      expect(primary.actions.map((a) => a.type)).toContain('hold_patient_for_secondary');
      expect(primary.actions.map((a) => a.type)).not.toContain('transfer_to_patient');
      expect(patientShare(primary)).toEqual({ patientCents: 2_000, held: true, decidedBy: 'primary' });
      const secondary = planPosting(remit({ traceNumber: 'EFT2', paidCents: 1_500, chargeCents: 30_000, patientResponsibilityCents: 500, adjustments: [{ group: 'OA', reason: '23', amountCents: 28_000 }, { group: 'PR', reason: '2', amountCents: 500 }] }));
      expect(patientShare(primary, secondary)).toEqual({ patientCents: 500, held: false, decidedBy: 'secondary' });
    }
  });
  it('property: the patient share after a secondary is the secondary\'s PR, never the sum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (prPrimary, prSecondary) => {
        const share = patientShare({ kind: 'payment', forwardedToNextPayer: true, patientResponsibilityCents: prPrimary }, { kind: 'payment', forwardedToNextPayer: false, patientResponsibilityCents: prSecondary });
        expect(share.patientCents).toBe(prSecondary);
      }),
    );
  });
  it('a primary without crossover but with a second coverage on file holds too', () => {
    expect(patientShare(planPosting(remit()), undefined, { hasSecondaryCoverage: true }).held).toBe(true);
    expect(patientShare(planPosting(remit())).held).toBe(false);
  });
});

describe('denial table fixes (DOMAIN.md "Denial routing refinements")', () => {
  it('CO-16 alone → corrected claim; with a records remark → send records', () => {
    expect(routeDenial({ group: 'CO', reason: '16' })).toMatchObject({ action: 'corrected_claim' });
    for (const r of ['M127', 'N29', 'N225']) expect(routeDenial({ group: 'CO', reason: '16', rarcs: [r] })).toMatchObject({ action: 'send_records', refinedBy: r });
  });
  it('MA130 with any CARC → new claim, no appeal', () => {
    fc.assert(
      fc.property(fc.constantFrom('16', '50', '197', '4', '29', 'Z9', '252'), fc.constantFrom('CO', 'OA', 'PI'), (reason, group) => {
        expect(routeDenial({ group, reason, rarcs: ['MA130'] })).toMatchObject({ action: 'new_claim', appealable: false, refinedBy: 'MA130' });
      }),
    );
  });
  it('N290 is a billing-data fix, not credentialing', () => {
    const r = routeDenial({ group: 'CO', reason: '16', rarcs: ['N290'] });
    expect(r).toMatchObject({ action: 'billing_data_fix', refinedBy: 'N290' });
    expect(r.queue).not.toBe('credentialing');
  });
  it('CO-96 / CO-204 → patient-liability / ABN check, not an appeal', () => {
    for (const reason of ['96', '204']) expect(routeDenial({ group: 'CO', reason })).toMatchObject({ action: 'abn_check', appealable: false });
  });
});

describe('835 transaction balance: BPR03 D (debit)', () => {
  it('a debit BPR02 counts as negative: a net recoupment balances against negative CLP04 / PLB', () => {
    const tx = (creditDebit: string, total: number) => ({
      controlNumber: '0001',
      payment: { totalCents: total, creditDebit } as never,
      claims: [],
      providerAdjustments: [{ adjustments: [{ amountCents: 5_000 }] }] as never,
    });
    // no claims, PLB +5,000 (the payer takes back 50.00): BPR02 = 0 − 5,000 → a 50.00 debit
    expect(balanceTransaction(tx('D', 5_000))).toMatchObject({ paymentCents: -5_000, differenceCents: 0, paymentBalanced: true });
    expect(balanceTransaction(tx('C', 5_000))).toMatchObject({ paymentBalanced: false, differenceCents: 10_000 });
  });
});

describe('PLB provider-level adjustments (DOMAIN.md second pass)', () => {
  const claims = [{ patientControlNumber: 'CLM-1', payerClaimControlNumber: 'ICN-1' }, { patientControlNumber: 'CLM-2', payerClaimControlNumber: 'ICN-2' }];
  it('WO/FB recoup against the claim named in PLB03-2 (CLP07 or CLP01); L6 interest and 72 returns get their own lines', () => {
    const lines = planProviderAdjustments('EFT9', [
      { reason: 'WO', reference: 'ICN-2', amountCents: 5_000 },
      { reason: 'FB', reference: 'CLM-1', amountCents: 1_000 },
      { reason: 'L6', amountCents: -250 },
      { reason: '72', reference: 'REFUND-7', amountCents: -3_000 },
    ], claims);
    expect(lines.map((l) => [l.kind, l.claimId, l.paymentEffectCents])).toEqual([
      ['recoupment', 'CLM-2', -5_000],
      ['recoupment', 'CLM-1', -1_000],
      ['interest', undefined, 250],
      ['authorized_return', undefined, 3_000],
    ]);
    expect(new Set(lines.map((l) => l.ref)).size).toBe(4);
  });
  it('nothing is silently ignored: an unknown code or a recoupment of a claim not in our books is a review line', () => {
    const lines = planProviderAdjustments('EFT9', [{ reason: 'WO', reference: 'ICN-404', amountCents: 100 }, { reason: 'CS', amountCents: 700 }], claims);
    expect(lines.map((l) => l.kind)).toEqual(['review', 'review']);
  });
  it('property: the lines carry exactly −ΣPLB, so ΣCLP04 + effect = BPR02', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ reason: fc.constantFrom('WO', 'FB', 'L6', '72', 'CS', 'J1'), reference: fc.constantFrom('ICN-1', 'CLM-2', 'X', ''), amountCents: fc.integer({ min: -100_000, max: 100_000 }) }), { maxLength: 8 }), (plbs) => {
        const lines = planProviderAdjustments('T', plbs, claims);
        expect(lines).toHaveLength(plbs.length);
        expect(plbPaymentEffectCents(lines)).toBe(0 - plbs.reduce((s, p) => s + p.amountCents, 0));
      }),
    );
  });
});
