import type { IANAZone } from 'luxon';
import { isKnownHolidayCountry, isPublicHoliday, type HolidayRegion } from './holidays.js';
import type { PreferredWindow, SchedulingSettings } from './settings.js';
import { germanStatesForPostcode } from './german-postcodes.js';
import { swissCantonForPostcode } from './swiss-postcodes.js';
import {
  ALL_DAY,
  WEEKDAYS,
  intersectIntervals,
  normalizeIntervals,
  parseTimeOfDay,
  type MinuteInterval,
  type Weekday,
} from './time-of-day.js';
import { compileWindows, type CompiledWindows } from './windows.js';
import { localDayOf, weekdayOf, zoneFor, type LocalDay } from './zoned.js';

/**
 * Calling hours and holidays: which minutes of a local day a case may be called at all, before
 * any request (retry delay, callback window) narrows it further.
 */

/** Settings turned into lookup structures once per settings object. */
export interface CompiledSettings {
  settings: SchedulingSettings;
  zone: IANAZone;
  callingHours: Readonly<Record<Weekday, readonly MinuteInterval[]>>;
  windows: CompiledWindows;
}

const compiledCache = new WeakMap<SchedulingSettings, CompiledSettings>();

export function compileSettings(settings: SchedulingSettings): CompiledSettings {
  let compiled = compiledCache.get(settings);
  if (!compiled) {
    const callingHours = Object.fromEntries(
      WEEKDAYS.map((d) => [d, normalizeIntervals(settings.callingHours[d].map(([f, t]) => [parseTimeOfDay(f), parseTimeOfDay(t)]))]),
    ) as Record<Weekday, MinuteInterval[]>;
    compiled = { settings, zone: zoneFor(settings.timezone), callingHours, windows: compileWindows(settings.windows) };
    compiledCache.set(settings, compiled);
  }
  return compiled;
}

/** What the scheduling core needs to know about a case. */
export interface CaseSchedulingState {
  /** Customer's postal code; for Swiss and German customers it picks the canton's or Land's holidays. */
  postalCode?: string | null;
  /** Customer's ISO country; null/absent: the client's `defaultCountry`. */
  country?: string | null;
  /** Customer-stated windows; they restrict every attempt. Null or `[]`: no restriction. */
  preferredWindows?: readonly PreferredWindow[] | null;
  /** Recorded attempts so far (released or expired assignments do not count). */
  attemptsMade: number;
  /** When each recorded attempt happened, for the per-day cap and rotation; any order. */
  attemptTimes: readonly Date[];
  /** Window of the last attempt; absent: derived from the latest of `attemptTimes`. */
  lastWindow?: string | null;
  /**
   * Which of `attemptTimes` reached the customer (an outcome whose effect is not `retry`), for
   * the learned retry strategy: a customer reached before in a window prefers it. Absent: none.
   */
  reachedTimes?: readonly Date[];
}

/**
 * Whose public holidays apply to a customer: those of where the customer lives, as far as the
 * postcode tells. Swiss customers (country `CH`) use the canton of their postcode; German ones
 * the Land of theirs (both Länder for a postcode that spans two). Without a known postcode, the
 * client's setting if it is for that country, else the country's nationwide holidays. A
 * customer in another country that country's nationwide holidays (an Austrian customer of a
 * German client is not called on 26 October; Austria's states add no public holiday), or the
 * client's where `date-holidays` has no calendar. `holidays: null` (the client observes none)
 * switches holidays off for everyone.
 */
export function holidayRegionFor(settings: SchedulingSettings, state: Pick<CaseSchedulingState, 'country' | 'postalCode'>): HolidayRegion | null {
  const client = settings.holidays;
  if (client === null) return null;
  const country = (state.country ?? settings.defaultCountry).toUpperCase();
  if (country === 'CH') {
    const canton = swissCantonForPostcode(state.postalCode);
    if (canton) return { country: 'CH', state: canton };
  } else if (country === 'DE') {
    const [land, alsoLand] = germanStatesForPostcode(state.postalCode) ?? [];
    if (land) return alsoLand ? { country: 'DE', state: land, alsoState: alsoLand } : { country: 'DE', state: land };
  }
  if (country === client.country || !isKnownHolidayCountry(country)) return client;
  return { country };
}

/** Calling hours, holidays, preferred windows and the per-day cap of one case, per local day. */
export interface CaseCalendar {
  compiled: CompiledSettings;
  zone: IANAZone;
  region: HolidayRegion | null;
  isHoliday(day: LocalDay): boolean;
  callingHours(day: LocalDay): readonly MinuteInterval[];
  /** Null: the customer stated no windows. */
  preferred(day: LocalDay): readonly MinuteInterval[] | null;
  /** True when the case already had `maxAttemptsPerDay` attempts that local day. */
  capped(day: LocalDay): boolean;
  attemptsOn(day: LocalDay): number;
}

export function caseCalendar(settings: SchedulingSettings, state: CaseSchedulingState): CaseCalendar {
  const compiled = compileSettings(settings);
  const { zone } = compiled;
  const region = holidayRegionFor(settings, state);
  const preferred = compilePreferred(state.preferredWindows);
  const perDay = new Map<LocalDay, number>();
  for (const t of state.attemptTimes) {
    const day = localDayOf(t.getTime(), zone);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  const attemptsOn = (day: LocalDay) => perDay.get(day) ?? 0;
  return {
    compiled,
    zone,
    region,
    isHoliday: (day) => isPublicHoliday(day, region),
    callingHours: (day) => compiled.callingHours[weekdayOf(day)],
    preferred: (day) => (preferred ? preferred[weekdayOf(day)] : null),
    capped: (day) => attemptsOn(day) >= settings.maxAttemptsPerDay,
    attemptsOn,
  };
}

function compilePreferred(windows: readonly PreferredWindow[] | null | undefined): Record<Weekday, MinuteInterval[]> | null {
  if (!windows || windows.length === 0) return null;
  return Object.fromEntries(
    WEEKDAYS.map((d) => [
      d,
      normalizeIntervals(windows.filter((w) => w.days.includes(d)).map((w) => [parseTimeOfDay(w.from), parseTimeOfDay(w.to)])),
    ]),
  ) as Record<Weekday, MinuteInterval[]>;
}

/** Which constraints a day rule applies; calling hours and holidays always do. */
export interface DayRuleOptions {
  /** Apply `maxAttemptsPerDay` (not for callbacks the customer asked for). */
  perDayCap: boolean;
  /** Restrict to these minutes every day (a requested window, rotation targets). */
  within?: readonly MinuteInterval[] | null;
}

/** The minutes of a local day at which the case may be called under `options`. */
export type DayRule = (day: LocalDay) => readonly MinuteInterval[];

export function dayRule(cal: CaseCalendar, options: DayRuleOptions): DayRule {
  const within = options.within ? normalizeIntervals(options.within) : ALL_DAY;
  return (day) => {
    if (cal.isHoliday(day) || (options.perDayCap && cal.capped(day))) return [];
    const hours = intersectIntervals(cal.callingHours(day), within);
    const preferred = cal.preferred(day);
    return preferred ? intersectIntervals(hours, preferred) : hours;
  };
}
