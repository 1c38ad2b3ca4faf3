import { DateTime } from 'luxon';

/**
 * An instant as a zone's wall clock, to the minute: `iso` `2026-11-25T17:05` (a date cell),
 * `display` `25.11.2026 17:05` (text). A result list writes one or two per case and attempt,
 * and luxon asks the platform's `Intl` for the zone's offset on every call (a tenth of the
 * list's CPU). Here luxon is asked once per zone and hour, and kept when the offset is the same
 * at the hour's start and end: no zone changes its offset twice within an hour, so it holds for
 * every instant between. An hour with a change asks luxon for each instant in it.
 */
export function wallClock(at: Date, zone: string, style: 'iso' | 'display'): string {
  const ms = at.getTime();
  if (Number.isNaN(ms)) return ''; // no time (luxon wrote "Invalid DateTime"): the cell stays empty, the list is written
  const local = new Date(ms + offsetMinutes(ms, zone) * 60_000);
  const y = String(local.getUTCFullYear()).padStart(4, '0');
  const mo = two(local.getUTCMonth() + 1);
  const d = two(local.getUTCDate());
  const time = `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
  return style === 'iso' ? `${y}-${mo}-${d}T${time}` : `${d}.${mo}.${y} ${time}`;
}

const HOUR = 3_600_000;
/** Offsets by zone and hour since the epoch; null where it changes within the hour. Emptied when full. */
const hours = new Map<string, number | null>();
const MAX_HOURS = 100_000;

function offsetMinutes(ms: number, zone: string): number {
  const hour = Math.floor(ms / HOUR);
  const key = `${zone} ${hour}`;
  let offset = hours.get(key);
  if (offset === undefined) {
    const start = zoneOffset(hour * HOUR, zone);
    offset = start === zoneOffset(hour * HOUR + HOUR - 1, zone) ? start : null;
    if (hours.size >= MAX_HOURS) hours.clear();
    hours.set(key, offset);
  }
  return offset ?? zoneOffset(ms, zone);
}

function zoneOffset(ms: number, zone: string): number {
  const dt = DateTime.fromMillis(ms, { zone });
  if (!dt.isValid) throw new Error(`unknown time zone ${JSON.stringify(zone)}`);
  return dt.offset;
}

const two = (n: number) => String(n).padStart(2, '0');
