import { describe, expect, it } from 'vitest';
import type { CaseSchedulingState } from './calendar.js';
import { personalCallbackOpensToAllAt } from './callback.js';
import { nextCallableAt } from './next-callable.js';
import { retryDueAt } from './retry.js';
import type { SchedulingSettings } from './settings.js';
import { alwaysOpen, caseWith, local, settingsWith, show } from './test-helpers.js';

/** A retry recorded at `recorded` (Berlin wall time) after the attempts at `attempts`. */
function retry(settings: SchedulingSettings, attempts: string[], recorded: string, extra: Partial<CaseSchedulingState> = {}, zone = 'Europe/Berlin') {
  const state = caseWith({ attemptsMade: attempts.length, attemptTimes: attempts.map((a) => local(a, zone)), ...extra });
  return nextCallableAt(local(recorded, zone), settings, state, { kind: 'retry', recordedAt: local(recorded, zone) });
}

describe('retry delay', () => {
  it('counts from when the outcome was recorded', () => {
    expect(retryDueAt(new Date('2026-11-27T10:00:00Z'), 7200).toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(retryDueAt(new Date('2026-11-27T10:00:00Z'), 5).toISOString()).toBe('2026-11-27T10:00:05.000Z');
  });

  it('a late scheduling (outcome recorded earlier) does not add the delay twice', () => {
    const state = caseWith({ attemptsMade: 1, attemptTimes: [local('2026-11-30 14:00')] });
    const oneWindow = settingsWith({ windows: { ganztags: ['08:00', '20:00'] } });
    const r = nextCallableAt(local('2026-11-30 15:00'), oneWindow, state, { kind: 'retry', recordedAt: local('2026-11-30 14:01') });
    expect(show(r.at)).toBe(show(local('2026-11-30 16:01')));
    expect(r.reason).toBe('retry_delay');
  });

  it('a delay already over: now', () => {
    const state = caseWith({ attemptsMade: 1, attemptTimes: [local('2026-11-30 09:00')] });
    const r = nextCallableAt(local('2026-11-30 15:00'), settingsWith(), state, { kind: 'retry', recordedAt: local('2026-11-30 09:01') });
    expect({ at: show(r.at), reason: r.reason }).toEqual({ at: show(local('2026-11-30 15:00')), reason: 'immediate' });
  });

  it.each([
    ['due inside hours', '2026-11-30 14:00', '2026-11-30 14:01', '2026-11-30 16:01', 'retry_delay'],
    ['due after 20:00 → next morning', '2026-11-30 18:40', '2026-11-30 18:41', '2026-12-01 08:00', 'calling_hours'],
    ['Friday evening → Saturday 09:00', '2026-11-27 18:30', '2026-11-27 18:31', '2026-11-28 09:00', 'calling_hours'],
    ['Saturday 13:00 → Monday', '2026-11-28 12:55', '2026-11-28 13:00', '2026-11-30 08:00', 'calling_hours'],
    ['before Christmas → 28 Dec', '2026-12-24 19:00', '2026-12-24 19:01', '2026-12-28 08:00', 'holiday'],
  ])('%s', (_name, attempt, recorded, expected, reason) => {
    // One window, so rotation stays out of it.
    const r = retry(settingsWith({ windows: { ganztags: ['08:00', '20:00'] } }), [attempt], recorded);
    expect({ at: show(r.at), reason: r.reason }).toEqual({ at: show(local(expected)), reason });
  });
});

describe('an outcome\'s own retry delay („Besetzt“ after 15 minutes)', () => {
  const roomy = settingsWith({ maxAttemptsPerDay: 4, maxAttempts: 5 });
  const busy = (attempts: string[], recorded: string) =>
    nextCallableAt(local(recorded), roomy, caseWith({ attemptsMade: attempts.length, attemptTimes: attempts.map((a) => local(a)) }), { kind: 'retry', recordedAt: local(recorded), delaySeconds: 900 });

  it('replaces the client\'s delay and is not rotated to another window', () => {
    // The client's 2 hours with rotation would go to midday 12:00 (see below); busy: 08:27, same window.
    const r = busy(['2026-11-30 08:10'], '2026-11-30 08:12');
    expect({ at: show(r.at), window: r.at && r.window, reason: r.reason }).toEqual({ at: show(local('2026-11-30 08:27')), window: 'morning', reason: 'retry_delay' });
  });

  it('still keeps to the calling hours and the per-day cap', () => {
    expect(show(busy(['2026-11-30 19:50'], '2026-11-30 19:52').at)).toBe(show(local('2026-12-01 08:00')));
    const capped = nextCallableAt(local('2026-11-30 10:02'), settingsWith(), caseWith({ attemptsMade: 2, attemptTimes: [local('2026-11-30 09:00'), local('2026-11-30 10:00')] }), { kind: 'retry', recordedAt: local('2026-11-30 10:02'), delaySeconds: 900 });
    expect({ at: show(capped.at), reason: capped.reason }).toEqual({ at: show(local('2026-12-01 08:00')), reason: 'per_day_cap' });
  });
});

describe('day-part rotation', () => {
  const roomy = settingsWith({ maxAttemptsPerDay: 4, maxAttempts: 5 });

  it('over three attempts visits a new window each time (Monday 2026-11-30)', () => {
    // 1st attempt 08:10 (morning): due 10:12 is still morning → midday 12:00.
    const r1 = retry(roomy, ['2026-11-30 08:10'], '2026-11-30 08:12');
    expect({ at: show(r1.at), window: r1.at && r1.window, reason: r1.reason }).toEqual({ at: show(local('2026-11-30 12:00')), window: 'midday', reason: 'retry_delay' });
    // 2nd attempt 12:00 (midday): due 14:03 is afternoon, not tried yet → 14:03.
    const r2 = retry(roomy, ['2026-11-30 08:10', '2026-11-30 12:00'], '2026-11-30 12:03');
    expect({ at: show(r2.at), window: r2.at && r2.window }).toEqual({ at: show(local('2026-11-30 14:03')), window: 'afternoon' });
    // 3rd attempt 14:05 (afternoon): due 16:07 is afternoon again → evening 17:00.
    const r3 = retry(roomy, ['2026-11-30 08:10', '2026-11-30 12:00', '2026-11-30 14:05'], '2026-11-30 14:07');
    expect({ at: show(r3.at), window: r3.at && r3.window }).toEqual({ at: show(local('2026-11-30 17:00')), window: 'evening' });
  });

  it('prefers an untried window over one merely different from the last', () => {
    // Tried morning and midday; the default per-day cap (2) closes Monday. Tuesday morning is
    // different from the last (midday) but was tried: Tuesday afternoon is within a day → taken.
    const r = retry(settingsWith({ maxAttempts: 5 }), ['2026-11-30 08:10', '2026-11-30 12:00'], '2026-11-30 12:03');
    expect({ at: show(r.at), window: r.at && r.window, reason: r.reason }).toEqual({ at: show(local('2026-12-01 14:00')), window: 'afternoon', reason: 'per_day_cap' });
  });

  it('uses lastWindow from the case when given', () => {
    // No attempt times, but the case says the last attempt was in the morning.
    const r = retry(roomy, [], '2026-11-30 08:12', { attemptsMade: 1, lastWindow: 'morning' });
    expect(show(r.at)).toBe(show(local('2026-11-30 12:00')));
    const other = retry(roomy, [], '2026-11-30 08:12', { attemptsMade: 1, lastWindow: 'evening' });
    expect(show(other.at)).toBe(show(local('2026-11-30 10:12')));
  });

  it('does nothing with one window', () => {
    const r = retry(settingsWith({ windows: { ganztags: ['08:00', '20:00'] } }), ['2026-11-30 08:10'], '2026-11-30 08:12');
    expect(show(r.at)).toBe(show(local('2026-11-30 10:12')));
  });

  it('does nothing without a known earlier window', () => {
    const r = retry(roomy, ['2026-11-30 07:00'], '2026-11-30 08:12', { lastWindow: null });
    expect(show(r.at)).toBe(show(local('2026-11-30 10:12')));
  });

  it('time outside every window counts as a different day-part', () => {
    const s = settingsWith({ windows: { morning: ['08:00', '12:00'], evening: ['17:00', '20:00'] }, maxAttemptsPerDay: 3 });
    const r = retry(s, ['2026-11-30 08:10'], '2026-11-30 08:12');
    expect({ at: show(r.at), window: r.at && r.window }).toEqual({ at: show(local('2026-11-30 12:00')), window: null });
  });

  describe('never more than a day beyond the earliest retry', () => {
    const s = settingsWith({
      callingHours: { mon: [['08:00', '12:00']], tue: [['08:00', '12:00']], wed: [['08:00', '12:00']], thu: [['08:00', '12:00']], fri: [['08:00', '12:00']], sat: [] },
      windows: { early: ['08:00', '10:00'], late: ['10:00', '12:00'] },
      retryDelaySeconds: 60,
    });
    it.each([
      ['Monday late → Tuesday early (21.5 h later)', '2026-11-30 10:30', '2026-11-30 10:31', '2026-12-01 08:00', 'early'],
      ['Friday late → Monday early would be 3 days: stays Friday', '2026-11-27 10:30', '2026-11-27 10:31', '2026-11-27 10:32', 'late'],
      ['Friday early → Friday late', '2026-11-27 08:30', '2026-11-27 08:31', '2026-11-27 10:00', 'late'],
      ['Friday 11:59 late → Monday early, different anyway', '2026-11-27 11:58', '2026-11-27 11:59', '2026-11-30 08:00', 'early'],
    ])('%s', (_name, attempt, recorded, expected, window) => {
      const r = retry(s, [attempt], recorded);
      expect({ at: show(r.at), window: r.at && r.window }).toEqual({ at: show(local(expected)), window });
    });
  });

  it('Saturday: morning → midday', () => {
    const r = retry(settingsWith(), ['2026-11-28 09:30'], '2026-11-28 09:31');
    expect({ at: show(r.at), window: r.at && r.window }).toEqual({ at: show(local('2026-11-28 12:00')), window: 'midday' });
  });
});

describe('per-day cap (2 by default) in the client zone', () => {
  it.each([
    ['two attempts before 20:00 → Saturday', settingsWith({ windows: { ganztags: ['08:00', '20:00'] } }), ['2026-11-27 09:00', '2026-11-27 11:00'], '2026-11-27 11:02', '2026-11-28 09:00', 'per_day_cap'],
    ['one attempt today: same day', settingsWith({ windows: { ganztags: ['08:00', '20:00'] } }), ['2026-11-26 18:00', '2026-11-27 09:00'], '2026-11-27 09:02', '2026-11-27 11:02', 'retry_delay'],
  ])('%s', (_name, settings, attempts, recorded, expected, reason) => {
    const r = retry(settings, attempts, recorded);
    expect({ at: show(r.at), reason: r.reason }).toEqual({ at: show(local(expected)), reason });
  });

  const night = alwaysOpen({ retryDelaySeconds: 60, maxAttempts: 10 });
  it.each([
    ['22:30 and 23:30 → local midnight, not UTC midnight', ['2026-11-26 22:30', '2026-11-26 23:30'], '2026-11-26 23:31', '2026-11-27 00:00', 'per_day_cap'],
    ['23:30 and 00:30 are two days (one UTC day)', ['2026-11-26 23:30', '2026-11-27 00:30'], '2026-11-27 00:31', '2026-11-27 00:32', 'retry_delay'],
    ['00:10 and 00:40 (the previous UTC day) fill the local day', ['2026-11-27 00:10', '2026-11-27 00:40'], '2026-11-27 00:41', '2026-11-28 00:00', 'per_day_cap'],
    ['summer time: 22:30 and 23:57', ['2026-07-01 22:30', '2026-07-01 23:57'], '2026-07-01 23:58', '2026-07-02 00:00', 'per_day_cap'],
  ])('%s', (_name, attempts, recorded, expected, reason) => {
    const r = retry(night, attempts, recorded);
    expect({ at: show(r.at), reason: r.reason }).toEqual({ at: show(local(expected)), reason });
  });

  it('New York client: the day ends at midnight New York time', () => {
    const ny = alwaysOpen({ timezone: 'America/New_York', retryDelaySeconds: 60, maxAttempts: 10 });
    const r = retry(ny, ['2026-11-26 20:00', '2026-11-26 21:00'], '2026-11-26 21:01', {}, 'America/New_York');
    expect(r.at?.toISOString()).toBe('2026-11-27T05:00:00.000Z');
  });

  it('a first attempt is capped too (requeued case)', () => {
    const state = caseWith({ attemptsMade: 2, attemptTimes: [local('2026-11-27 09:00'), local('2026-11-27 10:00')] });
    const r = nextCallableAt(local('2026-11-27 12:00'), settingsWith({ maxAttempts: 5 }), state, { kind: 'first' });
    expect({ at: show(r.at), reason: r.reason }).toEqual({ at: show(local('2026-11-28 09:00')), reason: 'per_day_cap' });
  });

  it('callbacks are not capped: the customer asked', () => {
    const state = caseWith({ attemptsMade: 2, attemptTimes: [local('2026-11-27 09:00'), local('2026-11-27 10:00')] });
    const r = nextCallableAt(local('2026-11-27 12:00'), settingsWith({ maxAttempts: 5 }), state, { kind: 'callback', window: 'evening' });
    expect(show(r.at)).toBe(show(local('2026-11-27 17:00')));
  });
});

describe('delays of seconds (tests and demos)', () => {
  const fast = alwaysOpen({ retryDelaySeconds: 5, maxAttemptsPerDay: 20, maxAttempts: 20 });
  it('5 s after recording, open-ended stretch', () => {
    const t = new Date('2026-11-27T10:00:00Z');
    const r = nextCallableAt(t, fast, caseWith({ attemptsMade: 1, attemptTimes: [t] }), { kind: 'retry', recordedAt: t });
    expect(r).toEqual({ at: new Date('2026-11-27T10:00:05Z'), windowEnd: null, window: 'ganztags', reason: 'retry_delay' });
  });

  it('a whole list of attempts runs in a minute', () => {
    let now = new Date('2026-11-27T23:59:50Z');
    const attemptTimes: Date[] = [];
    for (let n = 1; n <= 5; n++) {
      attemptTimes.push(now);
      const r = nextCallableAt(now, fast, caseWith({ attemptsMade: n, attemptTimes }), { kind: 'retry', recordedAt: new Date(now.getTime() + 1000) });
      expect(r.at?.getTime()).toBe(now.getTime() + 6000);
      now = r.at!;
    }
  });

  it('1 s delay', () => {
    const t = new Date('2026-11-27T10:00:00.250Z');
    const r = nextCallableAt(t, alwaysOpen({ retryDelaySeconds: 1 }), caseWith({ attemptsMade: 1, attemptTimes: [t] }), { kind: 'retry', recordedAt: t });
    expect(r.at?.toISOString()).toBe('2026-11-27T10:00:01.250Z');
  });

  it('with several windows rotation still applies (demos use one window)', () => {
    const t = local('2026-11-27 10:00');
    const s = settingsWith({ callingHours: alwaysOpen().callingHours, holidays: null, retryDelaySeconds: 5 });
    const r = nextCallableAt(t, s, caseWith({ attemptsMade: 1, attemptTimes: [t] }), { kind: 'retry', recordedAt: t });
    expect(show(r.at)).toBe(show(local('2026-11-27 12:00')));
  });
});

describe('personal callbacks', () => {
  it('open to everyone after the grace period', () => {
    expect(personalCallbackOpensToAllAt(new Date('2026-11-27T15:30:00Z'), { personalCallbackGraceMinutes: 30 }).toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(personalCallbackOpensToAllAt(new Date('2026-11-27T15:30:00Z'), { personalCallbackGraceMinutes: 0 }).toISOString()).toBe('2026-11-27T15:30:00.000Z');
  });
});
