import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { formatAmountInput, formatMoney, parseGermanAmount, zonedToIsoWithOffset } from '../web/js/format.js';

/** The agent types a callback time meant in the client's zone, whatever the PC's zone is. */
describe('zonedToIsoWithOffset', () => {
  it.each([
    ['2026-11-27T15:30', 'Europe/Berlin', '2026-11-27T15:30:00+01:00'],
    ['2026-07-01T15:30', 'Europe/Berlin', '2026-07-01T15:30:00+02:00'],
    ['2026-03-29T03:30', 'Europe/Berlin', '2026-03-29T03:30:00+02:00'], // right after the spring switch
    ['2026-10-25T03:30', 'Europe/Berlin', '2026-10-25T03:30:00+01:00'], // right after the autumn switch
    ['2026-11-27T15:30', 'Europe/Zurich', '2026-11-27T15:30:00+01:00'],
    ['2026-11-27T15:30', 'America/New_York', '2026-11-27T15:30:00-05:00'],
    ['not a time', 'Europe/Berlin', null],
  ])('%s in %s → %s', (local, zone, expected) => {
    expect(zonedToIsoWithOffset(local, zone)).toBe(expected);
  });
});

/** What an agent types as a promised amount, in the case's currency. */
describe('parseGermanAmount', () => {
  it.each([
    ['1.234,56', 'EUR', 123456],
    ['1234,5', 'EUR', 123450],
    ['50', 'EUR', 5000],
    ['50 €', 'EUR', 5000],
    ['EUR 50,00', 'EUR', 5000],
    ['1.234', 'EUR', 123400],
    ['1234.56', 'EUR', 123456],
    ["1'234.50", 'CHF', 123450],
    ['1’234.50', 'CHF', 123450],
    ["1'234", 'CHF', 123400],
    ['CHF 50', 'CHF', 5000],
    ['Fr. 50.–', 'CHF', 5000],
    ['50.-', 'CHF', 5000],
    ['1.234,56 CHF', 'CHF', 123456],
    ['50 €', 'CHF', null],
    ['CHF 50', 'EUR', null],
    ['0', 'EUR', null],
    ['-5', 'EUR', null],
    ['12,345', 'EUR', null],
    ["12'34", 'CHF', null],
    ['abc', 'EUR', null],
  ])('%s in %s → %s', (text, currency, cents) => {
    expect(parseGermanAmount(text, currency)).toBe(cents);
  });
});

/** Francs as the Swiss write them, euros as the Germans do; what is prefilled parses back. */
describe('formatMoney and formatAmountInput', () => {
  it('writes each currency in its own country’s way, and reads the prefilled amount back', () => {
    expect(formatMoney(123456, 'EUR')).toBe('1.234,56\u00a0€');
    expect(formatMoney(123456, 'CHF')).toMatch(/^CHF\s1['’]234\.56$/);
    for (const [cents, currency] of [[123456, 'EUR'], [123456, 'CHF'], [48790, 'CHF'], [5, 'EUR']] as const) {
      expect(parseGermanAmount(formatAmountInput(cents, currency), currency)).toBe(cents);
    }
  });
});
