/**
 * Calendar-date arithmetic on ISO `YYYY-MM-DD` strings via day numbers (days since 1970-01-01, proleptic
 * Gregorian). Pure and time-zone free: only `Date.UTC` and `new Date(ms)` with an argument are used.
 */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of an ISO date; throws CalendarError for malformed or impossible dates (2026-02-30). */
export function dayNumber(isoDate: string): number {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new CalendarError(`not an ISO date: "${isoDate}"`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new CalendarError(`not a calendar date: "${isoDate}"`);
  }
  return ms / DAY_MS;
}

export function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function isoDate(year: number, month: number, day: number): string {
  return fromDayNumber(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday */
export function dayOfWeek(isoDateStr: string): number {
  return (((dayNumber(isoDateStr) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function addDaysToDate(isoDateStr: string, days: number): string {
  if (!Number.isInteger(days)) throw new CalendarError('days must be an integer');
  return fromDayNumber(dayNumber(isoDateStr) + days);
}

/**
 * Add calendar months, clamping to the last day of the target month (2026-01-31 + 1 month = 2026-02-28;
 * 2028-02-29 + 12 months = 2029-02-28).
 */
export function addMonthsToDate(isoDateStr: string, months: number): string {
  if (!Number.isInteger(months)) throw new CalendarError('months must be an integer');
  dayNumber(isoDateStr);
  const [y, m, d] = isoDateStr.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12; // 0-based
  const lastDay = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return isoDate(ty, tm + 1, Math.min(d, lastDay));
}

/** Whole days from a to b (b − a). */
export function daysBetweenDates(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** Epoch ms from an ISO instant (with offset or Z) or an epoch-ms integer. */
export function toEpochMs(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CalendarError(`not an epoch-ms integer: ${value}`);
    return value;
  }
  if (!/^\d{4}-\d{2}-\d{2}T.*(?:Z|[+-]\d{2}:?\d{2})$/i.test(value)) throw new CalendarError(`not an ISO instant with offset: "${value}"`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new CalendarError(`not an ISO instant: "${value}"`);
  return ms;
}

export function toIsoInstant(ms: number): string {
  return new Date(ms).toISOString();
}
