import fc from 'fast-check';
import {
  addBusinessDays,
  addBusinessDaysToDate,
  addBusinessTime,
  addCalendarDays,
  addMonthsToDate,
  businessDaysBetween,
  businessTimeBetween,
  CalendarError,
  federalHolidays,
  fromDayNumber,
  isBusinessDate,
  isBusinessDay,
  localDate,
  nonBusinessReason,
  startOfLocalDay,
  type SiteCalendar,
} from '../../../src/domain';

const NY: SiteCalendar = { timeZone: 'America/New_York' };
const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe('US federal holidays (5 U.S.C. 6103, weekend observance)', () => {
  it('2026: July 4th on Saturday is observed Friday 2026-07-03; Thanksgiving 2026-11-26', () => {
    const h = Object.fromEntries(federalHolidays(2026).map((x) => [x.name, x.observed]));
    expect(h).toEqual({
      new_years_day: '2026-01-01',
      mlk_day: '2026-01-19',
      washingtons_birthday: '2026-02-16',
      memorial_day: '2026-05-25',
      juneteenth: '2026-06-19',
      independence_day: '2026-07-03',
      labor_day: '2026-09-07',
      columbus_day: '2026-10-12',
      veterans_day: '2026-11-11',
      thanksgiving: '2026-11-26',
      christmas: '2026-12-25',
    });
    expect(federalHolidays(2026).find((x) => x.name === 'independence_day')?.date).toBe('2026-07-04');
  });
  it('Sunday holidays move to Monday; New Year on Saturday is observed on Dec 31 of the previous year', () => {
    expect(federalHolidays(2027).find((x) => x.name === 'independence_day')?.observed).toBe('2027-07-05');
    expect(federalHolidays(2027).find((x) => x.name === 'christmas')?.observed).toBe('2027-12-24');
    expect(nonBusinessReason('2027-12-31', NY)).toBe('new_years_day'); // 2028-01-01 is a Saturday
    expect(federalHolidays(2020).some((x) => x.name === 'juneteenth')).toBe(false);
  });
  it('business days: weekends, observed holidays, site holidays, closures and worked holidays', () => {
    expect(isBusinessDate('2026-07-03', NY)).toBe(false);
    expect(isBusinessDate('2026-11-26', NY)).toBe(false);
    expect(isBusinessDate('2026-11-27', NY)).toBe(true);
    expect(isBusinessDate('2026-03-07', NY)).toBe(false);
    const site: SiteCalendar = { timeZone: 'America/New_York', closures: ['2026-11-27'], holidays: ['2026-04-03'], workedFederalHolidays: ['columbus_day'] };
    expect(nonBusinessReason('2026-11-27', site)).toBe('closure');
    expect(nonBusinessReason('2026-04-03', site)).toBe('holiday');
    expect(isBusinessDate('2026-10-12', site)).toBe(true);
    expect(isBusinessDate('2026-07-03', { timeZone: 'UTC', federalHolidays: false })).toBe(true);
  });
  it('uses the local date in the site time zone', () => {
    // 2026-07-02 23:30 in Los Angeles is already 2026-07-03 (a holiday) in UTC
    const t = at('2026-07-02T23:30:00-07:00');
    expect(isBusinessDay(t, { timeZone: 'America/Los_Angeles' })).toBe(true);
    expect(isBusinessDay(t, { timeZone: 'UTC' })).toBe(false);
  });
});

