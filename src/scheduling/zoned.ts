import { IANAZone } from 'luxon';
import { MINUTES_PER_DAY, WEEKDAYS, type Minute, type MinuteInterval, type Weekday } from './time-of-day.js';

/**
 * Local days and wall-clock times in an IANA zone, mapped to instants.
 *
 * A local day is a day number (days since 1970-01-01 of the *local* calendar), so "the next
 * day" is `+1` whatever the zone does. A local interval `[start, end)` of a day means exactly
 * the instants whose wall clock reads a time in it. Around DST switches that is not one
 * stretch of real time: on the spring day in Europe/Berlin 02:00–03:00 does not exist (a window
 * 01:30–03:30 lasts one hour, 02:00–03:00 is empty); on the autumn day 02:00–03:00 happens
 * twice (01:30–03:30 lasts three hours, and 02:30–03:15 is two pieces with the second pass of
 * 02:00–02:30 between them left out, because calling hours are limits of the wall clock).
 */

export type LocalDay = number;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const zones = new Map<string, IANAZone>();

/** The luxon zone for an IANA name, cached; throws on an unknown name. */
export function zoneFor(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = IANAZone.create(name);
    if (!zone.isValid) throw new RangeError(`"${name}" is not a valid IANA time zone`);
    zones.set(name, zone);
  }
  return zone;
}

/** How one UTC day of a zone is offset: constant, or switching once at `switchAt`. */
interface DayOffsets {
  first: number;
  last: number;
  switchAt: number;
}

const dayOffsetCache = new Map<string, DayOffsets>();

/**
 * The zone's UTC offset at `ts` in ms. luxon asks `Intl` each time (~10 µs), and the search
 * asks often, so offsets are memoized per zone and UTC day (no zone switches twice a day).
 */
function offsetMs(zone: IANAZone, ts: number): number {
  const utcDay = Math.floor(ts / DAY_MS);
  const key = `${zone.name} ${utcDay}`;
  let day = dayOffsetCache.get(key);
  if (!day) {
    if (dayOffsetCache.size >= 100_000) dayOffsetCache.clear(); // a bound, not an LRU: refilling is cheap
    const start = utcDay * DAY_MS;
    const first = zone.offset(start) * MINUTE_MS;
    const last = zone.offset(start + DAY_MS - 1) * MINUTE_MS;
    let switchAt = Infinity;
    if (first !== last) {
      let lo = start;
      let hi = start + DAY_MS - 1;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (zone.offset(mid) * MINUTE_MS === first) lo = mid;
        else hi = mid;
      }
      switchAt = hi;
    }
    day = { first, last, switchAt };
    dayOffsetCache.set(key, day);
  }
  return ts < day.switchAt ? day.first : day.last;
}

/** The local day and minute of day (0..1439) of an instant. */
export function localPartsOf(instant: number, zone: IANAZone): { day: LocalDay; minute: Minute } {
  const local = instant + offsetMs(zone, instant);
  const day = Math.floor(local / DAY_MS);
  return { day, minute: Math.floor((local - day * DAY_MS) / MINUTE_MS) };
}

export function localDayOf(instant: number, zone: IANAZone): LocalDay {
  return localPartsOf(instant, zone).day;
}

export function weekdayOf(day: LocalDay): Weekday {
  // 1970-01-01 was a Thursday, index 3 in WEEKDAYS (mon = 0).
  return WEEKDAYS[(((day + 3) % 7) + 7) % 7]!;
}

/** `YYYY-MM-DD` of a local day. */
export function isoDate(day: LocalDay): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The local day of a `YYYY-MM-DD` string, or null when it is not a real calendar date. */
export function parseIsoDate(text: string): LocalDay | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return isoDate(ms / DAY_MS) === text ? ms / DAY_MS : null;
}

/** The year of a local day (for holiday tables). */
export function yearOf(day: LocalDay): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** A half-open instant interval `[start, end)` in epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

/** A stretch of real time with one UTC offset; `from`/`to` may be ±Infinity. */
interface OffsetSegment {
  from: number;
  to: number;
  offset: number;
}

/**
 * The offsets in force around a local day (from a day before to a day after), in time order.
 * Nearly always one; two around a DST switch.
 */
function offsetSegments(day: LocalDay, zone: IANAZone): OffsetSegment[] {
  const key = `${zone.name} ${day}`;
  let segments = segmentCache.get(key);
  if (!segments) {
    if (segmentCache.size >= 50_000) segmentCache.clear(); // a bound, not an LRU: refilling is cheap
    segments = computeOffsetSegments(day, zone);
    segmentCache.set(key, segments);
  }
  return segments;
}

const segmentCache = new Map<string, OffsetSegment[]>();

function computeOffsetSegments(day: LocalDay, zone: IANAZone): OffsetSegment[] {
  const lo = day * DAY_MS - DAY_MS;
  const hi = day * DAY_MS + 2 * DAY_MS;
  const segments: OffsetSegment[] = [];
  let from = -Infinity;
  let cursor = lo;
  // Probe every 6 hours: no zone switches twice within that time, so no switch is missed.
  for (let probe = lo + 6 * 3_600_000; probe <= hi; probe += 6 * 3_600_000) {
    const before = offsetMs(zone, cursor);
    if (offsetMs(zone, probe) !== before) {
      const at = transitionBetween(zone, cursor, probe);
      segments.push({ from, to: at, offset: before });
      from = at;
    }
    cursor = probe;
  }
  segments.push({ from, to: Infinity, offset: offsetMs(zone, cursor) });
  return segments;
}

/** The first instant in `(lo, hi]` whose offset differs from the offset at `lo` (binary search). */
function transitionBetween(zone: IANAZone, lo: number, hi: number): number {
  const startOffset = offsetMs(zone, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === startOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The instants whose wall clock on `day` reads a time in `[start, end)`: one span, two in an
 * autumn overlap, none when a spring jump swallows it. In time order, touching spans merged.
 */
export function spansOf(day: LocalDay, [start, end]: MinuteInterval, zone: IANAZone): Span[] {
  const wallStart = day * DAY_MS + start * MINUTE_MS;
  const wallEnd = day * DAY_MS + end * MINUTE_MS;
  const spans: Span[] = [];
  for (const seg of offsetSegments(day, zone)) {
    const s = Math.max(seg.from, wallStart - seg.offset);
    const e = Math.min(seg.to, wallEnd - seg.offset);
    if (s >= e) continue;
    const last = spans[spans.length - 1];
    if (last && s <= last.end) last.end = Math.max(last.end, e);
    else spans.push({ start: s, end: e });
  }
  return spans;
}

/** The first instant at or after which the wall clock on `day` reads `minute` or later. */
export function firstInstantAt(day: LocalDay, minute: Minute, zone: IANAZone): number {
  const [first] = spansOf(day, [minute, MINUTES_PER_DAY], zone);
  // Only a day wholly swallowed by a jump has none; its end is then the answer.
  return first ? first.start : day * DAY_MS + DAY_MS - offsetMs(zone, day * DAY_MS + DAY_MS);
}
