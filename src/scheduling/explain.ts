import { DateTime } from 'luxon';
import type { CaseCalendar } from './calendar.js';
import { publicHolidayName, regionKey } from './holidays.js';
import type { PreferredWindow } from './settings.js';
import { formatInterval, intersectIntervals, WEEKDAYS, type MinuteInterval, type Weekday } from './time-of-day.js';
import { localDayOf, weekdayOf, type LocalDay } from './zoned.js';

/** Sentences for agents and team leads about why a time is not callable. */

const DAY_NAMES: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** `Fri` for a local day. */
export const dayName = (day: LocalDay) => DAY_NAMES[weekdayOf(day)];

/** `Fri 2026-11-27 21:30 (Europe/Berlin)` */
export function formatLocal(instant: number, zoneName: string): string {
  return `${DateTime.fromMillis(instant, { zone: zoneName }).setLocale('en').toFormat('ccc yyyy-LL-dd HH:mm')} (${zoneName})`;
}

export function formatIntervals(intervals: readonly MinuteInterval[]): string {
  return intervals.length ? intervals.map(formatInterval).join(', ') : 'none';
}

export function formatPreferredWindows(windows: readonly PreferredWindow[]): string {
  return windows.map((w) => `${w.days.map((d) => DAY_NAMES[d]).join('/')} ${w.from}–${w.to}`).join('; ');
}

/** Why nothing is callable on a local day under the calling hours (holiday or no hours). */
export function dayClosedBecause(cal: CaseCalendar, day: LocalDay): string | null {
  if (cal.isHoliday(day)) return `a public holiday (${publicHolidayName(day, cal.region) ?? 'holiday'}, ${regionText(cal)})`;
  if (cal.callingHours(day).length === 0) return 'a day without calling hours';
  return null;
}

export const regionText = (cal: CaseCalendar) => (cal.region ? regionKey(cal.region) : 'no region');

/**
 * Why the weekly pattern has no callable minute at all, ignoring holidays: the window or the
 * customer's preferred windows never meet the calling hours. Null when some weekday works.
 */
export function weeklyConflict(
  cal: CaseCalendar,
  within: readonly MinuteInterval[] | null,
  windowLabel: string | null,
): { cause: 'outside_calling_hours' | 'outside_preferred_windows'; text: string } | null {
  const anyDay = (f: (d: Weekday) => readonly MinuteInterval[]) => WEEKDAYS.some((d) => f(d).length > 0);
  const hours = (d: Weekday) => cal.compiled.callingHours[d];
  const win = (d: Weekday) => (within ? intersectIntervals(hours(d), within) : hours(d));
  const withPreferred = (f: (d: Weekday) => readonly MinuteInterval[]) => (d: Weekday) => {
    const pref = preferredOf(cal, d);
    return pref ? intersectIntervals(f(d), pref) : f(d);
  };
  const what = windowLabel ?? 'the requested time';
  if (!anyDay(win)) return { cause: 'outside_calling_hours', text: `${what} never lies inside the calling hours` };
  if (!anyDay(withPreferred(hours))) {
    return { cause: 'outside_preferred_windows', text: "the customer's preferred windows never overlap the calling hours" };
  }
  if (!anyDay(withPreferred(win))) {
    return { cause: 'outside_preferred_windows', text: `the customer's preferred windows never overlap ${what} within the calling hours` };
  }
  return null;
}

/** The preferred intervals of a weekday (via any day of that weekday; they do not depend on the date). */
function preferredOf(cal: CaseCalendar, weekday: Weekday): readonly MinuteInterval[] | null {
  // 1970-01-05 (local day 4) was a Monday.
  return cal.preferred(4 + WEEKDAYS.indexOf(weekday));
}

export const localDay = (instant: number, cal: CaseCalendar) => localDayOf(instant, cal.zone);
