import { dayRule, type CaseCalendar, type CaseSchedulingState, type DayRuleOptions } from './calendar.js';
import { dayTypeOf, expectedReach, type DayType, type ReachContext } from './reach-rates.js';
import { spansFrom } from './search.js';
import { windowNameAtMinute } from './windows.js';
import { localDayOf, localPartsOf, weekdayOf } from './zoned.js';

/**
 * The learned retry strategy: after "not reached", among the windows the case may be called in
 * (calling hours, holidays, per-day cap, the customer's stated windows, from the end of the retry
 * delay) and no later than {@link LEARNED_MAX_EXTRA_MS} after the earliest allowed time, the one
 * where this client's customers are reached most often. Pure and deterministic: the exploration
 * draw comes from a hash of the case and attempt.
 */

/** The most the learned strategy may add to the earliest allowed retry: two days. */
export const LEARNED_MAX_EXTRA_MS = 2 * 86_400_000;
/** Share of retries that go to a window drawn at random (by hash) so no window is starved of data. */
export const EXPLORATION_RATE = 0.1;
/** Each earlier attempt of this case in a window that did not reach the customer scales the window's rate by this. */
export const MISS_FACTOR = 0.6;
/** Each day a candidate lies after the earliest allowed retry scales its rate by this. */
export const DELAY_FACTOR_PER_DAY = 0.95;

/** Why a learned retry went where it went; stored on the case and shown on the agent's card. */
export interface RetryChoice {
  basis: 'rates' | 'customer' | 'exploration';
  window: string;
  dayType: DayType;
  /** Expected reach (posterior mean) of the chosen window on its weekday type, 0..1. */
  rate: number;
  /** The other windows that were possible, best first, with their expected reach. */
  others: Array<{ window: string; rate: number }>;
}

interface Candidate {
  window: string;
  dayType: DayType;
  start: number;
  /** End of the window's callable stretch that starts at `start`. */
  end: number;
  rate: number;
  score: number;
}

/**
 * The learned start for a retry, or null when no named window is callable between `from` and
 * `earliest` + {@link LEARNED_MAX_EXTRA_MS} (the caller then keeps the earliest time).
 */
export function learnedStart(
  from: number,
  earliest: number,
  cal: CaseCalendar,
  state: CaseSchedulingState,
  options: DayRuleOptions,
  reach: ReachContext,
): { start: number; end: number; choice: RetryChoice } | null {
  const candidates = candidatesOf(from, earliest, cal, state, options, reach);
  if (candidates.length === 0) return null;
  const reachedIn = windowsOf(state.reachedTimes ?? [], cal);
  const preferred = candidates.filter((c) => reachedIn.has(c.window));
  let chosen: Candidate;
  let basis: RetryChoice['basis'];
  if (preferred.length > 0) {
    chosen = best(preferred);
    basis = 'customer';
  } else if (unitHash(reach.seed, 'explore') < EXPLORATION_RATE) {
    const windows = [...new Set(candidates.map((c) => c.window))].sort();
    const pick = windows[Math.floor(unitHash(reach.seed, 'pick') * windows.length)]!;
    chosen = best(candidates.filter((c) => c.window === pick));
    basis = 'exploration';
  } else {
    chosen = best(candidates);
    basis = 'rates';
  }
  const others = new Map<string, number>();
  for (const c of candidates) if (c.window !== chosen.window && !others.has(c.window)) others.set(c.window, c.rate);
  return {
    start: chosen.start,
    end: chosen.end,
    choice: {
      basis,
      window: chosen.window,
      dayType: chosen.dayType,
      rate: chosen.rate,
      others: [...others].map(([window, rate]) => ({ window, rate })).sort((a, b) => b.rate - a.rate),
    },
  };
}

/** Highest score; ties go to the earlier start. */
const best = (list: readonly Candidate[]): Candidate => list.reduce((a, b) => (b.score > a.score || (b.score === a.score && b.start < a.start) ? b : a));

/** Per window and weekday type, its first callable start in [from, earliest + max extra]. */
function candidatesOf(from: number, earliest: number, cal: CaseCalendar, state: CaseSchedulingState, options: DayRuleOptions, reach: ReachContext): Candidate[] {
  const limit = earliest + LEARNED_MAX_EXTRA_MS;
  const horizonDays = Math.ceil((limit - from) / 86_400_000) + 1;
  const misses = missesByWindow(cal, state);
  const out: Candidate[] = [];
  for (const window of cal.compiled.windows.byName.keys()) {
    const seen = new Set<DayType>();
    for (const span of windowSpans(from, horizonDays, cal, options, window)) {
      if (span.start > limit) break;
      const dayType = dayTypeOf(weekdayOf(localDayOf(span.start, cal.zone)));
      if (seen.has(dayType)) continue;
      seen.add(dayType);
      const rate = expectedReach(reach.rates, dayType, window);
      const days = Math.max(0, span.start - earliest) / 86_400_000;
      const score = rate * MISS_FACTOR ** (misses.get(window) ?? 0) * DELAY_FACTOR_PER_DAY ** days;
      out.push({ window, dayType, start: span.start, end: span.end, rate, score });
      if (seen.size === 2) break;
    }
  }
  return out;
}

/**
 * The callable spans of a window's own minutes (where it is the narrowest window) from `from`;
 * none for a window wholly inside narrower ones or an unknown name.
 */
function windowSpans(from: number, horizonDays: number, cal: CaseCalendar, options: DayRuleOptions, window: string) {
  const within = cal.compiled.windows.segments.filter((s) => s.name === window).map((s) => s.interval);
  return within.length === 0 ? [] : spansFrom(from, cal.zone, dayRule(cal, { ...options, within }), horizonDays);
}

/**
 * A learned retry whose window passed before an agent took it (a backlog): the window's next
 * callable stretch from `from`, if it starts within {@link LEARNED_MAX_EXTRA_MS} of `earliest`;
 * else null (the caller keeps the earliest time).
 */
export function keptWindowSpan(from: number, earliest: number, cal: CaseCalendar, options: DayRuleOptions, window: string): { start: number; end: number } | null {
  const limit = earliest + LEARNED_MAX_EXTRA_MS;
  for (const span of windowSpans(from, Math.ceil((limit - from) / 86_400_000) + 1, cal, options, window)) {
    return span.start <= limit ? span : null;
  }
  return null;
}

function windowsOf(times: readonly Date[], cal: CaseCalendar): Set<string> {
  const names = new Set<string>();
  for (const t of times) {
    const name = windowAtInstant(t.getTime(), cal);
    if (name) names.add(name);
  }
  return names;
}

/** Earlier attempts of this case per window that did not reach the customer. */
function missesByWindow(cal: CaseCalendar, state: CaseSchedulingState): Map<string, number> {
  const reached = new Set((state.reachedTimes ?? []).map((t) => t.getTime()));
  const misses = new Map<string, number>();
  for (const t of state.attemptTimes) {
    if (reached.has(t.getTime())) continue;
    const name = windowAtInstant(t.getTime(), cal);
    if (name) misses.set(name, (misses.get(name) ?? 0) + 1);
  }
  return misses;
}

function windowAtInstant(instant: number, cal: CaseCalendar): string | null {
  return windowNameAtMinute(cal.compiled.windows, localPartsOf(instant, cal.zone).minute);
}

/** A uniform number in [0, 1) from a string (FNV-1a, then a mulberry32 round): the same seed, the same draw. */
export function unitHash(seed: string, salt: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${salt}:${seed}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
