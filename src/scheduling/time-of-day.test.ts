import { describe, expect, it } from 'vitest';
import {
  containsMinute,
  coveredBy,
  formatTimeOfDay,
  intersectIntervals,
  normalizeIntervals,
  parseTimeOfDay,
  type MinuteInterval,
} from './time-of-day.js';

describe('parseTimeOfDay', () => {
  it.each([
    ['00:00', 0],
    ['08:30', 510],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('%s → %i', (text, minute) => {
    expect(parseTimeOfDay(text)).toBe(minute);
    expect(formatTimeOfDay(minute)).toBe(text);
  });

  it.each(['8:00', '24:01', '25:00', '12:60', '12:00:00', '', 'noon', ' 08:00'])('rejects %j', (text) => {
    expect(() => parseTimeOfDay(text)).toThrow(/not a time of day/);
  });
});

describe('interval algebra', () => {
  const cases: [string, MinuteInterval[], MinuteInterval[]][] = [
    ['sorts', [[600, 700], [100, 200]], [[100, 200], [600, 700]]],
    ['merges overlaps', [[100, 300], [200, 400]], [[100, 400]]],
    ['merges touching', [[100, 200], [200, 300]], [[100, 300]]],
    ['drops empty', [[100, 100], [300, 200]], []],
    ['keeps nested once', [[100, 500], [200, 300]], [[100, 500]]],
  ];
  it.each(cases)('normalize %s', (_name, input, expected) => {
    expect(normalizeIntervals(input)).toEqual(expected);
  });

  it.each<[string, MinuteInterval[], MinuteInterval[], MinuteInterval[]]>([
    ['disjoint', [[0, 100]], [[200, 300]], []],
    ['overlap', [[0, 200]], [[100, 300]], [[100, 200]]],
    ['touching is empty', [[0, 100]], [[100, 200]], []],
    ['several', [[0, 100], [200, 300]], [[50, 250]], [[50, 100], [200, 250]]],
    ['all day', [[0, 1440]], [[480, 1200]], [[480, 1200]]],
  ])('intersect %s', (_name, a, b, expected) => {
    expect(intersectIntervals(a, b)).toEqual(expected);
    expect(intersectIntervals(b, a)).toEqual(expected);
  });

  it('coveredBy needs one interval to hold it all', () => {
    expect(coveredBy([480, 720], [[480, 1200]])).toBe(true);
    expect(coveredBy([480, 720], [[480, 600], [600, 720]])).toBe(false); // callers normalize first
    expect(coveredBy([480, 720], normalizeIntervals([[480, 600], [600, 720]]))).toBe(true);
  });

  it('containsMinute is half-open', () => {
    expect(containsMinute([[480, 1200]], 480)).toBe(true);
    expect(containsMinute([[480, 1200]], 1199)).toBe(true);
    expect(containsMinute([[480, 1200]], 1200)).toBe(false);
  });
});
