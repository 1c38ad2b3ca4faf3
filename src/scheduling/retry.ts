import { dayRule, type CaseCalendar, type CaseSchedulingState, type DayRuleOptions } from './calendar.js';
import { keptWindowSpan, learnedStart } from './learned-retry.js';
import { effectiveStrategy, type ReachContext } from './reach-rates.js';
import { never, scheduleFrom, type NextCallable, type Scheduled } from './result.js';
import { firstSpan } from './search.js';
import { normalizeIntervals } from './time-of-day.js';
import { intervalsAvoiding, windowNameAtMinute } from './windows.js';
import { localPartsOf } from './zoned.js';

/**
 * Retries after a `retry` outcome ("not reached"): the delay counts from when the outcome was
 * recorded, and the next attempt prefers a different day-part (window) than earlier ones —
 * people who are out every morning are reached in the afternoon. Rotation is a preference: it
 * never pushes a retry more than {@link ROTATION_MAX_EXTRA_MS} past the earliest allowed time,
 * and with one window it does nothing.
 */

/** The most day-part rotation may add to a retry: one day. */
export const ROTATION_MAX_EXTRA_MS = 86_400_000;

/** When the retry delay after an outcome recorded at `recordedAt` is over. */
export function retryDueAt(recordedAt: Date, retryDelaySeconds: number): Date {
  return new Date(recordedAt.getTime() + retryDelaySeconds * 1000);
}

/** The window (narrowest named one) the wall clock of `instant` falls in, in the calendar's zone. */
export function windowNameAt(instant: number, cal: CaseCalendar): string | null {
  return windowNameAtMinute(cal.compiled.windows, localPartsOf(instant, cal.zone).minute);
}

/** Windows of earlier attempts: all of them, and the last one (explicit, or of the latest attempt). */
function triedWindows(cal: CaseCalendar, state: CaseSchedulingState): { all: Set<string>; last: string | null } {
  const times = state.attemptTimes.map((t) => t.getTime()).sort((a, b) => a - b);
  const all = new Set(times.map((t) => windowNameAt(t, cal)).filter((n): n is string => n !== null));
  const latest = times[times.length - 1];
  const last = state.lastWindow !== undefined ? state.lastWindow : latest === undefined ? null : windowNameAt(latest, cal);
  if (last) all.add(last);
  return { all, last };
}

/**
 * A retry: the earliest allowed time after the delay, moved by the client's strategy — day-part
 * rotation, or (`learned`, with `reach` given) the window with the highest expected reach. An
 * outcome's own delay (`delaySeconds`) is kept as it is, not moved.
 */
export function scheduleRetry(
  now: number,
  request: { recordedAt: Date; delaySeconds?: number },
  cal: CaseCalendar,
  state: CaseSchedulingState,
  reach?: ReachContext | null,
): NextCallable {
  const due = retryDueAt(request.recordedAt, request.delaySeconds ?? cal.compiled.settings.retryDelaySeconds).getTime();
  const from = Math.max(now, due);
  const options: DayRuleOptions = { perDayCap: true };
  const plain = scheduleFrom(now, from, cal, options, { bound: 'retry_delay', window: 'retry_delay' }, (at) => windowNameAt(at, cal), null);
  if (plain.at === null || request.delaySeconds !== undefined) return plain;

  const learned = reach && effectiveStrategy(cal.compiled.settings, reach.rates) === 'learned';
  const moved = learned ? learnedStart(from, plain.at.getTime(), cal, state, options, reach) : null;
  const start = learned ? (moved?.start ?? null) : rotatedStart(from, plain.at.getTime(), cal, state, options);
  if (moved) {
    // The slot ends with the chosen window: a retry an agent did not reach in time is moved to
    // the window's next occurrence (`{kind: 'first', window}`), not called at any hour.
    const reason = moved.start === plain.at.getTime() ? plain.reason : plain.reason === 'immediate' ? 'retry_delay' : plain.reason;
    return { at: new Date(moved.start), windowEnd: new Date(moved.end), window: moved.choice.window, reason, choice: moved.choice };
  }
  if (start === null || start === plain.at.getTime()) return plain;
  return movedTo(start, plain, cal, options);
}

/** `plain` moved to a later callable `start` (same rules), with the stretch that starts there. */
function movedTo(start: number, plain: Scheduled, cal: CaseCalendar, options: DayRuleOptions): NextCallable {
  const span = firstSpan(start, cal.zone, dayRule(cal, options));
  if (!span) return never('no_callable_time', 'Never callable.'); // unreachable: `start` was found by the same rule
  return { at: new Date(start), windowEnd: span.end === null ? null : new Date(span.end), window: windowNameAt(start, cal), reason: plain.reason === 'immediate' ? 'retry_delay' : plain.reason };
}

/**
 * A first attempt — or a job whose slot passed — as soon as allowed; with `window` (a learned
 * retry an agent did not reach in time) in that window's next occurrence instead, if it comes
 * within {@link LEARNED_MAX_EXTRA_MS} of the earliest allowed time.
 */
export function scheduleFirst(now: number, cal: CaseCalendar, window: string | null | undefined): NextCallable {
  const options: DayRuleOptions = { perDayCap: true };
  const plain = scheduleFrom(now, now, cal, options, { bound: 'immediate', window: 'calling_hours' }, (at) => windowNameAt(at, cal), null);
  if (plain.at === null || !window) return plain;
  const kept = keptWindowSpan(now, plain.at.getTime(), cal, options, window);
  if (!kept || kept.start === plain.at.getTime()) return kept ? { ...plain, windowEnd: new Date(kept.end), window } : plain;
  return { at: new Date(kept.start), windowEnd: new Date(kept.end), window, reason: plain.reason === 'immediate' ? 'retry_delay' : plain.reason };
}

/**
 * The earliest start at or after `from` in a window no earlier attempt used, else in a window
 * other than the last one, within a day of `earliest`; null when rotation does not apply.
 */
function rotatedStart(from: number, earliest: number, cal: CaseCalendar, state: CaseSchedulingState, options: DayRuleOptions): number | null {
  const windows = cal.compiled.windows;
  if (windows.byName.size < 2) return null;
  const tried = triedWindows(cal, state);
  if (tried.last === null) return null; // no earlier attempt in any window: nothing to rotate away from
  const limit = earliest + ROTATION_MAX_EXTRA_MS;
  for (const avoid of [tried.all, new Set(tried.last ? [tried.last] : [])]) {
    const within = normalizeIntervals(intervalsAvoiding(windows, avoid));
    if (within.length === 0) continue;
    const span = firstSpan(from, cal.zone, dayRule(cal, { ...options, within }), Math.ceil((limit - from) / 86_400_000) + 1);
    if (span && span.start <= limit) return span.start;
  }
  return null;
}
