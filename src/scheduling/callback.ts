import type { CaseCalendar, DayRuleOptions } from './calendar.js';
import { dayClosedBecause, dayName, formatIntervals, formatLocal, formatPreferredWindows } from './explain.js';
import { blockerAt, never, scheduleFrom, type NextCallable, type ScheduleRequest } from './result.js';
import { windowNameAt } from './retry.js';
import type { CaseSchedulingState } from './calendar.js';
import type { SchedulingSettings } from './settings.js';
import { formatInterval, intersectIntervals } from './time-of-day.js';
import { firstInstantAt, isoDate, localDayOf, parseIsoDate } from './zoned.js';

/**
 * Callbacks the customer asked for: in a named window ("abends"), optionally on a date, or at an
 * exact time. The customer asked, so the per-day cap does not hold them back; calling hours,
 * holidays and the customer's stated windows do.
 */

const CALLBACK: DayRuleOptions = { perDayCap: false };

/**
 * The least time between agreeing a window callback on the phone and its call: 30 minutes.
 * A window that is open when the customer says "abends" would otherwise make the callback due at
 * once — first in line, outside the per-day limit, in the agent's own queue when personal — and
 * the customer who just hung up would be rung again within seconds.
 */
export const CALLBACK_MIN_GAP_MS = 30 * 60_000;

/**
 * The gap of {@link CALLBACK_MIN_GAP_MS}, or the client's retry delay when that is shorter: a
 * callback the customer asked for never waits longer than a retry after "not reached" would,
 * and a client set up to run a list in seconds (demos, tests) keeps doing so.
 */
export function callbackGapMs(settings: Pick<SchedulingSettings, 'retryDelaySeconds'>): number {
  return Math.min(CALLBACK_MIN_GAP_MS, settings.retryDelaySeconds * 1000);
}

/**
 * When a personal callback (`owner: "me"`) due at `callbackAt` opens to every eligible agent:
 * after `personalCallbackGraceMinutes`.
 */
export function personalCallbackOpensToAllAt(callbackAt: Date, settings: Pick<SchedulingSettings, 'personalCallbackGraceMinutes'>): Date {
  return new Date(callbackAt.getTime() + settings.personalCallbackGraceMinutes * 60_000);
}

/**
 * An exact-time callback. A time still ahead must itself be callable, else the answer is
 * `never` with the reason, for the agent to pick another. A time already past (a job rebuilt
 * by reconcile, a late pull) is not judged again: the case is due, at the next callable instant.
 */
export function scheduleExactCallback(now: number, requested: Date, cal: CaseCalendar, state: CaseSchedulingState): NextCallable {
  const at = requested.getTime();
  if (Number.isNaN(at)) return never('invalid_date', 'The callback time is not a valid date.');
  if (at >= now) {
    const problem = exactTimeProblem(at, cal, state);
    if (problem) return problem;
  }
  return scheduleFrom(now, Math.max(now, at), cal, CALLBACK, { bound: 'callback_time', window: 'callback_time' }, (t) => windowNameAt(t, cal), null);
}

function exactTimeProblem(at: number, cal: CaseCalendar, state: CaseSchedulingState): NextCallable | null {
  const day = localDayOf(at, cal.zone);
  const when = formatLocal(at, cal.compiled.settings.timezone);
  switch (blockerAt(at, cal, CALLBACK)) {
    case 'holiday':
      return never('holiday', `${when} is ${dayClosedBecause(cal, day)}; no calls that day.`);
    case 'calling_hours':
      return never(
        'outside_calling_hours',
        `${when} lies outside the calling hours (${dayName(day)}: ${formatIntervals(cal.callingHours(day))}).`,
      );
    case 'preferred_window':
      return never(
        'outside_preferred_windows',
        `${when} lies outside the customer's stated windows (${formatPreferredWindows(state.preferredWindows ?? [])}); change them first if the customer agreed.`,
      );
    default:
      return null;
  }
}

type WindowCallback = Extract<ScheduleRequest, { kind: 'callback'; window: string }>;

/**
 * A callback in a named window. Without a date: the window's current or next occurrence. With a
 * future date: that day's occurrence, or `never` saying why the window cannot happen that day.
 * A date that is today or past rolls on to the next occurrence, like a window that closed.
 *
 * A callback just agreed (`recordedAt`, the outcome) without a future date starts no earlier
 * than `callbackGapMs` after it was recorded: later in the window still open, or its next
 * occurrence when less than that is left of it. A job resumed at its pull (no `recordedAt`)
 * takes the window as it is now: its gap was kept when it was planned.
 */
export function scheduleWindowCallback(now: number, request: Pick<WindowCallback, 'window' | 'date' | 'recordedAt'>, cal: CaseCalendar): NextCallable {
  const { window: name, date, recordedAt } = request;
  const window = cal.compiled.windows.byName.get(name);
  if (!window) {
    const known = [...cal.compiled.windows.byName.keys()].join(', ');
    return never('unknown_window', `There is no window "${name}"; this client's windows are: ${known}.`);
  }
  let requestedDay: number | null = null;
  if (date != null) {
    requestedDay = parseIsoDate(date);
    if (requestedDay === null) return never('invalid_date', `"${date}" is not a date YYYY-MM-DD.`);
  }
  const today = localDayOf(now, cal.zone);
  const future = requestedDay !== null && requestedDay > today ? requestedDay : null;
  let from = now;
  if (future !== null) from = firstInstantAt(future, 0, cal.zone);
  else if (recordedAt) from = Math.max(now, recordedAt.getTime() + callbackGapMs(cal.compiled.settings));
  const label = `window "${name}" (${formatInterval(window)})`;
  const result = scheduleFrom(now, from, cal, { ...CALLBACK, within: [window] }, { bound: 'callback_window', window: 'callback_window', hours: 'callback_window' }, () => name, label);
  if (future !== null && result.at !== null && localDayOf(result.at.getTime(), cal.zone) !== future) {
    const why = notOnDayBecause(cal, future, window);
    return never(why.cause, `${label} is not callable on ${dayName(future)} ${isoDate(future)}: ${why.text}.`);
  }
  return result;
}

/** Why a window is not callable on a day, with the cause the agent's screen words it by. */
function notOnDayBecause(cal: CaseCalendar, day: number, window: readonly [number, number]): { cause: 'holiday' | 'outside_preferred_windows' | 'not_on_requested_date'; text: string } {
  const closed = dayClosedBecause(cal, day);
  if (closed) return { cause: cal.isHoliday(day) ? 'holiday' : 'not_on_requested_date', text: `it is ${closed}` };
  const inHours = intersectIntervals(cal.callingHours(day), [window]);
  if (inHours.length === 0) return { cause: 'not_on_requested_date', text: `the calling hours that day are ${formatIntervals(cal.callingHours(day))}` };
  const preferred = cal.preferred(day);
  if (preferred && intersectIntervals(inHours, preferred).length === 0) return { cause: 'outside_preferred_windows', text: "it lies outside the customer's stated windows that day" };
  return { cause: 'not_on_requested_date', text: 'the window is already over that day' };
}
