import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { wallClock } from './wall-clock.js';

const ZONES = ['Europe/Berlin', 'Europe/Zurich', 'Europe/Vienna', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'];
const luxon = (ms: number, zone: string, format: string) => DateTime.fromMillis(ms, { zone }).toFormat(format);

describe('wallClock', () => {
  it('writes the zone’s wall clock as luxon does, also around every change of offset', () => {
    for (const zone of ZONES) {
      const instants: number[] = [];
      // Every 3 hours 1 minute 7 seconds over three years (each hour and minute in turn), and each
      // change of offset to the millisecond (offsets change months apart: looked for per day).
      for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 10_867_000) instants.push(ms);
      for (let day = Date.UTC(2025, 0, 1); day < Date.UTC(2028, 0, 1); day += 86_400_000) {
        if (DateTime.fromMillis(day, { zone }).offset === DateTime.fromMillis(day + 86_400_000, { zone }).offset) continue;
        for (let ms = day; ms < day + 86_400_000; ms += 3_600_000) {
          if (DateTime.fromMillis(ms, { zone }).offset === DateTime.fromMillis(ms + 3_600_000, { zone }).offset) continue;
          // Find the change within the hour and take the instants around it.
          let [lo, hi] = [ms, ms + 3_600_000];
          while (hi - lo > 1) {
            const mid = Math.floor((lo + hi) / 2);
            if (DateTime.fromMillis(mid, { zone }).offset === DateTime.fromMillis(lo, { zone }).offset) lo = mid;
            else hi = mid;
          }
          instants.push(lo - 60_000, lo, hi, hi + 59_999, ms, ms + 3_599_999);
        }
      }
      // Asked out of order: the cache must not depend on the order of the questions.
      instants.sort((a, b) => (a % 7_919) - (b % 7_919));
      const wrong = instants.filter((ms) => wallClock(new Date(ms), zone, 'iso') !== luxon(ms, zone, "yyyy-MM-dd'T'HH:mm") || wallClock(new Date(ms), zone, 'display') !== luxon(ms, zone, 'dd.MM.yyyy HH:mm'));
      expect(wrong.map((ms) => `${zone} ${new Date(ms).toISOString()}`)).toEqual([]);
    }
  });

  it('names the instants of a Berlin autumn night as its clocks showed them', () => {
    const at = (iso: string) => new Date(iso);
    expect(wallClock(at('2026-10-25T00:30:00Z'), 'Europe/Berlin', 'display')).toBe('25.10.2026 02:30');
    expect(wallClock(at('2026-10-25T01:30:00Z'), 'Europe/Berlin', 'display')).toBe('25.10.2026 02:30');
    expect(wallClock(at('2026-11-25T16:05:00Z'), 'Europe/Berlin', 'iso')).toBe('2026-11-25T17:05');
    expect(wallClock(at('kein Datum'), 'Europe/Berlin', 'display')).toBe('');
  });
});
