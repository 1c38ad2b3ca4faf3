import { describe, expect, it } from 'vitest';
import { local, settingsWith } from '../scheduling/test-helpers.js';
import { etaWithinCallingHours } from './progress.js';

/** The lead's "Voraussichtlich fertig": the remaining work is done within calling hours only. */
describe('etaWithinCallingHours', () => {
  const defaults = settingsWith(); // Mon–Fri 08:00–20:00, Sat 09:00–14:00, Baden-Württemberg's holidays
  const hours = (n: number) => n * 3_600_000;

  it.each([
    ['within the hours', '2026-11-25 10:00', 1, '2026-11-25 11:00'],
    ['past 20:00: on the next morning', '2026-11-25 19:00', 3, '2026-11-26 10:00'],
    ['at night: from 08:00', '2026-11-25 22:00', 1, '2026-11-26 09:00'],
    ['Friday evening: Saturday from 09:00', '2026-11-27 19:00', 3, '2026-11-28 11:00'],
    ['Saturday afternoon: Monday', '2026-11-28 13:00', 3, '2026-11-30 10:00'],
    ['over Christmas (holidays)', '2026-12-24 19:00', 2, '2026-12-28 09:00'],
  ])('%s', (_what, now, work, eta) => {
    expect(etaWithinCallingHours(local(now), hours(work), defaults)).toEqual(local(eta));
  });

  it('gives none beyond a year of calling days', () => {
    expect(etaWithinCallingHours(local('2026-11-25 10:00'), hours(24 * 400), defaults)).toBeNull();
  });
});
