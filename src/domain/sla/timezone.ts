import { CalendarError, DAY_MS, dayNumber, fromDayNumber, HOUR_MS } from './dates';

/**
 * Time-zone math with Intl.DateTimeFormat only (pure, deterministic, available in the workflow sandbox).
 * A "local day" is the span of instants whose wall-clock date in the zone is that date; DST days are 23 or 25 hours.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new CalendarError(`unknown IANA time zone: "${timeZone}"`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws CalendarError unless `timeZone` is a valid IANA zone name. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallClock(ms: number, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

/** Offset of the zone at instant `ms` (local − UTC), in ms. */
export function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - Math.floor(ms / 1000) * 1000;
}

/** The local calendar date (YYYY-MM-DD) of an instant in the zone. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** First instant of the local date in the zone (local midnight, or the transition instant if midnight is skipped). */
export function startOfLocalDay(isoDate: string, timeZone: string): number {
  const utcMidnight = dayNumber(isoDate) * DAY_MS;
  // Fast path: two offset refinements find local midnight whenever it exists.
  const guess = utcMidnight - offsetAt(utcMidnight - offsetAt(utcMidnight, timeZone), timeZone);
  if (localDate(guess, timeZone) === isoDate && localDate(guess - 1, timeZone) !== isoDate) return guess;
  // Slow path (midnight falls in a transition): earliest instant whose local date is >= isoDate.
  let lo = utcMidnight - 15 * HOUR_MS;
  let hi = utcMidnight + 15 * HOUR_MS;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (localDate(mid, timeZone) >= isoDate) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** [start, end) of the local day containing `ms`. */
export function localDayBounds(ms: number, timeZone: string): { date: string; start: number; end: number } {
  const date = localDate(ms, timeZone);
  return { date, start: startOfLocalDay(date, timeZone), end: startOfLocalDay(fromDayNumber(dayNumber(date) + 1), timeZone) };
}

/**
 * Move to the same position within the local day `target` as `ms` has within its own local day, measured as
 * elapsed time since local midnight (equal to the wall-clock time except on DST-transition days), clamped to the
 * target day so the result stays on it. Monotone in `ms`.
 */
export function sameTimeOnDate(ms: number, target: string, timeZone: string): number {
  const { start } = localDayBounds(ms, timeZone);
  const elapsed = ms - start;
  const ts = startOfLocalDay(target, timeZone);
  const te = startOfLocalDay(fromDayNumber(dayNumber(target) + 1), timeZone);
  return ts + Math.min(elapsed, te - ts - 1);
}

/**
 * Add calendar days in the zone, keeping the local time of day: 2026-03-02T10:00 America/New_York (EST) + 7 days
 * = 2026-03-09T10:00 EDT, i.e. 167 elapsed hours across the DST change.
 */
export function addCalendarDays(ms: number, days: number, timeZone: string): number {
  if (!Number.isInteger(days)) throw new CalendarError('days must be an integer');
  const date = localDate(ms, timeZone);
  return sameTimeOnDate(ms, fromDayNumber(dayNumber(date) + days), timeZone);
}

export function addHours(ms: number, hours: number): number {
  return ms + hours * HOUR_MS;
}
