import { DateTime } from 'luxon';
import type { CaseSchedulingState } from './calendar.js';
import { schedulingSettingsSchema, type SchedulingSettings } from './settings.js';
import { WEEKDAYS, type Weekday } from './time-of-day.js';

/** Fixtures shared by the scheduling tests (not used by run-time code). */

/** Settings parsed through the schema, so tests use exactly what production would. */
export function settingsWith(overrides: Record<string, unknown> = {}): SchedulingSettings {
  return schedulingSettingsSchema.parse(overrides);
}

/** The same hours on every day of the week. */
export function everyDay(...intervals: [string, string][]): Record<Weekday, [string, string][]> {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, intervals])) as Record<Weekday, [string, string][]>;
}

/** Round the clock, every day, no holidays, one window: nothing but the rule under test applies. */
export const alwaysOpen = (overrides: Record<string, unknown> = {}) =>
  settingsWith({ callingHours: everyDay(['00:00', '24:00']), holidays: null, windows: { ganztags: ['00:00', '24:00'] }, ...overrides });

export function caseWith(partial: Partial<CaseSchedulingState> = {}): CaseSchedulingState {
  return { attemptsMade: 0, attemptTimes: [], ...partial };
}

/** A wall-clock time `YYYY-MM-DD HH:mm[:ss]` in a zone (default Europe/Berlin). */
export function local(text: string, zone = 'Europe/Berlin'): Date {
  const format = text.length > 16 ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm';
  const dt = DateTime.fromFormat(text, format, { zone });
  if (!dt.isValid) throw new Error(`bad test time ${text}`);
  return dt.toJSDate();
}

/** ISO with offset, in a zone, for readable failure messages. */
export function show(date: Date | null | undefined, zone = 'Europe/Berlin'): string | null {
  return date ? DateTime.fromJSDate(date, { zone }).toISO({ suppressMilliseconds: true }) : null;
}

/** A seeded pseudo-random generator (mulberry32), so property tests are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
