/**
 * The one place where money crosses the Odoo boundary. Our APIs use integer cents; Odoo's wire uses
 * float currency amounts (2 decimals for USD). Out: `cents / 100`. In: `Math.round(amount * 100)`.
 */
export function centsToOdoo(cents: number): number {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be integer cents, got ${cents}`);
  return cents / 100;
}

export function odooToCents(amount: unknown): number {
  if (amount === false || amount === null || amount === undefined) return 0; // Odoo reads empty monetary as 0/False
  if (typeof amount !== 'number' || !Number.isFinite(amount)) throw new RangeError(`not an Odoo amount: ${String(amount)}`);
  const cents = Math.round(amount * 100);
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Odoo amount out of range: ${amount}`);
  return cents === 0 ? 0 : cents; // no -0
}
