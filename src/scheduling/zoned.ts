import { IANAZone } from 'luxon';
import { WEEKDAYS, type Minute, type MinuteInterval, type Weekday } from './time-of-day.js';

/**
 * Local days and wall-clock times in an IANA zone, mapped to instants.
 *
 * A local day is a day number (days since 1970-01-01 of the *local* calendar), so "the next
 * day" is `+1` whatever the zone does. Around DST switches a wall-clock time can be missing
 * (spring: 02:00–03:00 in Europe/Berlin) or doubled (autumn: 02:00–03:00 twice). We map a
 * local interval `[start, end)` to the smallest instant interval that holds every instant
 * whose wall clock reads a time in it: the start to its *first* occurrence, the end to its
 * *last* one, and a missing time to the instant the clock jumps over it. So a window
 * 01:30–03:30 lasts one hour on the spring day and three in autumn, and 02:00–03:00 is empty
 * on the spring day.
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

const offsetMs = (zone: IANAZone, ts: number) => zone.offset(ts) * MINUTE_MS;

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

/**
 * The instant at which the wall clock in `zone` reads `minute` on `day`: its first occurrence
 * for `'first'`, its last for `'last'`; a time skipped by a DST jump maps to the jump.
 */
export function instantOf(day: LocalDay, minute: Minute, zone: IANAZone, which: 'first' | 'last'): number {
  const wall = day * DAY_MS + minute * MINUTE_MS;
  const before = offsetMs(zone, wall - DAY_MS);
  const after = offsetMs(zone, wall + DAY_MS);
  if (before === after && offsetMs(zone, wall - before) === before) return wall - before;

  // Near a transition: try every offset seen around here and keep those that round-trip.
  const candidates = [...new Set([before, after, offsetMs(zone, wall)])]
    .map((o) => wall - o)
    .filter((t) => t + offsetMs(zone, t) === wall)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return which === 'first' ? candidates[0]! : candidates[candidates.length - 1]!;
  return transitionBetween(zone, wall - Math.max(before, after), wall - Math.min(before, after));
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

/** A half-open instant interval `[start, end)` in epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

/** Maps a local minute interval of `day` to instants (see the module comment); may be empty. */
export function spanOf(day: LocalDay, [start, end]: MinuteInterval, zone: IANAZone): Span {
  return { start: instantOf(day, start, zone, 'first'), end: instantOf(day, end, zone, 'last') };
}
