import { describe, expect, it } from 'vitest';
import { holidayRegionFor } from './calendar.js';
import { isPublicHoliday, publicHolidayName } from './holidays.js';
import { isCallableNow, nextCallableAt } from './next-callable.js';
import { caseWith, local, settingsWith, show } from './test-helpers.js';
import { parseIsoDate } from './zoned.js';

const day = (iso: string) => parseIsoDate(iso)!;

describe('holiday region of a customer', () => {
  const bw = settingsWith({ holidays: { country: 'DE', state: 'BW' } });
  it.each([
    ['German customer: the Land of the postcode', bw, { country: 'DE', postalCode: '80331' }, { country: 'DE', state: 'BY' }],
    ['no country: the client default country (DE)', bw, { postalCode: '10115' }, { country: 'DE', state: 'BE' }],
    ['German postcode that lost its 0 in Excel', bw, { country: 'DE', postalCode: '1067' }, { country: 'DE', state: 'SN' }],
    ['postcode across a Land border: both Länder', bw, { country: 'DE', postalCode: '21039' }, { country: 'DE', state: 'HH', alsoState: 'SH' }],
    ['German customer without a postcode: the client setting', bw, { country: 'DE', postalCode: null }, { country: 'DE', state: 'BW' }],
    ['German customer, not a postcode: the client setting', bw, { country: 'DE', postalCode: 'unbekannt' }, { country: 'DE', state: 'BW' }],
    [
      'German customer without a postcode, client abroad: nationwide',
      settingsWith({ holidays: { country: 'AT' }, defaultCountry: 'AT' }),
      { country: 'DE', postalCode: '' },
      { country: 'DE' },
    ],
    ['Swiss customer: canton from the PLZ', bw, { country: 'CH', postalCode: '8001' }, { country: 'CH', state: 'ZH' }],
    ['Swiss PO box PLZ: canton from the prefix', bw, { country: 'CH', postalCode: '3000' }, { country: 'CH', state: 'BE' }],
    ['lower-case country', bw, { country: 'ch', postalCode: 'CH-1201' }, { country: 'CH', state: 'GE' }],
    ['Swiss, unknown PLZ, German client: federal holidays', bw, { country: 'CH', postalCode: '0000' }, { country: 'CH' }],
    [
      'Swiss, no PLZ, Swiss client: the client setting',
      settingsWith({ holidays: { country: 'CH', state: 'VD' } }),
      { country: 'CH', postalCode: null },
      { country: 'CH', state: 'VD' },
    ],
    ['Swiss by client default country', settingsWith({ defaultCountry: 'CH' }), { postalCode: '6900' }, { country: 'CH', state: 'TI' }],
    ['Austrian customer of a German client: Austria’s nationwide holidays', bw, { country: 'AT', postalCode: '1010' }, { country: 'AT' }],
    [
      'German customer of an Austrian client: the Land of the postcode',
      settingsWith({ holidays: { country: 'AT', state: '9' }, defaultCountry: 'AT' }),
      { country: 'DE', postalCode: '80331' },
      { country: 'DE', state: 'BY' },
    ],
    ['customer in a country without a holiday calendar: the client setting', bw, { country: 'TK', postalCode: null }, { country: 'DE', state: 'BW' }],
    ['client observes no holidays', settingsWith({ holidays: null }), { country: 'CH', postalCode: '8001' }, null],
  ])('%s', (_name, settings, state, expected) => {
    expect(holidayRegionFor(settings, state)).toEqual(expected);
  });
});

