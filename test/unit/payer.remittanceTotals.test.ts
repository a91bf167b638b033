import { MalformedRemittanceError, remittanceTotals } from '../../src/activities/payer/remittanceTotals';
import { corruptClaimAmount, recon835 } from '../support/reconRemits';

/** The per-deposit / per-claim totals the reconciliation activity returns instead of the 835 itself. */
describe('remittanceTotals', () => {
  it('returns the deposit (TRN02, BPR02/03, BPR16, PLB) and each claim net paid', () => {
    const x12 = recon835('EFT123', [{ claimId: 'RCA-1', paidCents: 8_000 }, { claimId: 'RCB-2', paidCents: 0 }], [{ reason: 'L6', amountCents: -150 }]);
    const t = remittanceTotals(x12);
    expect(t.deposits).toEqual([{ traceNumber: 'EFT123', paymentCents: 8_150, creditDebit: 'C', paymentDate: new Date().toISOString().slice(0, 10), plbCents: -150 }]);
    expect(t.claims).toEqual([
      { claimId: 'RCA-1', traceNumber: 'EFT123', paidCents: 8_000, status: '1' },
      { claimId: 'RCB-2', traceNumber: 'EFT123', paidCents: 0, status: '4' },
    ]);
  });

  it('nets a reversal against its correction within a deposit', () => {
    const x12 = recon835('EFT9', [
      { claimId: 'RCA-1', paidCents: -8_000, chargeCents: -10_000, status: '22' },
      { claimId: 'RCA-1', paidCents: 6_000, chargeCents: 10_000, status: '1' },
      { claimId: 'RCB-1', paidCents: 5_000 },
    ]);
    const t = remittanceTotals(x12);
    expect(t.claims).toEqual([
      { claimId: 'RCA-1', traceNumber: 'EFT9', paidCents: -2_000, status: '1' },
      { claimId: 'RCB-1', traceNumber: 'EFT9', paidCents: 5_000, status: '1' },
    ]);
    expect(t.deposits).toEqual([expect.objectContaining({ paymentCents: 3_000, creditDebit: 'C' })]);
  });

  it('a bad amount is a MalformedRemittanceError naming segment, element and byte offset', () => {
    const x12 = corruptClaimAmount(recon835('EFT1', [{ claimId: 'RCA-1', paidCents: 100 }, { claimId: 'RCB-1', paidCents: 200 }]), 2);
    let error: unknown;
    try {
      remittanceTotals(x12);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MalformedRemittanceError);
    const m = error as MalformedRemittanceError;
    expect(m.message).toMatch(/^segment \d+ CLP\/CLP04 @byte \d+: /);
    expect(m.position).toEqual({ segmentIndex: expect.any(Number), segmentId: 'CLP', element: 'CLP04', byteOffset: x12.indexOf('CLP*RCB-1') });
  });

  it('a truncated file (no SE/GE/IEA) is malformed rather than silently partial', () => {
    const x12 = recon835('EFT2', [{ claimId: 'RCA-1', paidCents: 100 }]);
    const cut = x12.slice(0, x12.indexOf('SE*'));
    expect(() => remittanceTotals(cut)).toThrow(MalformedRemittanceError);
    expect(() => remittanceTotals(cut)).toThrow(/MISSING_SE|no SE|segment \d+/);
  });

  it('accepts odd but printable claim ids; refuses ones that cannot be an Odoo key or ticket title', () => {
    expect(remittanceTotals(recon835('EFT3', [{ claimId: 'ODD ID/7%', paidCents: 100 }])).claims[0].claimId).toBe('ODD ID/7%');
    const long = 'C'.repeat(81);
    expect(() => remittanceTotals(recon835('EFT3', [{ claimId: long, paidCents: 100 }]))).toThrow(/segment \d+ CLP\/CLP01 @byte \d+: CLP01 is longer than 80/);
  });

  it('input that is not an 835 at all is malformed', () => {
    expect(() => remittanceTotals('ISA*garbage~')).toThrow(MalformedRemittanceError);
  });
});
