import fc from 'fast-check';
import { allocateEvenly, applyBasisPoints, formatCents, formatUsd, MoneyError, parseCents, sumCents } from '../../src/domain/money';

describe('money in integer cents', () => {
  it('parses decimal strings exactly', () => {
    expect(parseCents('945.00')).toBe(94500);
    expect(parseCents('-1.27')).toBe(-127);
    expect(parseCents('.5')).toBe(50);
    expect(parseCents('34')).toBe(3400);
    expect(parseCents('10.000')).toBe(1000);
    expect(parseCents('0.1')).toBe(10);
    expect(parseCents('-0')).toBe(0);
  });
  it('rejects what would lose money or is not a number', () => {
    for (const bad of ['', '.', 'abc', '1,000.00', '1.005', '1e3', '--1']) expect(() => parseCents(bad)).toThrow(MoneyError);
  });
  it('formats', () => {
    expect(formatCents(-1205)).toBe('-12.05');
    expect(formatUsd(123450)).toBe('$1,234.50');
    expect(() => formatCents(1.5)).toThrow(MoneyError);
  });
  it('round-trips format/parse for any safe amount', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (c) => parseCents(formatCents(c)) === c));
  });
  it('sums are exact and associative', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 })), (xs) => sumCents(xs) === xs.reduce((a, b) => a + b, 0)));
  });
  it('allocation adds up and differs by at most one cent', () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 50 }), (c, n) => {
      const parts = allocateEvenly(c, n);
      return sumCents(parts) === c && Math.max(...parts) - Math.min(...parts) <= 1;
    }));
  });
  it('applies basis points with half-away-from-zero rounding', () => {
    expect(applyBasisPoints(10000, 2000)).toBe(2000);
    expect(applyBasisPoints(5, 5000)).toBe(3);
    expect(applyBasisPoints(-5, 5000)).toBe(-3);
  });
});
