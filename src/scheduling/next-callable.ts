import { caseCalendar, compileSettings, dayRule, type CaseSchedulingState, type DayRuleOptions } from './calendar.js';
import { scheduleExactCallback, scheduleWindowCallback } from './callback.js';
import { dayClosedBecause, dayName, formatIntervals, formatLocal } from './explain.js';
import { blockerAt, never, type NextCallable, type ScheduleRequest } from './result.js';
import type { ReachContext } from './reach-rates.js';
import { scheduleFirst, scheduleRetry } from './retry.js';
import { firstSpan } from './search.js';
import type { SchedulingSettings } from './settings.js';
import { windowNameAtMinute } from './windows.js';
import { localDayOf, localPartsOf } from './zoned.js';

/**
 * The one entry point that computes *when* a case may be called, and the check dispatch runs at
 * pull time. Pure: `now` comes in, nothing is read from a clock, a file or a database.
 */

/**
 * The earliest instant at or after `now` at which the case may be called for `request`: inside
 * calling hours (client zone), not on a public holiday of the customer's region, inside the
 * customer's stated windows, inside the requested window or at the exact requested time, and —
 * for first attempts and retries — on a day with fewer than `maxAttemptsPerDay` attempts.
 *
 * `{at: null, reason: 'never'}` when that can never happen (cap reached, a window that never
 * meets the calling hours, an exact time outside them, an unknown window name); `cause` says
 * which and `explanation` says it in a sentence fit for the agent. `reach` (the client's loaded
 * reach rates) lets a retry use the learned strategy (`retryStrategy`); without it retries rotate. Searches are bounded
 * (about 400 days), so impossible rules never loop.
 */
export function nextCallableAt(
  now: Date,
  settings: SchedulingSettings,
  caseState: CaseSchedulingState,
  request: ScheduleRequest,
  reach?: ReachContext | null,
): NextCallable {
  const cal = caseCalendar(settings, caseState);
  if (caseState.attemptsMade >= settings.maxAttempts) {
    return never('cap_reached', `All ${settings.maxAttempts} attempts are used; the case closes as max_attempts.`);
  }
  const t = now.getTime();
  switch (request.kind) {
    case 'first':
      return scheduleFirst(t, cal, request.window);
    case 'retry':
      return scheduleRetry(t, request, cal, caseState, reach);
    case 'callback':
      return 'at' in request ? scheduleExactCallback(t, request.at, cal, caseState) : scheduleWindowCallback(t, request, cal);
  }
}

/**
 * What a queued job carries about its schedule, for the pull-time check: the result of
 * `nextCallableAt` (`start` = `at`, `end` = `windowEnd`), plus optionally the window name and
 * request kind. With `kind: 'callback'` the per-day cap is not applied (the customer asked for
 * the call) and a named window's next occurrence is offered when it has closed.
 */
export interface ScheduledSlot {
  start: Date;
  end: Date | null;
  window?: string | null;
  kind?: ScheduleRequest['kind'];
}

/** Why a case cannot be called now; dispatch counts these to explain an empty queue. */
export type NotCallableReason =
  | 'cap_reached'
  | 'window' // the slot has not started yet
  | 'window_closed' // the slot has ended: reschedule with `nextCallableAt`
  | 'per_day_cap'
  | 'holiday'
  | 'calling_hours'
  | 'preferred_window';

export type CallableCheck =
  | { callable: true }
  | { callable: false; reason: NotCallableReason; nextAt: Date | null; explanation: string };

/**
 * Whether the case may be called at `now` (dispatch checks this before handing out a job).
 * When not, `reason` names the first rule that stops it, and `nextAt` is when it next may be
 * called under the same rules (for `window_closed` without a known window name: ignoring the
 * slot), or null if never.
 */
