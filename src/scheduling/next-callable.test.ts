import { describe, expect, it } from 'vitest';
import type { CaseSchedulingState } from './calendar.js';
import { nextCallableAt } from './next-callable.js';
import type { NextCallable, ScheduleRequest } from './result.js';
import { caseWith, everyDay, local, settingsWith, show } from './test-helpers.js';

/*
 * Default settings unless a case says otherwise: Mon–Fri 08–20, Sat 09–14, no Sunday, DE
 * holidays, windows morning 08–12, midday 12–14, afternoon 14–17, evening 17–20.
 * 2026-11-27 is a Friday; 11-28 Saturday, 11-29 Sunday, 11-30 Monday.
 */
const defaults = settingsWith();

type Expect = { at: string; end: string | null; window?: string | null; reason: string };

function expectScheduled(r: NextCallable, e: Expect) {
  expect({ at: show(r.at), reason: r.reason }).toEqual({ at: show(new Date(e.at)), reason: e.reason });
  if (r.at === null) return;
  expect(show(r.windowEnd)).toBe(e.end === null ? null : show(new Date(e.end)));
  if (e.window !== undefined) expect(r.window).toBe(e.window);
}

describe('first attempt', () => {
  it.each<[string, string, Expect]>([
    ['inside hours: now', '2026-11-27 10:00', { at: '2026-11-27T10:00+01:00', end: '2026-11-27T20:00+01:00', window: 'morning', reason: 'immediate' }],
    ['before opening', '2026-11-27 06:30', { at: '2026-11-27T08:00+01:00', end: '2026-11-27T20:00+01:00', window: 'morning', reason: 'calling_hours' }],
    ['at opening', '2026-11-27 08:00', { at: '2026-11-27T08:00+01:00', end: '2026-11-27T20:00+01:00', reason: 'immediate' }],
    ['one minute before closing', '2026-11-27 19:59', { at: '2026-11-27T19:59+01:00', end: '2026-11-27T20:00+01:00', window: 'evening', reason: 'immediate' }],
    ['at closing (end is exclusive)', '2026-11-27 20:00', { at: '2026-11-28T09:00+01:00', end: '2026-11-28T14:00+01:00', reason: 'calling_hours' }],
    ['Friday night → Saturday 09:00', '2026-11-27 22:00', { at: '2026-11-28T09:00+01:00', end: '2026-11-28T14:00+01:00', window: 'morning', reason: 'calling_hours' }],
    ['Saturday morning', '2026-11-28 10:30', { at: '2026-11-28T10:30+01:00', end: '2026-11-28T14:00+01:00', reason: 'immediate' }],
    ['Saturday 08:30 (opens 09:00)', '2026-11-28 08:30', { at: '2026-11-28T09:00+01:00', end: '2026-11-28T14:00+01:00', reason: 'calling_hours' }],
    ['Saturday after 14:00 → Monday', '2026-11-28 14:00', { at: '2026-11-30T08:00+01:00', end: '2026-11-30T20:00+01:00', reason: 'calling_hours' }],
    ['Sunday → Monday', '2026-11-29 11:00', { at: '2026-11-30T08:00+01:00', end: '2026-11-30T20:00+01:00', reason: 'calling_hours' }],
    ['summer time', '2026-07-01 12:30', { at: '2026-07-01T12:30+02:00', end: '2026-07-01T20:00+02:00', window: 'midday', reason: 'immediate' }],
    ['Easter Monday (DE) → Tuesday', '2026-04-06 09:00', { at: '2026-04-07T08:00+02:00', end: '2026-04-07T20:00+02:00', reason: 'holiday' }],
  ])('%s', (_name, now, e) => {
    expectScheduled(nextCallableAt(local(now), defaults, caseWith(), { kind: 'first' }), e);
  });

  it('reads hours in the client zone', () => {
    const ny = settingsWith({ timezone: 'America/New_York', holidays: { country: 'US' } });
    const r = nextCallableAt(new Date('2026-11-27T12:00:00Z'), ny, caseWith(), { kind: 'first' }); // 07:00 in New York
    expect(r.at?.toISOString()).toBe('2026-11-27T13:00:00.000Z');
    expect(r.reason).toBe('calling_hours');
  });

  it('with all-day hours every day and no holidays the stretch has no end', () => {
    const open = settingsWith({ callingHours: everyDay(['00:00', '24:00']), holidays: null });
    const r = nextCallableAt(local('2026-11-27 03:00'), open, caseWith(), { kind: 'first' });
    expect(r).toMatchObject({ at: local('2026-11-27 03:00'), windowEnd: null, reason: 'immediate' });
  });

  it('with all-day hours but Sundays off the stretch ends Saturday midnight', () => {
    const open = settingsWith({ callingHours: { ...everyDay(['00:00', '24:00']), sun: [] }, holidays: null });
    const r = nextCallableAt(local('2026-11-25 03:00'), open, caseWith(), { kind: 'first' });
    expect(show(r.at === null ? null : r.windowEnd)).toBe(show(local('2026-11-29 00:00')));
  });

  it('split calling hours: lunch break', () => {
    const s = settingsWith({ callingHours: { fri: [['08:00', '12:00'], ['13:00', '18:00']] }, windows: { vormittag: ['08:00', '12:00'] } });
    expectScheduled(nextCallableAt(local('2026-11-27 12:15'), s, caseWith(), { kind: 'first' }), {
      at: '2026-11-27T13:00+01:00',
      end: '2026-11-27T18:00+01:00',
      window: null,
      reason: 'calling_hours',
    });
  });
});