describe('public holidays', () => {
  it.each([
    // Epiphany 2025 is a Monday: a holiday in Bavaria and Baden-Württemberg, not in NRW.
    ['2025-01-06', { country: 'DE', state: 'BY' }, true],
    ['2025-01-06', { country: 'DE', state: 'BW' }, true],
    ['2025-01-06', { country: 'DE', state: 'NW' }, false],
    ['2025-01-06', { country: 'DE' }, false],
    // Reformation Day 2022 is a Monday: Saxony yes, Bavaria no.
    ['2022-10-31', { country: 'DE', state: 'SN' }, true],
    ['2022-10-31', { country: 'DE', state: 'BY' }, false],
    // Easter Monday and Unity Day: everywhere in Germany.
    ['2026-04-06', { country: 'DE', state: 'NW' }, true],
    ['2026-10-03', { country: 'DE' }, true],
    // Christmas Eve is only a "bank" holiday in the data: calls are allowed.
    ['2025-12-24', { country: 'DE', state: 'BY' }, false],
    // Berchtoldstag: public in Bern and Vaud, only "optional" in Zürich.
    ['2026-01-02', { country: 'CH', state: 'BE' }, true],
    ['2026-01-02', { country: 'CH', state: 'VD' }, true],
    ['2026-01-02', { country: 'CH', state: 'ZH' }, false],
    // Canton-only days.
    ['2026-06-23', { country: 'CH', state: 'JU' }, true], // Plébiscite jurassien
    ['2026-06-23', { country: 'CH', state: 'ZH' }, false],
    ['2026-09-10', { country: 'CH', state: 'GE' }, true], // Jeûne genevois
    ['2026-03-19', { country: 'CH', state: 'TI' }, true], // San Giuseppe
    ['2026-03-19', { country: 'CH', state: 'GE' }, false],
    ['2026-05-14', { country: 'CH' }, true], // Ascension, federal
    ['2026-11-27', { country: 'DE' }, false],
  ])('%s in %j: %s', (date, region, expected) => {
    expect(isPublicHoliday(day(date), region)).toBe(expected);
  });

  it('a postcode across a Land border observes the holidays of both', () => {
    // Reformationstag 2026 (Saturday 31 October) is Schleswig-Holstein's, not Bavaria's; Epiphany Bavaria's.
    const border = { country: 'DE', state: 'BW', alsoState: 'BY' };
    expect(isPublicHoliday(day('2026-01-06'), { country: 'DE', state: 'HH', alsoState: 'SH' })).toBe(false);
    expect(isPublicHoliday(day('2026-10-31'), { country: 'DE', state: 'HH', alsoState: 'SH' })).toBe(true);
    expect(isPublicHoliday(day('2026-11-01'), border)).toBe(true);
    expect(publicHolidayName(day('2026-01-06'), border)).toBe('Heilige Drei Könige');
    expect(publicHolidayName(day('2026-08-15'), { country: 'DE', state: 'SL', alsoState: 'RP' })).toBe('Mariä Himmelfahrt');
    expect(isPublicHoliday(day('2026-08-15'), { country: 'DE', state: 'RP', alsoState: 'NW' })).toBe(false);
    // Buß- und Bettag is Saxony's alone: a Thuringian postcode shared with Saxony observes it.
    expect(isPublicHoliday(day('2026-11-18'), { country: 'DE', state: 'TH' })).toBe(false);
    expect(isPublicHoliday(day('2026-11-18'), { country: 'DE', state: 'TH', alsoState: 'SN' })).toBe(true);
    expect(publicHolidayName(day('2026-11-18'), { country: 'DE', state: 'TH', alsoState: 'SN' })).toBe('Buß- und Bettag');
  });

  it('no region, no holidays', () => {
    expect(isPublicHoliday(day('2026-12-25'), null)).toBe(false);
  });

  it('names the holiday for explanations', () => {
    expect(publicHolidayName(day('2025-01-06'), { country: 'DE', state: 'BY' })).toBe('Heilige Drei Könige');
    expect(publicHolidayName(day('2025-01-07'), { country: 'DE', state: 'BY' })).toBeNull();
  });
});

