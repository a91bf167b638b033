/**
 * Money is integer cents everywhere. Decimal strings from the wire (X12, FHIR, Odoo) are parsed
 * exactly, digit by digit, never through floating point.
 */
export type Cents = number;

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Parse a decimal amount ("123", "-1.5", ".25", "1,234.50" is rejected) into integer cents.
 * More than two fractional digits are accepted only when the extra digits are zeros (X12 R type
 * allows e.g. "10.000"); anything else would silently lose money, so it throws.
 */
export function parseCents(text: string): Cents {
  const s = text.trim();
  const m = DECIMAL.exec(s);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) throw new MoneyError(`not a decimal amount: "${text}"`);
  const sign = m[1] === '-' ? -1 : 1;
  const whole = m[2] === '' ? 0 : Number(m[2]);
  let frac = m[3] ?? '';
  if (frac.length > 2) {
    if (/[^0]/.test(frac.slice(2))) throw new MoneyError(`amount has sub-cent precision: "${text}"`);
    frac = frac.slice(0, 2);
  }
  const cents = whole * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) throw new MoneyError(`amount out of range: "${text}"`);
  return sign * cents || 0;
}

/** Like parseCents but returns undefined for empty/absent input. */
export function parseOptionalCents(text: string | undefined | null): Cents | undefined {
  if (text === undefined || text === null || text.trim() === '') return undefined;
  return parseCents(text);
}

/** Format cents as a plain decimal string with two places ("-12.05"). */
export function formatCents(cents: Cents): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Format cents for people: "$1,234.50". */
export function formatUsd(cents: Cents): string {
  const [whole, frac] = formatCents(Math.abs(cents)).split('.');
  return `${cents < 0 ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

export function assertCents(value: number, what = 'amount'): Cents {
  if (!Number.isSafeInteger(value)) throw new MoneyError(`${what} must be integer cents, got ${value}`);
  return value;
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const v of values) total += assertCents(v);
  return assertCents(total, 'sum');
}

/** Multiply by a rate in basis points (1/100 of a percent), rounding half away from zero. */
export function applyBasisPoints(cents: Cents, basisPoints: number): Cents {
  assertCents(cents);
  if (!Number.isInteger(basisPoints)) throw new MoneyError('basis points must be an integer');
  const product = cents * basisPoints;
  const q = Math.trunc(product / 10_000);
  const r = product - q * 10_000;
  return Math.abs(r) * 2 >= 10_000 ? q + Math.sign(product) : q;
}

/** Split an amount into `parts` integer shares that add up exactly (earlier shares take the remainder). */
export function allocateEvenly(cents: Cents, parts: number): Cents[] {
  assertCents(cents);
  if (!Number.isInteger(parts) || parts <= 0) throw new MoneyError('parts must be a positive integer');
  const base = Math.trunc(cents / parts);
  let rest = cents - base * parts;
  const step = Math.sign(rest);
  return Array.from({ length: parts }, () => {
    if (rest === 0) return base;
    rest -= step;
    return base + step;
  });
}