describe('callback in a named window', () => {
  const cb = (window: string, date?: string): ScheduleRequest => ({ kind: 'callback', window, ...(date ? { date } : {}) });
  it.each<[string, string, ScheduleRequest, Expect]>([
    ['evening at 19:59: now, until 20:00', '2026-11-27 19:59', cb('evening'), { at: '2026-11-27T19:59+01:00', end: '2026-11-27T20:00+01:00', window: 'evening', reason: 'immediate' }],
    ['evening at 20:01 on Friday: Monday (Saturday ends 14:00)', '2026-11-27 20:01', cb('evening'), { at: '2026-11-30T17:00+01:00', end: '2026-11-30T20:00+01:00', window: 'evening', reason: 'callback_window' }],
    ['evening at 20:01 on Thursday: Friday', '2026-11-26 20:01', cb('evening'), { at: '2026-11-27T17:00+01:00', end: '2026-11-27T20:00+01:00', reason: 'callback_window' }],
    ['evening asked at 10:00: today 17:00', '2026-11-27 10:00', cb('evening'), { at: '2026-11-27T17:00+01:00', end: '2026-11-27T20:00+01:00', reason: 'callback_window' }],
    ['morning after it closed: tomorrow', '2026-11-25 13:00', cb('morning'), { at: '2026-11-26T08:00+01:00', end: '2026-11-26T12:00+01:00', reason: 'callback_window' }],
    ['morning on Friday afternoon: Saturday 09–12', '2026-11-27 13:00', cb('morning'), { at: '2026-11-28T09:00+01:00', end: '2026-11-28T12:00+01:00', reason: 'callback_window' }],
    ['morning at 07:00: today 08:00', '2026-11-27 07:00', cb('morning'), { at: '2026-11-27T08:00+01:00', end: '2026-11-27T12:00+01:00', reason: 'callback_window' }],
    ['afternoon on Saturday: Monday (Saturday closes 14:00)', '2026-11-28 10:00', cb('afternoon'), { at: '2026-11-30T14:00+01:00', end: '2026-11-30T17:00+01:00', reason: 'callback_window' }],
    ['midday on Saturday 13:00: now, until 14:00', '2026-11-28 13:00', cb('midday'), { at: '2026-11-28T13:00+01:00', end: '2026-11-28T14:00+01:00', reason: 'immediate' }],
    ['evening on Sunday: Monday', '2026-11-29 18:00', cb('evening'), { at: '2026-11-30T17:00+01:00', end: '2026-11-30T20:00+01:00', reason: 'callback_window' }],
    ['on a date: Monday evening', '2026-11-27 10:00', cb('evening', '2026-11-30'), { at: '2026-11-30T17:00+01:00', end: '2026-11-30T20:00+01:00', reason: 'callback_window' }],
    ['on today: today', '2026-11-27 10:00', cb('evening', '2026-11-27'), { at: '2026-11-27T17:00+01:00', end: '2026-11-27T20:00+01:00', reason: 'callback_window' }],
    ['on today after it closed: next occurrence', '2026-11-26 21:00', cb('evening', '2026-11-26'), { at: '2026-11-27T17:00+01:00', end: '2026-11-27T20:00+01:00', reason: 'callback_window' }],
    ['on a past date (rebuilt job): next occurrence', '2026-11-27 10:00', cb('morning', '2026-11-20'), { at: '2026-11-27T10:00+01:00', end: '2026-11-27T12:00+01:00', reason: 'immediate' }],
    ['on a date a year ahead', '2026-11-27 10:00', cb('morning', '2027-11-26'), { at: '2027-11-26T08:00+01:00', end: '2027-11-26T12:00+01:00', reason: 'callback_window' }],
    ['on Christmas Eve 2026 (Thursday, bank holiday only)', '2026-11-27 10:00', cb('midday', '2026-12-24'), { at: '2026-12-24T12:00+01:00', end: '2026-12-24T14:00+01:00', reason: 'callback_window' }],
  ])('%s', (_name, now, request, e) => {
    expectScheduled(nextCallableAt(local(now), defaults, caseWith(), request), e);
  });

  it.each<[string, ScheduleRequest, string, RegExp]>([
    ['Sunday date', cb('evening', '2026-11-29'), 'not_on_requested_date', /window "evening" \(17:00–20:00\) is not callable on Sun 2026-11-29: it is a day without calling hours/],
    ['Saturday evening', cb('evening', '2026-11-28'), 'not_on_requested_date', /not callable on Sat 2026-11-28: the calling hours that day are 09:00–14:00/],
    ['Christmas', cb('morning', '2026-12-25'), 'holiday', /not callable on Fri 2026-12-25: it is a public holiday \(1\. Weihnachtstag, DE\)/],
    ['unknown window', cb('abends'), 'unknown_window', /There is no window "abends"; this client's windows are: morning, midday, afternoon, evening\./],
    ['bad date', cb('evening', '2026-02-30'), 'invalid_date', /"2026-02-30" is not a date YYYY-MM-DD/],
  ])('never: %s', (_name, request, cause, explanation) => {
    const r = nextCallableAt(local('2026-11-27 10:00'), defaults, caseWith(), request);
    expect(r).toMatchObject({ at: null, reason: 'never', cause });
    expect(r.at === null && r.explanation).toMatch(explanation);
  });
});

describe('callback at an exact time', () => {
  const at = (iso: string): ScheduleRequest => ({ kind: 'callback', at: new Date(iso) });
  it.each<[string, string, string, Expect]>([
    ['later today', '2026-11-27 10:00', '2026-11-27T15:30:00+01:00', { at: '2026-11-27T15:30+01:00', end: '2026-11-27T20:00+01:00', window: 'afternoon', reason: 'callback_time' }],
    ['right now', '2026-11-27 10:00', '2026-11-27T10:00:00+01:00', { at: '2026-11-27T10:00+01:00', end: '2026-11-27T20:00+01:00', reason: 'immediate' }],
    ['last minute of the day', '2026-11-27 10:00', '2026-11-27T19:59:00+01:00', { at: '2026-11-27T19:59+01:00', end: '2026-11-27T20:00+01:00', reason: 'callback_time' }],
    ['Saturday 13:30', '2026-11-27 10:00', '2026-11-28T13:30:00+01:00', { at: '2026-11-28T13:30+01:00', end: '2026-11-28T14:00+01:00', reason: 'callback_time' }],
    ['past time, still in hours: now', '2026-11-27 16:00', '2026-11-27T15:30:00+01:00', { at: '2026-11-27T16:00+01:00', end: '2026-11-27T20:00+01:00', reason: 'immediate' }],
    ['past time, after hours: next opening', '2026-11-27 21:00', '2026-11-27T15:30:00+01:00', { at: '2026-11-28T09:00+01:00', end: '2026-11-28T14:00+01:00', reason: 'calling_hours' }],
    ['seconds are kept', '2026-11-27 10:00', '2026-11-27T10:00:30+01:00', { at: '2026-11-27T10:00:30+01:00', end: '2026-11-27T20:00+01:00', reason: 'callback_time' }],
  ])('%s', (_name, now, requested, e) => {
    expectScheduled(nextCallableAt(local(now), defaults, caseWith(), at(requested)), e);
  });

  it.each<[string, string, string, RegExp]>([
    ['after hours', '2026-11-27T21:30:00+01:00', 'outside_calling_hours', /^Fri 2026-11-27 21:30 \(Europe\/Berlin\) lies outside the calling hours \(Fri: 08:00–20:00\)\.$/],
    ['at closing', '2026-11-27T20:00:00+01:00', 'outside_calling_hours', /Fri: 08:00–20:00/],
    ['Saturday afternoon', '2026-11-28T15:00:00+01:00', 'outside_calling_hours', /Sat: 09:00–14:00/],
    ['Sunday', '2026-11-29T10:00:00+01:00', 'outside_calling_hours', /Sun: none/],
    ['Christmas', '2026-12-25T10:00:00+01:00', 'holiday', /^Fri 2026-12-25 10:00 \(Europe\/Berlin\) is a public holiday \(1\. Weihnachtstag, DE\); no calls that day\.$/],
    ['not a date', 'nonsense', 'invalid_date', /not a valid date/],
  ])('never: %s', (_name, requested, cause, explanation) => {
    const r = nextCallableAt(local('2026-11-27 10:00'), defaults, caseWith(), at(requested));
    expect(r).toMatchObject({ at: null, reason: 'never', cause });
    expect(r.at === null && r.explanation).toMatch(explanation);
  });

  it('is not held back by the per-day cap: the customer asked', () => {
    const state = caseWith({ attemptsMade: 2, attemptTimes: [local('2026-11-27 09:00'), local('2026-11-27 11:00')] });
    const r = nextCallableAt(local('2026-11-27 11:05'), settingsWith({ maxAttempts: 5 }), state, at('2026-11-27T15:30:00+01:00'));
    expect(show(r.at)).toBe(show(local('2026-11-27 15:30')));
  });
});

describe("customer's stated windows", () => {
  const weekdaysAfter17 = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, from: '17:00', to: '24:00' }].map((w) => ({ ...w, days: [...w.days] }));
  const state = (extra: Partial<CaseSchedulingState> = {}) => caseWith({ preferredWindows: weekdaysAfter17, ...extra });

  it.each<[string, string, ScheduleRequest, Expect]>([
    ['first attempt waits for 17:00', '2026-11-27 10:00', { kind: 'first' }, { at: '2026-11-27T17:00+01:00', end: '2026-11-27T20:00+01:00', reason: 'preferred_window' }],
    ['inside: now', '2026-11-27 18:00', { kind: 'first' }, { at: '2026-11-27T18:00+01:00', end: '2026-11-27T20:00+01:00', reason: 'immediate' }],
    ['Saturday is not a weekday: Monday 17:00', '2026-11-27 20:30', { kind: 'first' }, { at: '2026-11-30T17:00+01:00', end: '2026-11-30T20:00+01:00', reason: 'calling_hours' }],
    ['retry respects it too', '2026-11-30 17:10', { kind: 'retry', recordedAt: local('2026-11-30 17:10') }, { at: '2026-11-30T19:10+01:00', end: '2026-11-30T20:00+01:00', reason: 'retry_delay' }],
    ['retry due after 20:00: next weekday evening', '2026-11-30 18:30', { kind: 'retry', recordedAt: local('2026-11-30 18:30') }, { at: '2026-12-01T17:00+01:00', end: '2026-12-01T20:00+01:00', reason: 'calling_hours' }],
    ['callback evening fits', '2026-11-27 10:00', { kind: 'callback', window: 'evening' }, { at: '2026-11-27T17:00+01:00', end: '2026-11-27T20:00+01:00', reason: 'callback_window' }],
  ])('%s', (_name, now, request, e) => {
    expectScheduled(nextCallableAt(local(now), defaults, state(), request), e);
  });

  it('several windows are a union', () => {
    const preferredWindows = [
      { days: ['sat' as const], from: '10:00', to: '11:00' },
      { days: ['mon' as const], from: '08:30', to: '09:00' },
    ];
    const r = nextCallableAt(local('2026-11-27 10:00'), defaults, caseWith({ preferredWindows }), { kind: 'first' });
    expectScheduled(r, { at: '2026-11-28T10:00+01:00', end: '2026-11-28T11:00+01:00', reason: 'preferred_window' });
  });

  it('an empty list means no restriction', () => {
    const r = nextCallableAt(local('2026-11-27 10:00'), defaults, caseWith({ preferredWindows: [] }), { kind: 'first' });
    expect(r.reason).toBe('immediate');
  });

  it.each<[string, { days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[]; from: string; to: string }[], ScheduleRequest, string, RegExp]>([
    ['only at 21:00–22:00', [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '21:00', to: '22:00' }], { kind: 'first' }, 'outside_preferred_windows', /preferred windows never overlap the calling hours/],
    ['only on Sundays', [{ days: ['sun'], from: '10:00', to: '12:00' }], { kind: 'retry', recordedAt: local('2026-11-27 10:00') }, 'outside_preferred_windows', /never overlap the calling hours/],
    ['Saturday afternoon only', [{ days: ['sat'], from: '15:00', to: '18:00' }], { kind: 'first' }, 'outside_preferred_windows', /never overlap/],
    ['evenings only, callback in the morning', [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '17:00', to: '24:00' }], { kind: 'callback', window: 'morning' }, 'outside_preferred_windows', /never overlap window "morning" \(08:00–12:00\) within the calling hours/],
    ['exact time outside them', [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '17:00', to: '24:00' }], { kind: 'callback', at: local('2026-11-27 10:30') }, 'outside_preferred_windows', /lies outside the customer's stated windows \(Mon\/Tue\/Wed\/Thu\/Fri 17:00–24:00\)/],
  ])('never, and fast: %s', (_name, preferredWindows, request, cause, explanation) => {
    const started = performance.now();
    const r = nextCallableAt(local('2026-11-27 10:00'), defaults, caseWith({ preferredWindows }), request);
    expect(performance.now() - started).toBeLessThan(200);
    expect(r).toMatchObject({ at: null, reason: 'never', cause });
    expect(r.at === null && r.explanation).toMatch(explanation);
  });

  it('a window that meets the hours only on a holiday-free day far ahead is still found (bounded search)', () => {
    // Only Christmas Day's weekday slot… on a weekday that is always a holiday would be never;
    // 2026-12-25 is a Friday holiday, the next Friday 08:00–08:30 is found a week later.
    const preferredWindows = [{ days: ['fri' as const], from: '08:00', to: '08:30' }];
    const r = nextCallableAt(local('2026-12-24 12:00'), defaults, caseWith({ preferredWindows }), { kind: 'first' });
    expectScheduled(r, { at: '2027-01-08T08:00+01:00', end: '2027-01-08T08:30+01:00', reason: 'holiday' });
  });
});

