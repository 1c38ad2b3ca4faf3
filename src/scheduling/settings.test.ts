import { describe, expect, it } from 'vitest';
import {
  defaultOutcomes,
  defaultSchedulingSettings,
  formatSettingsIssues,
  preferredWindowSchema,
  schedulingSettingsObject,
  schedulingSettingsSchema,
  checkSchedulingSettings,
} from './settings.js';

const issues = (input: unknown) => {
  const result = schedulingSettingsSchema.safeParse(input);
  return result.success ? [] : formatSettingsIssues(result.error);
};

describe('defaults (DESIGN.md sections 5 and 6)', () => {
  it('parses {} to the documented defaults', () => {
    expect(defaultSchedulingSettings).toEqual({
      timezone: 'Europe/Berlin',
      holidays: { country: 'DE' },
      callingHours: {
        mon: [['08:00', '20:00']],
        tue: [['08:00', '20:00']],
        wed: [['08:00', '20:00']],
        thu: [['08:00', '20:00']],
        fri: [['08:00', '20:00']],
        sat: [['09:00', '14:00']],
        sun: [],
      },
      windows: { morning: ['08:00', '12:00'], midday: ['12:00', '14:00'], afternoon: ['14:00', '17:00'], evening: ['17:00', '20:00'] },
      maxAttempts: 3,
      maxAttemptsPerDay: 2,
      retryDelaySeconds: 7200,
      personalCallbackGraceMinutes: 30,
      retryStrategy: 'auto',
      learningDays: 90,
      defaultCountry: 'DE',
      defaultLanguage: 'de',
      languageRouting: 'prefer',
      languageFallbackMinutes: 60,
      outcomes: [...defaultOutcomes],
    });
  });

  it('has the seven outcomes with German labels and effects', () => {
    expect(defaultOutcomes.map((o) => [o.code, o.effect])).toEqual([
      ['paid', 'close'],
      ['promise_to_pay', 'close'],
      ['dispute', 'close'],
      ['wrong_number', 'wrong_number'],
      ['refused', 'close'],
      ['not_reached', 'retry'],
      ['callback', 'callback'],
    ]);
    expect(defaultOutcomes.find((o) => o.code === 'paid')?.label).toBe('Erledigt – bezahlt');
    expect(defaultOutcomes.find((o) => o.code === 'not_reached')?.label).toBe('Kunde nicht erreicht');
  });

  it('a missing day of the week keeps its default; [] means no calls', () => {
    const s = schedulingSettingsSchema.parse({ callingHours: { sat: [['09:00', '16:00']], sun: [] } });
    expect(s.callingHours.mon).toEqual([['08:00', '20:00']]);
    expect(s.callingHours.sat).toEqual([['09:00', '16:00']]);
    expect(schedulingSettingsSchema.parse({ callingHours: { mon: [] } }).callingHours.mon).toEqual([]);
  });

  it('defaults are not shared between parses', () => {
    const a = schedulingSettingsSchema.parse({});
    a.callingHours.mon.push(['21:00', '22:00']);
    a.windows['x'] = ['08:00', '09:00'];
    expect(schedulingSettingsSchema.parse({}).callingHours.mon).toEqual([['08:00', '20:00']]);
    expect(schedulingSettingsSchema.parse({}).windows['x']).toBeUndefined();
  });

  it('accepts the client body of DESIGN.md section 10', () => {
    const s = schedulingSettingsSchema.parse({
      timezone: 'Europe/Berlin',
      holidays: { country: 'DE', state: 'BW' },
      callingHours: { mon: [['08:00', '20:00']], sat: [['09:00', '16:00']], sun: [] },
      windows: { morning: ['08:00', '12:00'], evening: ['17:00', '20:00'] },
      maxAttempts: 3,
      maxAttemptsPerDay: 2,
      retryDelaySeconds: 7200,
      personalCallbackGraceMinutes: 30,
      defaultCountry: 'DE',
      defaultLanguage: 'de',
      outcomes: [...defaultOutcomes],
    });
    expect(s.holidays).toEqual({ country: 'DE', state: 'BW' });
  });

  it.each([
    ['all day', { callingHours: { mon: [['00:00', '24:00']] }, windows: { ganztags: ['00:00', '24:00'] } }],
    ['holidays off', { holidays: null }],
    ['Swiss client', { holidays: { country: 'CH', state: 'ZH' }, timezone: 'Europe/Zurich', defaultCountry: 'CH' }],
    ['seconds', { retryDelaySeconds: 1 }],
    ['split hours', { callingHours: { mon: [['13:00', '18:00'], ['08:00', '12:00']] } }],
    ['umlaut window name', { windows: { früh: ['08:00', '10:00'], 'spät-abends': ['18:00', '20:00'] } }],
    ['window fitting Saturday only', { windows: { samstag: ['09:00', '14:00'] }, callingHours: { mon: [['15:00', '20:00']] } }],
    ['cap 20', { maxAttempts: 20 }],
  ])('accepts %s', (_name, input) => {
    expect(issues(input)).toEqual([]);
  });
});

