import { describe, expect, it } from 'vitest';
import { callableUntil } from './next-callable.js';
import { alwaysOpen, caseWith, everyDay, local, settingsWith } from './test-helpers.js';

/** How long a case handed out now may still be dialled: the agent's screen stops its links then. */
describe('callableUntil', () => {
  const defaults = settingsWith(); // Mon–Fri 08:00–20:00, Sat 09:00–14:00, holidays of Baden-Württemberg

  it('is the end of the calling hours the hand-out lies in', () => {
    expect(callableUntil(local('2026-11-27 19:58'), defaults, caseWith())).toEqual(local('2026-11-27 20:00'));
    expect(callableUntil(local('2026-11-28 10:00'), defaults, caseWith())).toEqual(local('2026-11-28 14:00'));
  });

  it('is now itself outside them, on a holiday, or outside the windows the customer stated', () => {
    expect(callableUntil(local('2026-11-27 20:00'), defaults, caseWith())).toEqual(local('2026-11-27 20:00'));
    expect(callableUntil(local('2026-12-25 10:00'), defaults, caseWith())).toEqual(local('2026-12-25 10:00'));
    const evenings = caseWith({ preferredWindows: [{ days: ['fri'], from: '17:00', to: '19:00' }] });
    expect(callableUntil(local('2026-11-27 10:00'), defaults, evenings)).toEqual(local('2026-11-27 10:00'));
    expect(callableUntil(local('2026-11-27 18:30'), defaults, evenings)).toEqual(local('2026-11-27 19:00'));
  });

  it('runs on over midnight where the hours do, and is null when they never end', () => {
    const nights = settingsWith({ callingHours: { ...everyDay(['18:00', '24:00']), sat: [['00:00', '02:00']] }, holidays: null, windows: { abends: ['18:00', '24:00'] } });
    expect(callableUntil(local('2026-11-27 23:00'), nights, caseWith())).toEqual(local('2026-11-28 02:00'));
    expect(callableUntil(local('2026-11-27 23:00'), alwaysOpen(), caseWith())).toBeNull();
  });
});
