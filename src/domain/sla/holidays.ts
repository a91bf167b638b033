import { dayOfWeek, isoDate, addDaysToDate } from './dates';

/**
 * US federal holidays, 5 U.S.C. 6103(a), computed per year. Observance (5 U.S.C. 6103(b), Executive Order 11582):
 * a holiday on Saturday is observed the Friday before, on Sunday the Monday after. Juneteenth since 2021.
 */
export const FEDERAL_HOLIDAY_NAMES = [
  'new_years_day',
  'mlk_day',
  'washingtons_birthday',
  'memorial_day',
  'juneteenth',
  'independence_day',
  'labor_day',
  'columbus_day',
  'veterans_day',
  'thanksgiving',
  'christmas',
] as const;
export type FederalHolidayName = (typeof FEDERAL_HOLIDAY_NAMES)[number];

export interface Holiday {
  name: FederalHolidayName;
  /** the statutory date */
  date: string;
  /** the day off (differs when the date falls on a weekend) */
  observed: string;
}

/** n-th (1-based) weekday `dow` of a month; n = -1 for the last one. */
export function nthWeekdayOfMonth(year: number, month: number, dow: number, n: number): string {
  if (n > 0) {
    const first = isoDate(year, month, 1);
    const shift = (dow - dayOfWeek(first) + 7) % 7;
    return addDaysToDate(first, shift + (n - 1) * 7);
  }
  const last = isoDate(year, month + 1, 0);
  const back = (dayOfWeek(last) - dow + 7) % 7;
  return addDaysToDate(last, -back);
}

function fixed(name: FederalHolidayName, year: number, month: number, day: number): Holiday {
  const date = isoDate(year, month, day);
  const dow = dayOfWeek(date);
  const observed = dow === 6 ? addDaysToDate(date, -1) : dow === 0 ? addDaysToDate(date, 1) : date;
  return { name, date, observed };
}

function floating(name: FederalHolidayName, year: number, month: number, dow: number, n: number): Holiday {
  const date = nthWeekdayOfMonth(year, month, dow, n);
  return { name, date, observed: date };
}

const cache = new Map<number, readonly Holiday[]>();

/** The federal holidays whose statutory date is in `year` (observed dates may fall in the previous year). */
export function federalHolidays(year: number): readonly Holiday[] {
  const hit = cache.get(year);
  if (hit) return hit;
  const MON = 1;
  const THU = 4;
  const list: Holiday[] = [
    fixed('new_years_day', year, 1, 1),
    floating('mlk_day', year, 1, MON, 3),
    floating('washingtons_birthday', year, 2, MON, 3),
    floating('memorial_day', year, 5, MON, -1),
    ...(year >= 2021 ? [fixed('juneteenth', year, 6, 19)] : []),
    fixed('independence_day', year, 7, 4),
    floating('labor_day', year, 9, MON, 1),
    floating('columbus_day', year, 10, MON, 2),
    fixed('veterans_day', year, 11, 11),
    floating('thanksgiving', year, 11, THU, 4),
    fixed('christmas', year, 12, 25),
  ];
  cache.set(year, list);
  return list;
}

/** The federal holiday observed on `date`, if any (checks next year's New Year's Day observed on Dec 31). */
export function observedFederalHoliday(date: string): Holiday | undefined {
  const year = Number(date.slice(0, 4));
  return [...federalHolidays(year), ...federalHolidays(year + 1)].find((h) => h.observed === date);
}