describe('holidays in scheduling', () => {
  const first = { kind: 'first' } as const;
  it.each([
    ['BY: Monday Epiphany → Tuesday 08:00', { country: 'DE', state: 'BY' }, {}, '2025-01-06 09:00', '2025-01-07T08:00:00+01:00', 'holiday'],
    ['NW: Monday Epiphany is a working day', { country: 'DE', state: 'NW' }, {}, '2025-01-06 09:00', '2025-01-06T09:00:00+01:00', 'immediate'],
    ['BY: Friday evening, Saturday, Sunday, Monday holiday', { country: 'DE', state: 'BY' }, {}, '2025-01-03 20:30', '2025-01-04T09:00:00+01:00', 'calling_hours'],
    ['BY: Sunday before the Monday holiday → Tuesday', { country: 'DE', state: 'BY' }, {}, '2025-01-05 12:00', '2025-01-07T08:00:00+01:00', 'holiday'],
    ['Swiss customer in Bern on Berchtoldstag', { country: 'DE' }, { country: 'CH', postalCode: '3011' }, '2026-01-02 10:00', '2026-01-03T09:00:00+01:00', 'holiday'],
    ['Swiss customer in Zürich on Berchtoldstag', { country: 'DE' }, { country: 'CH', postalCode: '8001' }, '2026-01-02 10:00', '2026-01-02T10:00:00+01:00', 'immediate'],
    ['Swiss customer in Zürich on the BY client\'s Epiphany', { country: 'DE', state: 'BY' }, { country: 'CH', postalCode: '8001' }, '2026-01-06 10:00', '2026-01-06T10:00:00+01:00', 'immediate'],
    ['German customer of the same client on Epiphany', { country: 'DE', state: 'BY' }, { country: 'DE' }, '2026-01-06 10:00', '2026-01-07T08:00:00+01:00', 'holiday'],
    ['Hamburg customer of the BY client on Epiphany', { country: 'DE', state: 'BY' }, { country: 'DE', postalCode: '20095' }, '2026-01-06 10:00', '2026-01-06T10:00:00+01:00', 'immediate'],
    ['Munich customer of a Hamburg client on Epiphany', { country: 'DE', state: 'HH' }, { country: 'DE', postalCode: '80331' }, '2026-01-06 10:00', '2026-01-07T08:00:00+01:00', 'holiday'],
    ['Cologne customer of a Berlin client on Fronleichnam', { country: 'DE', state: 'BE' }, { country: 'DE', postalCode: '50667' }, '2026-06-04 10:00', '2026-06-05T08:00:00+02:00', 'holiday'],
    ['Jura customer on the Plébiscite', { country: 'DE' }, { country: 'CH', postalCode: '2800' }, '2026-06-23 10:00', '2026-06-24T08:00:00+02:00', 'holiday'],
    ['holidays off: Christmas is a working day', null, {}, '2026-12-25 10:00', '2026-12-25T10:00:00+01:00', 'immediate'],
    ['Christmas Eve 2025 (a bank holiday only) is callable', { country: 'DE', state: 'BY' }, {}, '2025-12-24 15:00', '2025-12-24T15:00:00+01:00', 'immediate'],
    ['Christmas 2025 Thu/Fri, weekend → Saturday 09:00', { country: 'DE' }, {}, '2025-12-24 20:00', '2025-12-27T09:00:00+01:00', 'holiday'],
  ])('%s', (_name, holidays, state, now, expected, reason) => {
    const r = nextCallableAt(local(now), settingsWith({ holidays }), caseWith(state), first);
    expect(show(r.at)).toBe(show(new Date(expected)));
    expect(r.reason).toBe(reason);
  });

  it('isCallableNow names the holiday and when calls resume', () => {
    const check = isCallableNow(local('2025-01-06 10:00'), settingsWith({ holidays: { country: 'DE', state: 'BY' } }), caseWith());
    expect(check).toEqual({
      callable: false,
      reason: 'holiday',
      nextAt: new Date('2025-01-07T08:00:00+01:00'),
      explanation: 'Mon 2025-01-06 10:00 (Europe/Berlin) is a public holiday (Heilige Drei Könige, DE-BY)',
    });
  });
});