describe('validation messages a team lead understands', () => {
  it.each<[string, unknown, string[]]>([
    ['window ending after calling hours', { windows: { evening: ['17:00', '21:00'] } }, ['windows.evening: end 21:00 lies outside every calling-hours interval']],
    ['window starting before calling hours', { windows: { early: ['07:00', '09:00'] } }, ['windows.early: start 07:00 lies outside every calling-hours interval']],
    ['window at night', { windows: { night: ['21:00', '23:00'] } }, ['windows.night: 21:00–23:00 lies outside the calling hours of every day']],
    [
      'window across a lunch break',
      { callingHours: { ...everyWeekday([['08:00', '12:00'], ['13:00', '18:00']]), sat: [] }, windows: { lunch: ['11:00', '14:00'] } },
      ['windows.lunch: 11:00–14:00 does not fit inside one calling-hours interval on any day'],
    ],
    ['time without leading zero', { windows: { morning: ['8:00', '12:00'] } }, ['windows.morning.0: "8:00" is not a time of day; use HH:MM from 00:00 to 24:00']],
    ['24:01', { callingHours: { mon: [['08:00', '24:01']] } }, ['callingHours.mon.0.1: "24:01" is not a time of day; use HH:MM from 00:00 to 24:00']],
    [
      'start after end',
      { callingHours: { mon: [['20:00', '08:00']] } },
      ['callingHours.mon.0: start 20:00 is not before end 08:00; an interval cannot cross midnight (use 24:00 as the end of the day)'],
    ],
    ['empty interval', { windows: { x: ['10:00', '10:00'] } }, ['windows.x: start 10:00 is not before end 10:00; an interval cannot cross midnight (use 24:00 as the end of the day)']],
    ['overlapping hours', { callingHours: { mon: [['08:00', '13:00'], ['12:00', '14:00']] } }, ['callingHours.mon.1: 12:00–14:00 overlaps 08:00–13:00; merge them']],
    ['unknown day', { callingHours: { monday: [['08:00', '20:00']] } }, ['callingHours: unknown day "monday"; days are mon, tue, wed, thu, fri, sat, sun']],
    ['no calling hours at all', { callingHours: everyDayOf([]) }, ['callingHours: no day has calling hours, so no case could ever be called']],
    ['no windows', { windows: {} }, ['windows: at least one window is needed']],
    ['bad window name', { windows: { 'late evening': ['18:00', '20:00'] } }, ['windows.late evening: window name "late evening" may only hold letters, digits, _ and - (at most 40)']],
    ['bad zone', { timezone: 'Europe/Berln' }, ['timezone: "Europe/Berln" is not an IANA time zone such as "Europe/Berlin" or "Europe/Zurich"']],
    ['lower-case country', { holidays: { country: 'de' } }, ['holidays.country: must be an upper-case ISO 3166 country code such as "DE"']],
    ['unknown country', { holidays: { country: 'XX' } }, ['holidays.country: no public-holiday calendar for country "XX"']],
    [
      'unknown state',
      { holidays: { country: 'DE', state: 'BA' } },
      ['holidays.state: "BA" is not a state of DE; known: BB, BE, BW, BY, HB, HE, HH, MV, NI, NW, RP, SH, SL, SN, ST, TH'],
    ],
    ['cap 0', { maxAttempts: 0 }, ['maxAttempts: must be a whole number of attempts from 1 to 20']],
    ['cap 21', { maxAttempts: 21 }, ['maxAttempts: must be a whole number of attempts from 1 to 20']],
    ['cap as text', { maxAttempts: '3' }, ['maxAttempts: must be a whole number of attempts from 1 to 20']],
    ['per-day 0', { maxAttemptsPerDay: 0 }, ['maxAttemptsPerDay: must be a whole number of attempts from 1 to 20']],
    ['delay 0', { retryDelaySeconds: 0 }, ['retryDelaySeconds: must be a whole number of seconds from 1 to 2592000']],
    ['delay 0.5', { retryDelaySeconds: 0.5 }, ['retryDelaySeconds: must be a whole number of seconds from 1 to 2592000']],
    ['grace -1', { personalCallbackGraceMinutes: -1 }, ['personalCallbackGraceMinutes: must be a whole number of minutes from 0 to 10080']],
    ['language', { defaultLanguage: 'German' }, ['defaultLanguage: must be a lower-case ISO 639-1 language code such as "de"']],
    [
      'duplicate and reserved outcome codes, missing effects',
      {
        outcomes: [
          { code: 'paid', label: 'Bezahlt', effect: 'close' },
          { code: 'paid', label: 'Nochmal', effect: 'close' },
          { code: 'max_attempts', label: 'Max', effect: 'close' },
          { code: 'constructor', label: 'Every object has one', effect: 'close' },
        ],
      },
      [
        'outcomes.1.code: "paid" is used twice (also outcomes[0])',
        'outcomes.2.code: "max_attempts" is reserved for the system',
        'outcomes.3.code: "constructor" is reserved for the system',
        'outcomes: at least one outcome with effect "retry" is needed (for "not reached")',
        'outcomes: at least one outcome with effect "callback" is needed (for "call back later")',
      ],
    ],
    [
      'bad outcome fields',
      { outcomes: [{ code: 'Paid!', label: ' ', effect: 'closes' }] },
      [
        'outcomes.0.code: must be lower-case letters, digits and _ (starting with a letter, at most 40), e.g. "promise_to_pay"',
        'outcomes.0.label: must not be empty',
        'outcomes.0.effect: must be "close", "retry", "callback" or "wrong_number"',
      ],
    ],
  ])('%s', (_name, input, expected) => {
    expect(issues(input)).toEqual(expected);
  });

  it.each(['do_not_call', 'no_callable_time', 'open', 'cancelled'])('reserves the system\'s own final code %s (the result list could not tell them apart)', (code) => {
    const outcomes = [...defaultOutcomes, { code, label: 'Eigenes Ergebnis', effect: 'close' }];
    expect(issues({ outcomes })).toEqual([`outcomes.${defaultOutcomes.length}.code: "${code}" is reserved for the system`]);
  });

  it('the unrefined object plus the check composes into a PATCH schema', () => {
    const patch = schedulingSettingsObject.partial().superRefine(checkSchedulingSettings);
    expect(patch.safeParse({ maxAttempts: 5 }).success).toBe(true);
    const bad = patch.safeParse({ windows: { evening: ['17:00', '21:00'] }, callingHours: defaultSchedulingSettings.callingHours });
    expect(bad.success ? [] : formatSettingsIssues(bad.error)).toEqual(['windows.evening: end 21:00 lies outside every calling-hours interval']);
  });
});

describe('preferredWindowSchema', () => {
  it('accepts "weekdays after 17:00"', () => {
    expect(preferredWindowSchema.parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '17:00', to: '24:00' })).toBeTruthy();
  });
  it.each<[unknown, string]>([
    [{ days: [], from: '17:00', to: '20:00' }, 'name at least one day'],
    [{ days: ['monday'], from: '17:00', to: '20:00' }, 'days are mon, tue, wed, thu, fri, sat, sun'],
    [{ days: ['mon', 'mon'], from: '17:00', to: '20:00' }, 'a day is listed twice'],
    [{ days: ['mon'], from: '20:00', to: '17:00' }, '17:00 is not after 20:00; a window cannot cross midnight'],
    [{ days: ['mon'], from: '5pm', to: '20:00' }, '"5pm" is not a time of day; use HH:MM from 00:00 to 24:00'],
  ])('rejects %j', (input, message) => {
    const r = preferredWindowSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toContain(message);
  });
});

function everyWeekday(hours: [string, string][]) {
  return { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours };
}
function everyDayOf(hours: [string, string][]) {
  return { ...everyWeekday(hours), sat: hours, sun: hours };
}
