import { describe, expect, it } from 'vitest';
import { firstInstantAt, isoDate, localPartsOf, parseIsoDate, spansOf, weekdayOf, zoneFor } from './zoned.js';
import { parseTimeOfDay } from './time-of-day.js';

const berlin = zoneFor('Europe/Berlin');
const day = (iso: string) => parseIsoDate(iso)!;
const spans = (date: string, from: string, to: string, zone = berlin) =>
  spansOf(day(date), [parseTimeOfDay(from), parseTimeOfDay(to)], zone).map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()]);

describe('local days', () => {
  it.each([
    ['1970-01-01', 'thu'],
    ['2026-11-27', 'fri'],
    ['2026-11-29', 'sun'],
    ['2026-11-30', 'mon'],
    ['1969-12-31', 'wed'],
  ])('%s is a %s', (date, weekday) => {
    expect(weekdayOf(day(date))).toBe(weekday);
    expect(isoDate(day(date))).toBe(date);
  });

  it.each(['2026-02-30', '2026-13-01', '26-01-01', '2026-1-1', 'tomorrow'])('rejects date %j', (text) => {
    expect(parseIsoDate(text)).toBeNull();
  });

  it('local day follows the zone, not UTC', () => {
    // 23:30 UTC on Nov 26 is already Nov 27 00:30 in Berlin.
    expect(isoDate(localPartsOf(Date.parse('2026-11-26T23:30:00Z'), berlin).day)).toBe('2026-11-27');
    expect(localPartsOf(Date.parse('2026-11-26T23:30:00Z'), berlin).minute).toBe(30);
    expect(isoDate(localPartsOf(Date.parse('2026-11-27T03:00:00Z'), zoneFor('America/New_York')).day)).toBe('2026-11-26');
  });

  it('rejects an unknown zone', () => {
    expect(() => zoneFor('Europe/Berln')).toThrow(/not a valid IANA time zone/);
  });
});

describe('spans around DST (Europe/Berlin)', () => {
  it.each([
    ['ordinary day', '2026-11-27', '08:00', '20:00', [['2026-11-27T07:00:00.000Z', '2026-11-27T19:00:00.000Z']]],
    ['summer day', '2026-07-01', '08:00', '20:00', [['2026-07-01T06:00:00.000Z', '2026-07-01T18:00:00.000Z']]],
    ['spring: 01:30–03:30 lasts one hour', '2026-03-29', '01:30', '03:30', [['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z']]],
    ['spring: 02:00–03:00 does not exist', '2026-03-29', '02:00', '03:00', []],
    ['spring: 02:15–02:45 does not exist', '2026-03-29', '02:15', '02:45', []],
    ['spring: 02:30–04:00 starts at the jump', '2026-03-29', '02:30', '04:00', [['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']]],
    ['spring: whole day is 23 hours', '2026-03-29', '00:00', '24:00', [['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']]],
    ['autumn: 01:30–03:30 lasts three hours', '2026-10-25', '01:30', '03:30', [['2026-10-24T23:30:00.000Z', '2026-10-25T02:30:00.000Z']]],
    ['autumn: 02:00–03:00 happens twice', '2026-10-25', '02:00', '03:00', [['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z']]],
    [
      'autumn: 02:30–03:15 is two pieces',
      '2026-10-25',
      '02:30',
      '03:15',
      [
        ['2026-10-25T00:30:00.000Z', '2026-10-25T01:00:00.000Z'],
        ['2026-10-25T01:30:00.000Z', '2026-10-25T02:15:00.000Z'],
      ],
    ],
    ['autumn: whole day is 25 hours', '2026-10-25', '00:00', '24:00', [['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']]],
  ])('%s', (_name, date, from, to, expected) => {
    expect(spans(date, from, to)).toEqual(expected);
  });

  it('other zones: New York spring (02:00 → 03:00 on 2026-03-08) and Sydney autumn (03:00 → 02:00 on 2026-04-05)', () => {
    expect(spans('2026-03-08', '01:00', '04:00', zoneFor('America/New_York'))).toEqual([['2026-03-08T06:00:00.000Z', '2026-03-08T08:00:00.000Z']]);
    expect(spans('2026-04-05', '02:00', '03:00', zoneFor('Australia/Sydney'))).toEqual([['2026-04-04T15:00:00.000Z', '2026-04-04T17:00:00.000Z']]);
  });

  it('firstInstantAt maps a skipped time to the jump', () => {
    expect(new Date(firstInstantAt(day('2026-03-29'), parseTimeOfDay('02:30'), berlin)).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(new Date(firstInstantAt(day('2026-10-25'), parseTimeOfDay('02:30'), berlin)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(new Date(firstInstantAt(day('2026-11-27'), 0, berlin)).toISOString()).toBe('2026-11-26T23:00:00.000Z');
  });
});