describe('attempt cap', () => {
  it.each<ScheduleRequest>([{ kind: 'first' }, { kind: 'retry', recordedAt: local('2026-11-27 10:00') }, { kind: 'callback', window: 'evening' }, { kind: 'callback', at: local('2026-11-27 15:00') }])(
    'reached: never (%j)',
    (request) => {
      const r = nextCallableAt(local('2026-11-27 10:00'), defaults, caseWith({ attemptsMade: 3 }), request);
      expect(r).toEqual({ at: null, reason: 'never', cause: 'cap_reached', explanation: 'All 3 attempts are used; the case closes as max_attempts.' });
    },
  );

  it('one attempt left: scheduled', () => {
    expect(nextCallableAt(local('2026-11-27 10:00'), defaults, caseWith({ attemptsMade: 2 }), { kind: 'first' }).at).not.toBeNull();
  });
});

describe('DST switches (Europe/Berlin, all-day hours on Sundays)', () => {
  // 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET. Both are Sundays.
  const dst = settingsWith({
    callingHours: everyDay(['00:00', '24:00']),
    holidays: null,
    windows: { night: ['01:30', '03:30'], gap: ['02:00', '03:00'], late: ['02:30', '03:15'], day: ['08:00', '20:00'] },
  });
  const cb = (window: string): ScheduleRequest => ({ kind: 'callback', window });
  it.each<[string, string, ScheduleRequest, Expect]>([
    ['spring: 01:30–03:30 is one real hour', '2026-03-28T22:00:00+01:00', cb('night'), { at: '2026-03-29T01:30+01:00', end: '2026-03-29T03:30+02:00', reason: 'callback_window' }],
    ['spring: inside it just before the jump', '2026-03-29T01:50:00+01:00', cb('night'), { at: '2026-03-29T01:50+01:00', end: '2026-03-29T03:30+02:00', reason: 'immediate' }],
    ['spring: inside it just after the jump', '2026-03-29T03:10:00+02:00', cb('night'), { at: '2026-03-29T03:10+02:00', end: '2026-03-29T03:30+02:00', reason: 'immediate' }],
    ['spring: 02:00–03:00 does not exist → Monday', '2026-03-28T22:00:00+01:00', cb('gap'), { at: '2026-03-30T02:00+02:00', end: '2026-03-30T03:00+02:00', reason: 'callback_window' }],
    ['spring: 02:30–03:15 starts at the jump', '2026-03-28T22:00:00+01:00', cb('late'), { at: '2026-03-29T03:00+02:00', end: '2026-03-29T03:15+02:00', reason: 'callback_window' }],
    ['autumn: 01:30–03:30 is three real hours', '2026-10-24T22:00:00+02:00', cb('night'), { at: '2026-10-25T01:30+02:00', end: '2026-10-25T03:30+01:00', reason: 'callback_window' }],
    ['autumn: 02:00–03:00 twice, two real hours', '2026-10-24T22:00:00+02:00', cb('gap'), { at: '2026-10-25T02:00+02:00', end: '2026-10-25T03:00+01:00', reason: 'callback_window' }],
    ['autumn: in the doubled hour, second pass', '2026-10-25T02:30:00+01:00', cb('gap'), { at: '2026-10-25T02:30+01:00', end: '2026-10-25T03:00+01:00', reason: 'immediate' }],
    ['autumn: 02:30–03:15, first piece ends at the switch', '2026-10-25T02:45:00+02:00', cb('late'), { at: '2026-10-25T02:45+02:00', end: '2026-10-25T03:00+02:00', reason: 'immediate' }],
    ['autumn: second pass of 02:10 is outside 02:30–03:15', '2026-10-25T02:10:00+01:00', cb('late'), { at: '2026-10-25T02:30+01:00', end: '2026-10-25T03:15+01:00', reason: 'callback_window' }],
    ['autumn: day window unaffected', '2026-10-25T07:00:00+01:00', cb('day'), { at: '2026-10-25T08:00+01:00', end: '2026-10-25T20:00+01:00', reason: 'callback_window' }],
  ])('%s', (_name, now, request, e) => {
    expectScheduled(nextCallableAt(new Date(now), dst, caseWith(), request), e);
  });

  it('calling hours across the jump: Sunday 01:00–04:00 is two real hours in spring, four in autumn', () => {
    const s = settingsWith({ callingHours: { sun: [['01:00', '04:00']] }, windows: { nachts: ['01:00', '04:00'] }, holidays: null });
    const spring = nextCallableAt(new Date('2026-03-28T20:00:00+01:00'), s, caseWith(), { kind: 'first' });
    expectScheduled(spring, { at: '2026-03-29T01:00+01:00', end: '2026-03-29T04:00+02:00', reason: 'calling_hours' });
    expect(spring.at && spring.windowEnd!.getTime() - spring.at.getTime()).toBe(2 * 3_600_000);
    const autumn = nextCallableAt(new Date('2026-10-24T20:00:00+02:00'), s, caseWith(), { kind: 'first' });
    expect(autumn.at && autumn.windowEnd!.getTime() - autumn.at.getTime()).toBe(4 * 3_600_000);
  });

  it('a retry delay is real time, not wall-clock time', () => {
    const s = settingsWith({ callingHours: everyDay(['00:00', '24:00']), holidays: null, windows: { ganztags: ['00:00', '24:00'] }, retryDelaySeconds: 3600 });
    const spring = nextCallableAt(new Date('2026-03-29T01:30:00+01:00'), s, caseWith({ attemptsMade: 1 }), { kind: 'retry', recordedAt: new Date('2026-03-29T01:30:00+01:00') });
    expect(show(spring.at)).toBe('2026-03-29T03:30:00+02:00');
    const autumn = nextCallableAt(new Date('2026-10-25T02:30:00+02:00'), s, caseWith({ attemptsMade: 1 }), { kind: 'retry', recordedAt: new Date('2026-10-25T02:30:00+02:00') });
    expect(show(autumn.at)).toBe('2026-10-25T02:30:00+01:00');
  });
});