describe('calendar and business-day arithmetic', () => {
  it('7 calendar days keep the local time across the DST change (2026-03-08)', () => {
    expect(iso(addCalendarDays(at('2026-03-02T10:00:00-05:00'), 7, 'America/New_York'))).toBe('2026-03-09T14:00:00.000Z');
    expect(iso(addCalendarDays(at('2026-10-30T10:00:00-04:00'), 3, 'America/New_York'))).toBe('2026-11-02T15:00:00.000Z');
  });
  it('start of local day handles DST and zones whose midnight is skipped', () => {
    expect(iso(startOfLocalDay('2026-03-08', 'America/New_York'))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(startOfLocalDay('2026-03-09', 'America/New_York'))).toBe('2026-03-09T04:00:00.000Z');
    // Chile springs forward at 24:00 → the day starts at 01:00 local (-03:00)
    expect(iso(startOfLocalDay('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
  });
  it('skips weekends, holidays and closures, keeping the time of day', () => {
    expect(iso(addBusinessDays(at('2026-07-02T10:00:00-04:00'), 1, NY))).toBe('2026-07-06T14:00:00.000Z'); // Fri 3rd observed, weekend
    expect(iso(addBusinessDays(at('2026-11-25T09:00:00-05:00'), 2, NY))).toBe('2026-11-30T14:00:00.000Z'); // Thanksgiving
    expect(iso(addBusinessDays(at('2026-11-25T09:00:00-05:00'), 2, { ...NY, closures: ['2026-11-27'] }))).toBe('2026-12-01T14:00:00.000Z');
    expect(iso(addBusinessDays(at('2026-03-06T10:00:00-05:00'), 1, NY))).toBe('2026-03-09T14:00:00.000Z'); // Fri → Mon (after DST)
    // from a Saturday the clock starts Monday 00:00, so +1 = end of Monday
    expect(iso(addBusinessDays(at('2026-03-07T10:00:00-05:00'), 1, NY))).toBe('2026-03-10T04:00:00.000Z');
    expect(iso(addBusinessDays(at('2026-03-07T10:00:00-05:00'), 0, NY))).toBe('2026-03-09T04:00:00.000Z');
  });
  it('date versions: n-th business date after, and business days between (Mon → Thu = 3)', () => {
    expect(addBusinessDaysToDate('2026-07-02', 1, NY)).toBe('2026-07-06');
    expect(addBusinessDaysToDate('2026-03-07', 1, NY)).toBe('2026-03-09');
    expect(addBusinessDaysToDate('2026-03-07', 0, NY)).toBe('2026-03-09');
    expect(businessDaysBetween('2026-03-02', '2026-03-05', NY)).toBe(3);
    expect(businessDaysBetween('2026-11-23', '2026-11-30', NY)).toBe(4); // Thanksgiving excluded
    expect(businessDaysBetween('2026-03-05', '2026-03-02', NY)).toBe(0);
  });
  it('month arithmetic clamps to month end', () => {
    expect(addMonthsToDate('2026-01-15', 12)).toBe('2027-01-15');
    expect(addMonthsToDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDate('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonthsToDate('2026-11-30', -11)).toBe('2025-12-30');
  });
  it('rejects bad input', () => {
    expect(() => addBusinessDays(0, 1, { timeZone: 'Mars/Olympus' })).toThrow(CalendarError);
    expect(() => addBusinessDays(0, -1, NY)).toThrow(CalendarError);
    expect(() => isBusinessDate('2026-02-30', NY)).toThrow(CalendarError);
  });
});

describe('business-day properties', () => {
  const FROM = at('2020-01-01T00:00:00Z');
  const TO = at('2035-01-01T00:00:00Z');
  // wide range plus dense samples around the 2026 US DST changes (the repeated 01:00–02:00 hour on Nov 1)
  const instant = fc.oneof(
    fc.integer({ min: FROM, max: TO }),
    fc.integer({ min: at('2026-10-31T00:00:00Z'), max: at('2026-11-03T00:00:00Z') }),
    fc.integer({ min: at('2026-03-07T00:00:00Z'), max: at('2026-03-10T00:00:00Z') }),
  );
  const zone = fc.constantFrom('America/New_York', 'America/Los_Angeles', 'America/Chicago', 'Pacific/Honolulu', 'UTC', 'America/Santiago');
  const closures = fc.array(fc.integer({ min: 18262, max: 23741 }).map(fromDayNumber), { maxLength: 20 });

  it('the result is a business day, never earlier than the start, and monotone in the start and in n', () => {
    fc.assert(
      fc.property(instant, instant, fc.nat(30), fc.nat(30), zone, closures, (a, b, n, m, timeZone, cl) => {
        const cal: SiteCalendar = { timeZone, closures: cl };
        const [t1, t2] = a <= b ? [a, b] : [b, a];
        const [n1, n2] = n <= m ? [n, m] : [m, n];
        const r = addBusinessDays(t1, n1, cal);
        return isBusinessDay(r, cal) && r >= t1 && r <= addBusinessDays(t2, n1, cal) && r <= addBusinessDays(t1, n2, cal) && (n1 === 0 || r > t1);
      }),
    );
  });
  it('date version: the n-th business date after d is a business date with exactly n business days between', () => {
    fc.assert(
      fc.property(fc.integer({ min: 18262, max: 23741 }).map(fromDayNumber), fc.integer({ min: 1, max: 60 }), closures, (d, n, cl) => {
        const cal: SiteCalendar = { timeZone: 'America/New_York', closures: cl };
        const r = addBusinessDaysToDate(d, n, cal);
        return isBusinessDate(r, cal) && businessDaysBetween(d, r, cal) === n;
      }),
    );
  });
  it('business time round-trips and lands on business days', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20 * 86_400_000 }), zone, (a, dur, timeZone) => {
        const cal: SiteCalendar = { timeZone };
        const r = addBusinessTime(a, dur, cal);
        return isBusinessDay(r, cal) && businessTimeBetween(a, r, cal) === dur;
      }),
    );
  });
  it('start of local day is the first instant of that date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 18262, max: 23741 }).map(fromDayNumber), zone, (d, timeZone) => {
        const s = startOfLocalDay(d, timeZone);
        return localDate(s, timeZone) === d && localDate(s - 1, timeZone) !== d;
      }),
    );
  });
});
