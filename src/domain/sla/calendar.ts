import { CalendarError, dayNumber, dayOfWeek, fromDayNumber } from './dates';
import { observedFederalHoliday, type FederalHolidayName } from './holidays';
import { assertTimeZone, localDate, localDayBounds, sameTimeOnDate, startOfLocalDay } from './timezone';

/** A site's business calendar: IANA zone, weekend, US federal holidays (observed), extra holidays, closures. */
export interface SiteCalendar {
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday; default Saturday + Sunday */
  weekendDays?: readonly number[];
  /** observe US federal holidays (5 U.S.C. 6103); default true */
  federalHolidays?: boolean;
  /** federal holidays the site works anyway (e.g. columbus_day) */
  workedFederalHolidays?: readonly FederalHolidayName[];
  /** extra non-business dates (state holidays, …) as YYYY-MM-DD */
  holidays?: readonly string[];
  /** one-off site closures as YYYY-MM-DD */
  closures?: readonly string[];
}

const DEFAULT_WEEKEND = [0, 6] as const;
/** Safety bound for day-by-day walks (about 30 years). */
const MAX_DAYS = 11_000;

export function validateCalendar(cal: SiteCalendar): SiteCalendar {
  assertTimeZone(cal.timeZone);
  for (const d of [...(cal.holidays ?? []), ...(cal.closures ?? [])]) dayNumber(d);
  const weekend = cal.weekendDays ?? DEFAULT_WEEKEND;
  if (weekend.length >= 7 || weekend.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
    throw new CalendarError('weekendDays must be distinct weekdays 0..6 leaving at least one business day');
  }
  return cal;
}

/** Why a date is not a business day, or undefined when it is one. */
export function nonBusinessReason(date: string, cal: SiteCalendar): string | undefined {
  if ((cal.weekendDays ?? DEFAULT_WEEKEND).includes(dayOfWeek(date))) return 'weekend';
  if (cal.closures?.includes(date)) return 'closure';
  if (cal.holidays?.includes(date)) return 'holiday';
  if (cal.federalHolidays !== false) {
    const h = observedFederalHoliday(date);
    if (h && !cal.workedFederalHolidays?.includes(h.name)) return h.name;
  }
  return undefined;
}

export function isBusinessDate(date: string, cal: SiteCalendar): boolean {
  return nonBusinessReason(date, cal) === undefined;
}

/** Whether the local date of instant `ms` at the site is a business day. */
export function isBusinessDay(ms: number, cal: SiteCalendar): boolean {
  return isBusinessDate(localDate(ms, cal.timeZone), cal);
}

/** The first business date strictly after `date`. */
export function nextBusinessDate(date: string, cal: SiteCalendar): string {
  let n = dayNumber(date);
  for (let i = 0; i < MAX_DAYS; i++) {
    n += 1;
    const d = fromDayNumber(n);
    if (isBusinessDate(d, cal)) return d;
  }
  throw new CalendarError('no business day found (calendar closes every day?)');
}

/**
 * The n-th business date after `date` (n ≥ 1); n = 0 gives `date` itself when it is a business date, else the next
 * one. Friday + 1 = Monday; Saturday + 1 = Monday.
 */
export function addBusinessDaysToDate(date: string, n: number, cal: SiteCalendar): string {
  if (!Number.isInteger(n) || n < 0) throw new CalendarError('business days must be a non-negative integer');
  if (n === 0) return isBusinessDate(date, cal) ? date : nextBusinessDate(date, cal);
  let d = date;
  for (let i = 0; i < n; i++) d = nextBusinessDate(d, cal);
  return d;
}

/** Number of business dates d with from < d ≤ to (0 when to ≤ from). Mon → Thu = 3. */
export function businessDaysBetween(from: string, to: string, cal: SiteCalendar): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (b - a > MAX_DAYS) throw new CalendarError('range too long');
  let count = 0;
  for (let n = a + 1; n <= b; n++) if (isBusinessDate(fromDayNumber(n), cal)) count++;
  return count;
}

/**
 * Add n business days to an instant at the site. From a business day the local time of day is kept (Fri 10:00 + 1 =
 * Mon 10:00). From a non-business day the clock starts at the beginning of the next business day (Sat 10:00 + 1 =
 * Tue 00:00, i.e. the end of Monday). The result always lies on a business day and is monotone in `ms`.
 */
export function addBusinessDays(ms: number, n: number, cal: SiteCalendar): number {
  if (!Number.isInteger(n) || n < 0) throw new CalendarError('business days must be a non-negative integer');
  const tz = cal.timeZone;
  let from = ms;
  let date = localDate(ms, tz);
  if (!isBusinessDate(date, cal)) {
    date = nextBusinessDate(date, cal);
    from = startOfLocalDay(date, tz);
  }
  const target = n === 0 ? date : addBusinessDaysToDate(date, n, cal);
  return sameTimeOnDate(from, target, tz);
}

/**
 * Business time: only instants on business days count. Add `durationMs` of business time to `ms` (the result is
 * on a business day). Used to place warn/due points of business-day SLAs so they never land on a weekend.
 */
export function addBusinessTime(ms: number, durationMs: number, cal: SiteCalendar): number {
  if (!Number.isSafeInteger(durationMs) || durationMs < 0) throw new CalendarError('duration must be a non-negative integer of ms');
  let t = ms;
  let remaining = durationMs;
  for (let i = 0; i < MAX_DAYS; i++) {
    const { date, end } = localDayBounds(t, cal.timeZone);
    if (isBusinessDate(date, cal)) {
      if (remaining < end - t) return t + remaining;
      remaining -= end - t;
    }
    t = end;
  }
  throw new CalendarError('duration too long');
}

/** Business time between a and b (ms), 0 when b ≤ a. */
export function businessTimeBetween(a: number, b: number, cal: SiteCalendar): number {
  let total = 0;
  let t = a;
  for (let i = 0; t < b && i < MAX_DAYS; i++) {
    const { date, end } = localDayBounds(t, cal.timeZone);
    if (isBusinessDate(date, cal)) total += Math.min(end, b) - t;
    t = end;
  }
  return total;
}
