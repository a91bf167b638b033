/**
 * Hostile 835 files (fast-check): a valid file mangled — truncated anywhere, separators swapped, segments dropped,
 * duplicated or filled with garbage, amounts like 1e309 — and plain garbage. The parser never hangs and never throws
 * anything but a typed X12ParseError; a strict parse that refuses a file says where (segment index or byte offset),
 * and a lenient parse that accepts a damaged file records where it tolerated the damage.
 * Runs: RCM_FUZZ_RUNS per property (default 300 inside npm test; `npm run chaos` sets 10 000).
 */
import fc from 'fast-check';
import { X12ParseError, parse835, type X12ParseResult } from '../../src/domain/x12';
import { addToSummary } from '../chaos/support/summary';
import { foreign835 } from '../support/remits';

const RUNS = Number(process.env.RCM_FUZZ_RUNS ?? 300);
/** npm test replays one fixed sample (no run-to-run randomness in CI); `RCM_FUZZ_SEED=random` (npm run chaos) draws anew. */
const SEED = process.env.RCM_FUZZ_SEED === 'random' ? {} : { seed: Number(process.env.RCM_FUZZ_SEED ?? 20_261_203) };
const BASE = foreign835('CLAIM1');
const SEGMENTS = BASE.split('~').filter((s) => s.trim() !== '');

/** One way of damaging the valid file. */
const mutation: fc.Arbitrary<(text: string) => string> = fc.oneof(
  fc.nat().map((n) => (t: string) => t.slice(0, n % t.length)),
  fc.tuple(fc.constantFrom('*', '~', ':', '^', '|', '\n', '\u0000', '\u00e9', '\ud83d\ude00'), fc.constantFrom('*', '~', ':', '^', '|', '\n', '\u0000', 'é')).map(
    ([from, to]) =>
      (t: string) =>
        t.split(from).join(to),
  ),
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 40 })).map(([at, junk]) => (t: string) => t.slice(0, at % t.length) + junk + t.slice(at % t.length)),
  fc.nat().map((n) => () => SEGMENTS.filter((_, i) => i !== n % SEGMENTS.length).join('~') + '~'),
  fc.nat().map((n) => () => {
    const i = n % SEGMENTS.length;
    return [...SEGMENTS.slice(0, i + 1), ...SEGMENTS.slice(i)].join('~') + '~';
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('1e309', '-1e309', 'NaN', 'Infinity', '0x10', '1,000.00', '99999999999999999999.99', '', '.', '-', '1.2.3', '١٢٣')).map(
    ([seg, el, amount]) =>
      (t: string) => {
        const segs = t.split('~');
        const i = seg % segs.length;
        const els = segs[i].split('*');
        els[1 + (el % Math.max(1, els.length - 1))] = amount;
        segs[i] = els.join('*');
        return segs.join('~');
      },
  ),
  fc.nat({ max: 200_000 }).map((n) => (t: string) => t.replace(/NM1\*QC[^~]*/, `NM1*QC*1*${'A'.repeat(n)}`)),
);

const hostileFile: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => ms.reduce((t, m) => m(t), BASE)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2000 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 60 }).map((s) => s.join('~')) },
);

function tryParse(text: string, strict: boolean): { result?: X12ParseResult; error?: unknown; ms: number } {
  const t0 = performance.now();
  try {
    return { result: parse835(text, { strict }), ms: performance.now() - t0 };
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
}

const positioned = (e: X12ParseError) => e.segmentIndex !== undefined || e.byteOffset !== undefined;

describe('835 parser under hostile files', () => {
  it('the untouched base file parses cleanly (so every rejection below is caused by the damage)', () => {
    const { result, error } = tryParse(BASE, true);
    expect(error).toBeUndefined();
    expect(result?.transactions).toHaveLength(1);
  });

  it(`never throws an untyped error, never hangs, and says where it refused (${RUNS} files)`, () => {
    let rejected = 0;
    fc.assert(
      fc.property(hostileFile, (text) => {
        for (const strict of [true, false]) {
          const { error, ms } = tryParse(text, strict);
          expect(ms).toBeLessThan(2000);
          if (error === undefined) continue;
          expect(error).toBeInstanceOf(X12ParseError);
          // A refusal names a position, unless the file is empty (nothing to point at).
          if (text.trim() !== '') expect({ positioned: positioned(error as X12ParseError), message: (error as Error).message }).toMatchObject({ positioned: true });
          if (strict) rejected++;
        }
      }),
      { numRuns: RUNS, ...SEED },
    );
    // The generator really produces bad files: most are refused by the strict parser.
    expect(rejected).toBeGreaterThan(RUNS / 2);
    addToSummary({ 'payloads fuzzed': RUNS });
  });

  it('a truncation anywhere is refused strictly with a position or tolerated with a positioned issue', () => {
    // Up to the last character before IEA's final digit: only the terminator missing is a complete file.
    const last = BASE.trimEnd().length - 2;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: last }), (n) => {
        const text = BASE.slice(0, n);
        const strict = tryParse(text, true);
        expect(strict.error).toBeInstanceOf(X12ParseError);
        const lenient = tryParse(text, false);
        if (lenient.error) expect(positioned(lenient.error as X12ParseError) || text.trim() === '').toBe(true);
        else expect(lenient.result!.issues.some((i) => i.segmentIndex !== undefined || i.byteOffset !== undefined)).toBe(true);
      }),
      { numRuns: Math.min(RUNS, last), ...SEED },
    );
  });
});
