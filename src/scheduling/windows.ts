import type { SchedulingSettings } from './settings.js';
import { MINUTES_PER_DAY, parseTimeOfDay, type Minute, type MinuteInterval } from './time-of-day.js';

/**
 * Named windows of a client (`morning` 08–12, …). Windows may overlap (`ganztags` 08–20 next to
 * `evening` 17–20); a time of day then belongs to the *narrowest* window holding it, so
 * "which window was this attempt in" has one answer.
 */

export interface NamedWindow {
  name: string;
  interval: MinuteInterval;
}

/** A stretch of the day whose narrowest window is `name` (null: no window). */
export interface WindowSegment {
  interval: MinuteInterval;
  name: string | null;
}

export interface CompiledWindows {
  byName: ReadonlyMap<string, MinuteInterval>;
  /** Partition of 00:00–24:00 by narrowest window, in time order. */
  segments: readonly WindowSegment[];
}

export function compileWindows(windows: SchedulingSettings['windows']): CompiledWindows {
  const list: NamedWindow[] = Object.entries(windows).map(([name, [from, to]]) => ({
    name,
    interval: [parseTimeOfDay(from), parseTimeOfDay(to)],
  }));
  return { byName: new Map(list.map((w) => [w.name, w.interval])), segments: segmentsOf(list) };
}

function narrowestAt(list: readonly NamedWindow[], minute: Minute): string | null {
  let best: NamedWindow | null = null;
  for (const w of list) {
    const [s, e] = w.interval;
    if (s > minute || minute >= e) continue;
    const width = e - s;
    const bestWidth = best ? best.interval[1] - best.interval[0] : Infinity;
    // Ties go to the later start, then to the name, so the answer never depends on key order.
    if (!best || width < bestWidth || (width === bestWidth && (s > best.interval[0] || (s === best.interval[0] && w.name < best.name)))) {
      best = w;
    }
  }
  return best?.name ?? null;
}

function segmentsOf(list: readonly NamedWindow[]): WindowSegment[] {
  const cuts = [...new Set([0, MINUTES_PER_DAY, ...list.flatMap((w) => [...w.interval])])].sort((a, b) => a - b);
  const segments: WindowSegment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const interval: MinuteInterval = [cuts[i]!, cuts[i + 1]!];
    const name = narrowestAt(list, interval[0]);
    const last = segments[segments.length - 1];
    if (last && last.name === name) segments[segments.length - 1] = { name, interval: [last.interval[0], interval[1]] };
    else segments.push({ interval, name });
  }
  return segments;
}

/** The narrowest window holding a minute of the day, or null. */
export function windowNameAtMinute(compiled: CompiledWindows, minute: Minute): string | null {
  return compiled.segments.find(({ interval: [s, e] }) => s <= minute && minute < e)?.name ?? null;
}

/** The minute intervals of the day whose window is *not* one of `avoid` (no window counts as different). */
export function intervalsAvoiding(compiled: CompiledWindows, avoid: ReadonlySet<string>): MinuteInterval[] {
  return compiled.segments.filter((s) => s.name === null || !avoid.has(s.name)).map((s) => s.interval);
}