export function isCallableNow(now: Date, settings: SchedulingSettings, caseState: CaseSchedulingState, window?: ScheduledSlot | null): CallableCheck {
  const t = now.getTime();
  const cal = caseCalendar(settings, caseState);
  const named = window?.kind === 'callback' && window.window ? cal.compiled.windows.byName.get(window.window) : undefined;
  const options: DayRuleOptions = { perDayCap: window?.kind !== 'callback', within: named ? [named] : null };
  const nextFrom = (from: number) => {
    const span = firstSpan(Math.max(from, t), cal.zone, dayRule(cal, options));
    return span ? new Date(span.start) : null;
  };
  // Only a check that fails explains itself: formatting a time is most of a passing check's cost.
  const when = () => formatLocal(t, settings.timezone);

  if (caseState.attemptsMade >= settings.maxAttempts) {
    return { callable: false, reason: 'cap_reached', nextAt: null, explanation: `all ${settings.maxAttempts} attempts are used` };
  }
  if (window && t < window.start.getTime()) {
    const start = window.start.getTime();
    return { callable: false, reason: 'window', nextAt: nextFrom(start), explanation: `scheduled from ${formatLocal(start, settings.timezone)}` };
  }
  if (window?.end && t >= window.end.getTime()) {
    const end = window.end.getTime();
    return { callable: false, reason: 'window_closed', nextAt: nextFrom(t), explanation: `its slot ended at ${formatLocal(end, settings.timezone)}` };
  }
  const day = localDayOf(t, cal.zone);
  const blocker = blockerAt(t, cal, options);
  switch (blocker) {
    case null:
      return { callable: true };
    case 'per_day_cap':
      return { callable: false, reason: 'per_day_cap', nextAt: nextFrom(t), explanation: `${cal.attemptsOn(day)} attempts today already (at most ${settings.maxAttemptsPerDay})` };
    case 'holiday':
      return { callable: false, reason: 'holiday', nextAt: nextFrom(t), explanation: `${when()} is ${dayClosedBecause(cal, day)}` };
    case 'calling_hours':
      return {
        callable: false,
        reason: 'calling_hours',
        nextAt: nextFrom(t),
        explanation: `${when()} is outside the calling hours (${dayName(day)}: ${formatIntervals(cal.callingHours(day))})`,
      };
    case 'preferred_window':
      return { callable: false, reason: 'preferred_window', nextAt: nextFrom(t), explanation: `${when()} is outside the customer's stated windows` };
    case 'window':
      return { callable: false, reason: 'window', nextAt: nextFrom(t), explanation: `${when()} is outside window "${window?.window}"` };
  }
}

/**
 * Until when the case may be called from `now` on: the end of the callable stretch `now` lies in
 * (calling hours, holidays of the case's region, the customer's stated windows — not the per-day
 * cap, which the hand-out already counted). `now` itself when it lies in none; null when the
 * stretch runs on for more than a week (`SPAN_END_HORIZON_DAYS`: calling hours all day, every day).
 */
export function callableUntil(now: Date, settings: SchedulingSettings, caseState: CaseSchedulingState): Date | null {
  const t = now.getTime();
  const cal = caseCalendar(settings, caseState);
  const span = firstSpan(t, cal.zone, dayRule(cal, { perDayCap: false, within: null }));
  if (!span || span.start > t) return now;
  return span.end === null ? null : new Date(span.end);
}

/** The narrowest named window whose wall-clock times hold `instant` (client zone), or null. */
export function windowAt(instant: Date, settings: SchedulingSettings): string | null {
  const compiled = compileSettings(settings);
  return windowNameAtMinute(compiled.windows, localPartsOf(instant.getTime(), compiled.zone).minute);
}

/**
 * The current or next callable stretch of a named window from `now`: inside calling hours, not
 * on a holiday (of the case's region when `caseState` is given, else the client's), and inside
 * the case's stated windows. `start` is not before `now`. Null for an unknown name or when the
 * window never occurs.
 */
export function windowOccurrence(
  now: Date,
  settings: SchedulingSettings,
  name: string,
  caseState?: Pick<CaseSchedulingState, 'country' | 'postalCode' | 'preferredWindows'>,
): { start: Date; end: Date } | null {
  const result = nextCallableAt(now, settings, { attemptTimes: [], ...caseState, attemptsMade: 0 }, { kind: 'callback', window: name });
  if (result.at === null) return null;
  return { start: result.at, end: result.windowEnd ?? result.at };
}
