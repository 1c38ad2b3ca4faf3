import { describe, expect, it } from 'vitest';
import type { CaseSchedulingState } from './calendar.js';
import { isCallableNow, nextCallableAt, type ScheduledSlot } from './next-callable.js';
import { caseWith, local, settingsWith, show } from './test-helpers.js';

const defaults = settingsWith({ holidays: { country: 'DE', state: 'BY' }, maxAttempts: 5 });
const twoToday = (day = '2026-11-27') => ({ attemptsMade: 2, attemptTimes: [local(`${day} 09:00`), local(`${day} 10:00`)] });

describe('isCallableNow', () => {
  it.each<[string, string, Partial<CaseSchedulingState>, ScheduledSlot | null, string | null, string | null]>([
    ['inside calling hours', '2026-11-27 10:00', {}, null, null, null],
    ['Saturday 13:59', '2026-11-28 13:59', {}, null, null, null],
    ['before opening', '2026-11-27 07:30', {}, null, 'calling_hours', '2026-11-27 08:00'],
    ['Saturday 14:00', '2026-11-28 14:00', {}, null, 'calling_hours', '2026-11-30 08:00'],
    ['Sunday', '2026-11-29 10:00', {}, null, 'calling_hours', '2026-11-30 08:00'],
    ['Epiphany in Bavaria (Monday 2025-01-06)', '2025-01-06 10:00', {}, null, 'holiday', '2025-01-07 08:00'],
    ['Epiphany for a Zürich customer of a Bavarian client', '2025-01-06 10:00', { country: 'CH', postalCode: '8001' }, null, null, null],
    ['per-day cap reached', '2026-11-27 12:00', twoToday(), null, 'per_day_cap', '2026-11-28 09:00'],
    ['per-day cap: yesterday does not count', '2026-11-27 12:00', twoToday('2026-11-26'), null, null, null],
    ['attempt cap reached', '2026-11-27 12:00', { attemptsMade: 5 }, null, 'cap_reached', null],
    ['stated windows', '2026-11-27 12:00', { preferredWindows: [{ days: ['fri'], from: '17:00', to: '19:00' }] }, null, 'preferred_window', '2026-11-27 17:00'],
    ['stated windows never meet the hours', '2026-11-27 12:00', { preferredWindows: [{ days: ['sun'], from: '17:00', to: '19:00' }] }, null, 'preferred_window', null],
    ['slot not started', '2026-11-27 12:00', {}, { start: local('2026-11-27 17:00'), end: local('2026-11-27 20:00') }, 'window', '2026-11-27 17:00'],
    ['slot not started, due on a Sunday', '2026-11-28 12:00', {}, { start: local('2026-11-29 10:00'), end: null }, 'window', '2026-11-30 08:00'],
    ['inside the slot', '2026-11-27 18:00', {}, { start: local('2026-11-27 17:00'), end: local('2026-11-27 20:00') }, null, null],
    ['slot ended (callback window): next evening', '2026-11-27 20:30', {}, { start: local('2026-11-27 17:00'), end: local('2026-11-27 20:00'), window: 'evening', kind: 'callback' }, 'window_closed', '2026-11-30 17:00'],
    ['slot ended, no name: next callable time', '2026-11-27 20:30', {}, { start: local('2026-11-27 17:00'), end: local('2026-11-27 20:00') }, 'window_closed', '2026-11-28 09:00'],
    ['callback slot ignores the per-day cap', '2026-11-27 18:00', twoToday(), { start: local('2026-11-27 17:00'), end: local('2026-11-27 20:00'), window: 'evening', kind: 'callback' }, null, null],
    ['retry slot keeps the per-day cap', '2026-11-27 18:00', twoToday(), { start: local('2026-11-27 17:00'), end: local('2026-11-27 20:00'), kind: 'retry' }, 'per_day_cap', '2026-11-28 09:00'],
  ])('%s', (_name, now, state, slot, reason, nextAt) => {
    const check = isCallableNow(local(now), defaults, caseWith(state), slot);
    if (reason === null) {
      expect(check).toEqual({ callable: true });
      return;
    }
    expect(check).toMatchObject({ callable: false, reason });
    expect(check.callable === false && show(check.nextAt)).toBe(nextAt === null ? null : show(local(nextAt)));
    expect(check.callable === false && check.explanation.length).toBeGreaterThan(10);
  });

  it('explains calling hours in words', () => {
    expect(isCallableNow(local('2026-11-29 10:00'), defaults, caseWith())).toEqual({
      callable: false,
      reason: 'calling_hours',
      nextAt: local('2026-11-30 08:00'),
      explanation: 'Sun 2026-11-29 10:00 (Europe/Berlin) is outside the calling hours (Sun: none)',
    });
  });

  it('agrees with nextCallableAt: callable exactly at the scheduled instant, not a minute before', () => {
    for (const now of ['2026-11-27 06:00', '2026-11-27 20:00', '2026-11-28 14:30', '2025-01-05 12:00', '2026-12-24 21:00']) {
      const r = nextCallableAt(local(now), defaults, caseWith(), { kind: 'first' });
      if (r.at === null) throw new Error(`never: ${r.explanation}`);
      const slot = { start: r.at, end: r.windowEnd };
      expect(isCallableNow(r.at, defaults, caseWith(), slot)).toEqual({ callable: true });
      expect(isCallableNow(new Date(r.at.getTime() - 60_000), defaults, caseWith(), slot).callable).toBe(false);
      if (r.windowEnd) expect(isCallableNow(r.windowEnd, defaults, caseWith(), slot).callable).toBe(false);
    }
  });
});
