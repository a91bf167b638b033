import fc from 'fast-check';
import { centsToOdoo, odooToCents } from '../../src/activities/odoo/money';

describe('Odoo money boundary', () => {
  it('converts cents to Odoo floats and back exactly', () => {
    expect(centsToOdoo(12345)).toBe(123.45);
    expect(odooToCents(123.45)).toBe(12345);
    expect(odooToCents(0.1 + 0.2)).toBe(30);
    expect(odooToCents(1.005)).toBe(100); // 1.005 is 1.00499999… in binary: Odoo rounds the same way in float
    expect(odooToCents(-0.001)).toBe(0);
    expect(Object.is(odooToCents(-0.001), -0)).toBe(false);
    expect(odooToCents(false)).toBe(0);
  });

  it('round-trips every cent amount up to a billion dollars', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }), (c) => {
        expect(odooToCents(centsToOdoo(c))).toBe(c);
      }),
      { numRuns: 2000 },
    );
  });

  it('sums of line amounts computed in Odoo floats come back as the cent sum', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 50 }), (lines) => {
        const odooTotal = lines.reduce((s, c) => s + Math.round(centsToOdoo(c) * 100), 0) / 100;
        expect(odooToCents(odooTotal)).toBe(lines.reduce((s, c) => s + c, 0));
      }),
    );
  });

  it('refuses non-integer cents and non-numbers', () => {
    expect(() => centsToOdoo(1.5)).toThrow(RangeError);
    expect(() => centsToOdoo(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => odooToCents('12.00')).toThrow(RangeError);
    expect(() => odooToCents(Number.NaN)).toThrow(RangeError);
  });
});
