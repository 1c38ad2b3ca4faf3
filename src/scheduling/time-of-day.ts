/**
 * Wall-clock times of day as minutes since local midnight, and the weekday names used in
 * settings. Everything here is zone-free; `zoned.ts` maps local days and minutes to instants.
 */

/** Minutes since local midnight, 0..1440 (1440 = "24:00", the end of the day). */
export type Minute = number;

/** A half-open interval `[start, end)` of minutes of one local day; `start < end`. */
export type MinuteInterval = readonly [start: Minute, end: Minute];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const MINUTES_PER_DAY = 1440;

/** `HH:MM`, 00:00–23:59, plus `24:00` as the end of the day. */
export const TIME_OF_DAY_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Parses `HH:MM` (see {@link TIME_OF_DAY_PATTERN}); throws on anything else. */
export function parseTimeOfDay(text: string): Minute {
  if (!TIME_OF_DAY_PATTERN.test(text)) throw new RangeError(`"${text}" is not a time of day HH:MM (00:00–24:00)`);
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

export function formatTimeOfDay(minute: Minute): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function formatInterval([start, end]: MinuteInterval): string {
  return `${formatTimeOfDay(start)}–${formatTimeOfDay(end)}`;
}

/** Sorts and merges overlapping or touching intervals; drops empty ones. */
export function normalizeIntervals(intervals: readonly MinuteInterval[]): MinuteInterval[] {
  const sorted = intervals.filter(([s, e]) => s < e).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [Minute, Minute][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Intersection of two normalized interval lists (two-pointer walk). */
export function intersectIntervals(a: readonly MinuteInterval[], b: readonly MinuteInterval[]): MinuteInterval[] {
  const out: MinuteInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [as, ae] = a[i]!;
    const [bs, be] = b[j]!;
    const s = Math.max(as, bs);
    const e = Math.min(ae, be);
    if (s < e) out.push([s, e]);
    if (ae < be) i++;
    else j++;
  }
  return out;
}

/** True when `[start, end)` lies wholly inside one interval of the normalized list. */
export function coveredBy(interval: MinuteInterval, normalized: readonly MinuteInterval[]): boolean {
  return normalized.some(([s, e]) => s <= interval[0] && interval[1] <= e);
}

/** True when `minute` lies in one of the intervals. */
export function containsMinute(intervals: readonly MinuteInterval[], minute: Minute): boolean {
  return intervals.some(([s, e]) => s <= minute && minute < e);
}

export const ALL_DAY: readonly MinuteInterval[] = [[0, MINUTES_PER_DAY]];
