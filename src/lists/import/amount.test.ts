import { describe, expect, it } from 'vitest';
import { parseAmountCents } from './normalise.js';

describe('parseAmountCents', () => {
  it.each([
    ['1.234,56 €', 123456, 'EUR'],
    ['1234.56', 123456, undefined],
    ['1,234.56', 123456, undefined],
    ['1234,56', 123456, undefined],
    ['89,9', 8990, undefined],
    ['89.9', 8990, undefined],
    ['EUR 12', 1200, 'EUR'],
    ['12 EUR', 1200, 'EUR'],
    ['12 Euro', 1200, 'EUR'],
    ['€12,50', 1250, 'EUR'],
    ["CHF 1'234.50", 123450, 'CHF'],
    ['CHF 1’234.50', 123450, 'CHF'],
    ['Fr. 20.–', 2000, 'CHF'],
    ['SFr. 99.95', 9995, 'CHF'],
    ['20,-', 2000, undefined],
    ['1.234,- €', 123400, 'EUR'],
    ['1 234,50', 123450, undefined],
    ['1\u00a0234,50', 123450, undefined],
    ['1\u202f234,50', 123450, undefined],
    ['1.234.567,89', 123456789, undefined],
    ['1,234,567.89', 123456789, undefined],
    ['12,345.6', 1234560, undefined],
    [',50', 50, undefined],
    ['0,5', 50, undefined],
    ['+12,00', 1200, undefined],
    ['  7  ', 700, undefined],
    ['EUR1234', 123400, 'EUR'],
    ['1.234,56EUR', 123456, 'EUR'],
    ['12,50Euro', 1250, 'EUR'],
    ['20 Euros', 2000, 'EUR'],
    ['CHF99.50', 9950, 'CHF'],
    ['100 Franken', 10000, 'CHF'],
    ['100 Schweizer Franken', 10000, 'CHF'],
    ['Fr 20', 2000, 'CHF'],
  ])('%j → %i cents', (input, cents, currency) => {
    const r = parseAmountCents(input);
    expect(r).toEqual(currency ? { ok: true, cents, currency } : { ok: true, cents });
  });

  it('reads a lone separator with exactly three digits after it as thousands (documented decision)', () => {
    expect(parseAmountCents('1.234')).toEqual({ ok: true, cents: 123400 });
    expect(parseAmountCents('1,234')).toEqual({ ok: true, cents: 123400 });
    expect(parseAmountCents('12.345')).toEqual({ ok: true, cents: 1234500 });
  });

  it('reads three digits after a lone 0 as decimals: 0,500 is half a euro, not 500 euros', () => {
    expect(parseAmountCents('0,500')).toEqual({ ok: true, cents: 50 });
    expect(parseAmountCents('0.050')).toEqual({ ok: true, cents: 5 });
    expect(parseAmountCents(',500')).toEqual({ ok: true, cents: 50 });
    expect(parseAmountCents('1,500')).toEqual({ ok: true, cents: 150000 }); // a thousands group after 1
  });

  it('rounds more than two decimals half up', () => {
    expect(parseAmountCents('12,345')).toEqual({ ok: true, cents: 1234500 }); // three digits: thousands
    expect(parseAmountCents('12,3456')).toEqual({ ok: true, cents: 1235 });
    expect(parseAmountCents('0,125')).toEqual({ ok: true, cents: 13 }); // no thousands group follows a lone 0
    expect(parseAmountCents('0,1251')).toEqual({ ok: true, cents: 13 });
  });

  it.each([
    [1234.56, 123456],
    [12.3400000001, 1234],
    [1234.5599999999999, 123456],
    [0.1 + 0.2, 30],
    [1.005, 101],
    [89.9, 8990],
    [100, 10000],
    [999999.99, 99999999],
  ])('numeric cell %d → %i cents', (input, cents) => {
    expect(parseAmountCents(input)).toEqual({ ok: true, cents });
  });

  it.each([
    ['', 'amount is empty'],
    [null, 'amount is empty'],
    [undefined, 'amount is empty'],
    ['abc', 'not an amount'],
    ['12 Euro 50', 'not an amount'],
    ['12 50', 'spaces'],
    ["1'23.50", 'spaces'],
    ['12a', 'not an amount'],
    ['-12,50', 'negative'],
    ['12,50-', 'negative'],
    ['(12,50)', 'negative'],
    ['−5', 'negative'],
    [-3, 'negative'],
    ['0', 'zero'],
    ['0,00 €', 'zero'],
    [0, 'zero'],
    [0.004, 'zero'],
    ['1.23.4', 'unclear'],
    ['1,2,3', 'unclear'],
    ['1234,567', 'unclear'],
    ['1.234,56.7', 'unclear'],
    ['1.', 'unclear'],
    ['12 € CHF', 'two different currencies'],
    ['12EURCHF', 'not an amount'],
    ['100 Frankenstein', 'not an amount'],
    [Number.NaN, 'not a number'],
    [1e20, 'too large'],
    ['2.000.000.000,00', 'above'],
  ])('refuses %j (%s)', (input, reason) => {
    const r = parseAmountCents(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});
