import { describe, expect, it } from 'vitest';
import { windowAt, windowOccurrence } from './next-callable.js';
import { caseWith, local, settingsWith, show } from './test-helpers.js';
import { compileWindows } from './windows.js';

describe('windowAt: the narrowest window holding the wall-clock time', () => {
  const defaults = settingsWith();
  it.each([
    ['2026-11-27 08:00', 'morning'],
    ['2026-11-27 11:59', 'morning'],
    ['2026-11-27 12:00', 'midday'],
    ['2026-11-27 16:59', 'afternoon'],
    ['2026-11-27 17:00', 'evening'],
    ['2026-11-27 20:00', null],
    ['2026-11-27 07:59', null],
    ['2026-07-01 17:30', 'evening'], // summer time: wall clock, not UTC
  ])('%s → %s', (time, name) => {
    expect(windowAt(local(time), defaults)).toBe(name);
  });

  it('overlapping windows: the narrower one wins, whatever the key order', () => {
    const a = settingsWith({ windows: { ganztags: ['08:00', '20:00'], abends: ['17:00', '20:00'] } });
    const b = settingsWith({ windows: { abends: ['17:00', '20:00'], ganztags: ['08:00', '20:00'] } });
    for (const s of [a, b]) {
      expect(windowAt(local('2026-11-27 18:00'), s)).toBe('abends');
      expect(windowAt(local('2026-11-27 10:00'), s)).toBe('ganztags');
    }
  });

  it('segments partition the day', () => {
    const compiled = compileWindows({ ganztags: ['08:00', '20:00'], abends: ['17:00', '20:00'], früh: ['06:00', '09:00'] });
    expect(compiled.segments).toEqual([
      { interval: [0, 360], name: null },
      { interval: [360, 540], name: 'früh' },
      { interval: [540, 1020], name: 'ganztags' },
      { interval: [1020, 1200], name: 'abends' },
      { interval: [1200, 1440], name: null },
    ]);
  });
});

describe('windowOccurrence', () => {
  const defaults = settingsWith();
  it.each([
    ['evening, asked in the morning', '2026-11-27 10:00', 'evening', '2026-11-27 17:00', '2026-11-27 20:00'],
    ['evening, asked during it: from now', '2026-11-27 18:15', 'evening', '2026-11-27 18:15', '2026-11-27 20:00'],
    ['evening, asked after it: next weekday', '2026-11-27 20:30', 'evening', '2026-11-30 17:00', '2026-11-30 20:00'],
    ['morning on Saturday is cut to calling hours', '2026-11-27 20:30', 'morning', '2026-11-28 09:00', '2026-11-28 12:00'],
  ])('%s', (_name, now, name, start, end) => {
    const occ = windowOccurrence(local(now), defaults, name);
    expect({ start: show(occ?.start), end: show(occ?.end) }).toEqual({ start: show(local(start)), end: show(local(end)) });
  });

  it('unknown name: null', () => {
    expect(windowOccurrence(local('2026-11-27 10:00'), defaults, 'abends')).toBeNull();
  });

  it("respects the case's region and stated windows", () => {
    const bern = windowOccurrence(local('2026-01-01 20:00'), defaults, 'morning', { country: 'CH', postalCode: '3011' });
    expect(show(bern?.start)).toBe(show(local('2026-01-03 09:00'))); // Berchtoldstag on the 2nd
    const zurich = windowOccurrence(local('2026-01-01 20:00'), defaults, 'morning', { country: 'CH', postalCode: '8001' });
    expect(show(zurich?.start)).toBe(show(local('2026-01-02 08:00')));
    const onlyMonday = windowOccurrence(local('2026-11-27 10:00'), defaults, 'morning', caseWith({ preferredWindows: [{ days: ['mon'], from: '09:00', to: '10:00' }] }));
    expect({ start: show(onlyMonday?.start), end: show(onlyMonday?.end) }).toEqual({ start: show(local('2026-11-30 09:00')), end: show(local('2026-11-30 10:00')) });
  });
});
