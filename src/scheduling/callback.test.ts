import { describe, expect, it } from 'vitest';
import { CALLBACK_MIN_GAP_MS, callbackGapMs } from './callback.js';
import { nextCallableAt } from './next-callable.js';
import type { NextCallable, ScheduleRequest } from './result.js';
import { alwaysOpen, caseWith, local, settingsWith, show } from './test-helpers.js';

/*
 * A window callback just agreed on the phone starts no earlier than the gap after it was
 * recorded. Default settings (retry delay 2 h, so a 30-minute gap): Mon–Fri 08–20, Sat 09–14,
 * evening 17–20. 2026-11-26 is a Thursday, 11-27 a Friday, 11-30 a Monday.
 */
const defaults = settingsWith();

/** A window callback recorded at `recorded` (local), planned then (or at `planned`, a worker behind). */
function plan(window: string, recorded: string, opts: { date?: string; planned?: string; settings?: ReturnType<typeof settingsWith> } = {}): NextCallable {
  const recordedAt = local(recorded);
  const request: ScheduleRequest = { kind: 'callback', window, recordedAt, ...(opts.date ? { date: opts.date } : {}) };
  return nextCallableAt(opts.planned ? local(opts.planned) : recordedAt, opts.settings ?? defaults, caseWith({ attemptsMade: 1, attemptTimes: [recordedAt] }), request);
}

const scheduled = (r: NextCallable) => ({ at: show(r.at), end: r.at === null ? null : show(r.windowEnd), reason: r.reason });

describe('a window callback agreed while its window is open', () => {
  it('is planned 30 minutes after the call, in the same window, waiting for it', () => {
    expect(scheduled(plan('evening', '2026-11-27 17:30'))).toEqual({ at: '2026-11-27T18:00:00+01:00', end: '2026-11-27T20:00:00+01:00', reason: 'callback_window' });
  });

  it("with today's date: the same", () => {
    expect(show(plan('evening', '2026-11-27 17:30', { date: '2026-11-27' }).at)).toBe('2026-11-27T18:00:00+01:00');
  });

  it('with less than the gap left of the window: its next occurrence', () => {
    expect(show(plan('evening', '2026-11-26 19:45').at)).toBe('2026-11-27T17:00:00+01:00');
    expect(show(plan('evening', '2026-11-26 19:30').at)).toBe('2026-11-27T17:00:00+01:00'); // 20:00 is the end, exclusive
    // Friday evening: Saturday's hours end at 14:00, so Monday.
    expect(show(plan('evening', '2026-11-27 19:45').at)).toBe('2026-11-30T17:00:00+01:00');
  });

  it('with just over the gap left: still today', () => {
    expect(scheduled(plan('evening', '2026-11-26 19:29'))).toEqual({ at: '2026-11-26T19:59:00+01:00', end: '2026-11-26T20:00:00+01:00', reason: 'callback_window' });
  });

  it('counts the gap from the recording, not from a worker that planned it later', () => {
    expect(show(plan('evening', '2026-11-27 17:30', { planned: '2026-11-27 17:50' }).at)).toBe('2026-11-27T18:00:00+01:00');
    const late = plan('evening', '2026-11-27 17:00', { planned: '2026-11-27 17:40' });
    expect({ at: show(late.at), reason: late.reason }).toEqual({ at: '2026-11-27T17:40:00+01:00', reason: 'immediate' });
  });
});

describe('a window callback agreed before its window opens', () => {
  it('opening hours later: at its start, as before', () => {
    expect(scheduled(plan('evening', '2026-11-27 10:00'))).toEqual({ at: '2026-11-27T17:00:00+01:00', end: '2026-11-27T20:00:00+01:00', reason: 'callback_window' });
  });

  it('opening within the gap: the gap after the call', () => {
    expect(show(plan('evening', '2026-11-27 16:50').at)).toBe('2026-11-27T17:20:00+01:00');
  });
});

describe('what the gap leaves alone', () => {
  it('an explicit future date: that day’s window from its start', () => {
    expect(show(plan('evening', '2026-11-26 17:30', { date: '2026-11-27' }).at)).toBe('2026-11-27T17:00:00+01:00');
    // Agreed just before midnight for tomorrow: the customer named the day, its window opens at 00:00.
    const allDay = alwaysOpen();
    expect(show(plan('ganztags', '2026-11-26 23:50', { date: '2026-11-27', settings: allDay }).at)).toBe('2026-11-27T00:00:00+01:00');
  });

  it('a job resumed at its pull (no recording time): the window as it is now', () => {
    const resumed = nextCallableAt(local('2026-11-27 17:30'), defaults, caseWith({ attemptsMade: 1 }), { kind: 'callback', window: 'evening' });
    expect({ at: show(resumed.at), reason: resumed.reason }).toEqual({ at: '2026-11-27T17:30:00+01:00', reason: 'immediate' });
  });

  it('a client whose retry delay is shorter than 30 minutes: that delay (a list run in seconds)', () => {
    expect(callbackGapMs({ retryDelaySeconds: 7200 })).toBe(CALLBACK_MIN_GAP_MS);
    expect(callbackGapMs({ retryDelaySeconds: 600 })).toBe(600_000);
    const fast = alwaysOpen({ retryDelaySeconds: 5 });
    expect(show(plan('ganztags', '2026-11-27 17:30', { settings: fast }).at)).toBe('2026-11-27T17:30:05+01:00');
  });
});

describe('the gap on a DST day is real time', () => {
  // Sunday calls and a night window, so the clock change lies inside it.
  const night = alwaysOpen({ windows: { night: ['01:00', '04:00'] } });

  it('spring: 01:45 + 30 minutes is 03:15 on the wall clock', () => {
    expect(show(plan('night', '2026-03-29 01:45', { settings: night }).at)).toBe('2026-03-29T03:15:00+02:00');
  });

  it('autumn: 02:45 (first pass) + 30 minutes is 02:15 (second pass)', () => {
    const recordedAt = new Date('2026-10-25T02:45:00+02:00');
    const r = nextCallableAt(recordedAt, night, caseWith({ attemptsMade: 1, attemptTimes: [recordedAt] }), { kind: 'callback', window: 'night', recordedAt });
    expect(show(r.at)).toBe('2026-10-25T02:15:00+01:00');
  });
});
