import { dayRule, type CaseCalendar, type DayRule, type DayRuleOptions } from './calendar.js';
import { weeklyConflict } from './explain.js';
import type { RetryChoice } from './learned-retry.js';
import { firstSpan, ruleContains, SEARCH_HORIZON_DAYS } from './search.js';
import { ALL_DAY } from './time-of-day.js';
import { localDayOf } from './zoned.js';

/** What `nextCallableAt` answers, and how the reason for a wait is chosen. */

/** What a scheduling request asks for. */
export type ScheduleRequest =
  /**
   * First attempt of a freshly imported (or requeued) case: as soon as allowed. With `window`
   * (a learned retry whose window passed before an agent took it): that window's next
   * occurrence, if it comes within two days of the earliest allowed time.
   */
  | { kind: 'first'; window?: string | null }
  /**
   * After a `retry` outcome: the retry delay counts from `recordedAt`, with day-part rotation (or
   * the learned window). `delaySeconds`: the outcome's own delay (`Besetzt` after 15 minutes),
   * kept as it is — no rotation: the line was busy, the customer is there now.
   */
  | { kind: 'retry'; recordedAt: Date; delaySeconds?: number }
  /**
   * A callback in a named window: its next occurrence, or on `date` (`YYYY-MM-DD`, client zone).
   * `recordedAt`: the callback was just agreed on the phone (the outcome, not a job resumed), so
   * without a future date it starts no earlier than `callbackGapMs` after it.
   */
  | { kind: 'callback'; window: string; date?: string | null; recordedAt?: Date | null }
  /** A callback at an exact time, which must lie inside calling hours. */
  | { kind: 'callback'; at: Date };

/**
 * Why the case waits until `at`; dispatch counts these into `waiting` (see `waitingKeyFor`).
 * `immediate`: callable at `now`. `retry_delay` also covers day-part rotation.
 */
export type ScheduleReason =
  | 'immediate'
  | 'retry_delay'
  | 'callback_window'
  | 'callback_time'
  | 'calling_hours'
  | 'holiday'
  | 'per_day_cap'
  | 'preferred_window';

/** Why a request can never be met; `explanation` says it in a sentence for the agent. */
export type NeverCause =
  | 'cap_reached'
  | 'unknown_window'
  | 'invalid_date'
  | 'holiday'
  | 'outside_calling_hours'
  | 'outside_preferred_windows'
  | 'not_on_requested_date'
  | 'no_callable_time';

export interface Scheduled {
  /** Earliest callable instant, never before `now`. */
  at: Date;
  /**
   * End of the callable stretch that starts at `at` (the requested window's end for window
   * callbacks, else the end of calling hours); null when it runs on for over a week.
   */
  windowEnd: Date | null;
  /** Named window `at` falls in (the requested one for window callbacks), or null. */
  window: string | null;
  reason: ScheduleReason;
  /** A retry placed by the learned strategy: why this window (for the agent's card). */
  choice?: RetryChoice;
}

export interface NeverCallable {
  at: null;
  reason: 'never';
  cause: NeverCause;
  explanation: string;
}

export type NextCallable = Scheduled | NeverCallable;

export const never = (cause: NeverCause, explanation: string): NeverCallable => ({ at: null, reason: 'never', cause, explanation });

/** The keys of `waiting` in the `next` response (DESIGN.md section 10) a reason counts into. */
export type WaitingKey = 'callbackWindow' | 'retryDelay' | 'callingHours' | 'holiday' | 'perDayCap' | 'preferredWindow';

export function waitingKeyFor(reason: ScheduleReason): WaitingKey | null {
  const map: Record<ScheduleReason, WaitingKey | null> = {
    immediate: null,
    retry_delay: 'retryDelay',
    callback_window: 'callbackWindow',
    callback_time: 'callbackWindow',
    calling_hours: 'callingHours',
    holiday: 'holiday',
    per_day_cap: 'perDayCap',
    preferred_window: 'preferredWindow',
  };
  return map[reason];
}

/** The single constraint that rules out an instant, checked in the order people think of them. */
export type Blocker = 'per_day_cap' | 'holiday' | 'window' | 'calling_hours' | 'preferred_window';

export function blockerAt(instant: number, cal: CaseCalendar, options: DayRuleOptions): Blocker | null {
  const day = localDayOf(instant, cal.zone);
  if (options.perDayCap && cal.capped(day)) return 'per_day_cap';
  if (cal.isHoliday(day)) return 'holiday';
  const within = options.within;
  if (within && !ruleContains(instant, cal.zone, () => within)) return 'window';
  if (!ruleContains(instant, cal.zone, (d) => cal.callingHours(d))) return 'calling_hours';
  if (!ruleContains(instant, cal.zone, (d) => cal.preferred(d) ?? ALL_DAY)) return 'preferred_window';
  return null;
}

/**
 * Why `at` is later than `from`: what blocks `from` itself — except that a holiday wins when
 * the case would have been callable earlier but for one ("Friday 20:30, Saturday holiday").
 */
export function delayReason(from: number, at: number, cal: CaseCalendar, options: DayRuleOptions, reasons: DelayReasons): ScheduleReason {
  const blocker = blockerAt(from, cal, options);
  if (blocker === 'per_day_cap') return blocker;
  if (blocker === 'holiday' || holidaySkipped(from, at, cal, options)) return 'holiday';
  switch (blocker) {
    case 'calling_hours':
      return reasons.hours ?? blocker;
    case 'preferred_window':
      return blocker;
    case 'window':
      return reasons.window;
    case null:
      return 'retry_delay'; // only day-part rotation moves a callable instant
  }
}

/** How a request names its waits: `bound` when `from` itself is the answer, `window` … */
export interface DelayReasons {
  /** The wait when the request's own earliest time (`from` > now) is the answer. */
  bound: ScheduleReason;
  /** The wait when `from` is outside the requested window. */
  window: ScheduleReason;
  /** Overrides `calling_hours` (a window callback waits for its window, whatever the hours). */
  hours?: ScheduleReason;
}

function holidaySkipped(from: number, at: number, cal: CaseCalendar, options: DayRuleOptions): boolean {
  const withoutHolidays: CaseCalendar = { ...cal, isHoliday: () => false };
  const earlier = firstSpan(from, cal.zone, dayRule(withoutHolidays, options), Math.ceil((at - from) / 86_400_000) + 1);
  return earlier !== null && earlier.start < at && cal.isHoliday(localDayOf(earlier.start, cal.zone));
}

/**
 * Schedules at the first span of `rule` from `from` (>= now), or explains why there is none.
 * `boundReason` names the wait when `from` itself is the answer and lies after `now`.
 */
export function scheduleFrom(
  now: number,
  from: number,
  cal: CaseCalendar,
  options: DayRuleOptions,
  reasons: DelayReasons,
  window: (at: number) => string | null,
  label: string | null,
): NextCallable {
  // A weekly conflict would only be found after walking the whole horizon: answer it up front.
  const conflict = weeklyConflict(cal, options.within ?? null, label);
  if (conflict) return never(conflict.cause, `Never callable: ${conflict.text}.`);
  const rule: DayRule = dayRule(cal, options);
  const span = firstSpan(from, cal.zone, rule);
  if (!span) {
    return never('no_callable_time', `Never callable: no callable time within ${SEARCH_HORIZON_DAYS} days (holidays and the per-day cap leave nothing).`);
  }
  const at = span.start;
  const reason = at === now ? 'immediate' : at === from ? reasons.bound : delayReason(from, at, cal, options, reasons);
  return { at: new Date(at), windowEnd: span.end === null ? null : new Date(span.end), window: window(at), reason };
}
