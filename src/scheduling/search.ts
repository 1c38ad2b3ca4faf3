import type { IANAZone } from 'luxon';
import type { DayRule } from './calendar.js';
import { containsMinute } from './time-of-day.js';
import { localPartsOf, spansOf, type Span } from './zoned.js';

/**
 * Walking local days forward to find callable instants. Every search is bounded, so rules
 * that can never be met (a customer who only takes calls at 22:00) end with "none", not a
 * hang.
 */

/** How far ahead any search looks: a little over a year, so yearly holidays are all seen. */
export const SEARCH_HORIZON_DAYS = 400;

/** How far `windowEnd` follows a span across midnights before calling it open-ended. */
export const SPAN_END_HORIZON_DAYS = 7;

/** The callable spans from `from` on, in time order; the first is clipped to start at `from`. */
export function* spansFrom(from: number, zone: IANAZone, rule: DayRule, horizonDays = SEARCH_HORIZON_DAYS): Generator<Span> {
  const first = localPartsOf(from, zone).day;
  for (let day = first; day <= first + horizonDays; day++) {
    // In an autumn overlap the pieces of different intervals interleave: sort the day's spans.
    const spans = rule(day)
      .flatMap((interval) => spansOf(day, interval, zone))
      .sort((a, b) => a.start - b.start);
    for (const span of spans) {
      if (span.end <= from) continue;
      yield { start: Math.max(span.start, from), end: span.end };
    }
  }
}

/** The first callable span at or after `from`, its end extended over spans that touch it. */
export function firstSpan(from: number, zone: IANAZone, rule: DayRule, horizonDays = SEARCH_HORIZON_DAYS): { start: number; end: number | null } | null {
  const spans = spansFrom(from, zone, rule, horizonDays);
  const first = spans.next();
  if (first.done) return null;
  return { start: first.value.start, end: contiguousEnd(first.value, spans) };
}

/**
 * Where the callable stretch that begins with `first` ends: following spans that start no
 * later than it ends (all-day hours run on over midnight). Null when it runs on beyond
 * {@link SPAN_END_HORIZON_DAYS} days.
 */
function contiguousEnd(first: Span, rest: Iterator<Span>): number | null {
  const limit = first.start + SPAN_END_HORIZON_DAYS * 86_400_000;
  let end = first.end;
  for (let next = rest.next(); !next.done && next.value.start <= end; next = rest.next()) {
    end = Math.max(end, next.value.end);
    if (end > limit) return null;
  }
  return end;
}

/** True when the wall clock at `instant` reads a time the rule allows on that local day. */
export function ruleContains(instant: number, zone: IANAZone, rule: DayRule): boolean {
  const { day, minute } = localPartsOf(instant, zone);
  return containsMinute(rule(day), minute);
}
