import { Faults, mulberry32 } from '../../sim/odoo/faults';

describe('Odoo emulator fault injection', () => {
  it('is reproducible for a seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('injects each kind at roughly its rate', () => {
    const f = new Faults();
    f.set({ errorRate5xx: 0.05, resetRate: 0.05, conflictRate: 0.05, afterCommitTimeoutRate: 0.05, seed: 7 });
    const n = 20_000;
    let faults = 0;
    for (let i = 0; i < n; i++) if (f.draw({})) faults++;
    expect(faults / n).toBeGreaterThan(0.18);
    expect(faults / n).toBeLessThan(0.22);
    for (const k of ['error5xx', 'reset', 'conflict', 'afterCommit'] as const) {
      expect(f.injected[k] / n).toBeGreaterThan(0.04);
      expect(f.injected[k] / n).toBeLessThan(0.06);
    }
  });

  it('respects match filters and budgets, and validates settings', () => {
    const f = new Faults();
    f.set({ conflictRate: 1, match: { method: 'create' }, budget: 2 });
    expect(f.draw({ model: 'res.partner', method: 'search_read' })).toBeNull();
    expect(f.draw({ model: 'res.partner', method: 'create' })).toBe('conflict');
    expect(f.draw({ model: 'res.partner', method: 'create' })).toBe('conflict');
    expect(f.draw({ model: 'res.partner', method: 'create' })).toBeNull();
    expect(() => f.set({ resetRate: 2 })).toThrow(RangeError);
    expect(f.clear().conflictRate).toBe(0);
  });
});
