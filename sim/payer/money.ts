/**
 * The emulator's own integer-cents arithmetic (a payer system has its own; sharing the product's would make a
 * rounding bug agree with itself). Amounts on the X12 wire are decimals with at most two fraction digits (X12.6 "R"
 * type); they are read and written as strings so no float ever touches money.
 */
export class SimMoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimMoneyError';
  }
}

function checked(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new SimMoneyError(`${what} is not integer cents: ${value}`);
  return value;
}

/** "12.5" / "-3" / ".75" → cents; more than two non-zero fraction digits is an error, not a rounding. */
export function centsFromDecimal(text: string): number {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[2] === '' && !m[3])) throw new SimMoneyError(`not a decimal amount: "${text}"`);
  const fraction = m[3] ?? '';
  if (/[1-9]/.test(fraction.slice(2))) throw new SimMoneyError(`sub-cent amount: "${text}"`);
  const cents = Number(m[2] || '0') * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  checked(cents, 'amount');
  return m[1] === '-' && cents !== 0 ? -cents : cents;
}

/** Cents → X12 decimal: "-12.50", "0.00". */
export function decimalFromCents(cents: number): string {
  checked(cents, 'amount');
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function totalCents(values: Iterable<number>): number {
  let sum = 0;
  for (const v of values) sum += checked(v, 'amount');
  return checked(sum, 'sum');
}

/** cents × rate/10 000, rounded half away from zero (how the emulator's fee schedule rounds). */
export function percentOfCents(cents: number, basisPoints: number): number {
  checked(cents, 'amount');
  if (!Number.isInteger(basisPoints)) throw new SimMoneyError('basis points must be an integer');
  const product = cents * basisPoints;
  const whole = Math.trunc(product / 10_000);
  const rest = product - whole * 10_000;
  return Math.abs(rest) * 2 >= 10_000 ? whole + Math.sign(product) : whole;
}
