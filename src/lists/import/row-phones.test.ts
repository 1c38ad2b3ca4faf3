import { describe, expect, it } from 'vitest';
import type { CountrySource } from './country.js';
import { rowPhones } from './row-phones.js';

const COLUMNS = [{ index: 0, header: 'Telefon' }, { index: 1, header: 'Mobil' }];

/** The row's numbers (E.164), or the reason it was refused. */
function read(cells: unknown[], country: string, home: string, source?: CountrySource): string[] | string {
  const r = rowPhones(cells, COLUMNS, country, home, source);
  return r.ok ? r.phones.map((p) => p.e164) : r.reason;
}

describe('rowPhones: a number not valid in the customer’s country', () => {
  it('is not re-read as a landline of the client’s country (a German mobile missing a digit is no Vienna number)', () => {
    // Austrian client, customer in 76133 Karlsruhe.
    expect(read(['0151 1234567'], 'DE', 'AT')).toBe('not a valid phone number for DE');
    expect(read(['0171 555555'], 'DE', 'AT')).toBe('not a valid phone number for DE');
    expect(read(['0160 123456'], 'DE', 'AT')).toBe('not a valid phone number for DE');
    // German client, customer in 8001 Zürich.
    expect(read(['079 123 45 6'], 'CH', 'DE')).toBe('not a valid phone number for CH');
    expect(read(['044 668 18 0'], 'CH', 'DE')).toBe('not a valid phone number for CH');
    expect(read(['030 1234567'], 'CH', 'DE')).toBe('not a valid phone number for CH');
  });

  it('is taken when it is a mobile of the client’s country (a German customer in Austria keeps the German mobile)', () => {
    expect(read(['0171 2345678'], 'CH', 'DE')).toEqual(['+491712345678']);
    expect(read(['0660 1234567'], 'DE', 'AT')).toEqual(['+436601234567']);
  });

  it('leaves a row its other numbers, and reads a Liechtenstein customer’s as Swiss, landlines too', () => {
    expect(read(['0151 1234567', '0151 12345678'], 'DE', 'AT')).toEqual(['+4915112345678']);
    expect(read(['044 668 18 00'], 'LI', 'DE')).toEqual(['+41446681800']);
    expect(read(['079 123 45 67'], 'LI', 'DE')).toEqual(['+41791234567']);
    expect(read(['0171 2345678'], 'LI', 'DE')).toEqual(['+491712345678']);
    expect(read(['030 1234567'], 'LI', 'DE')).toBe('not a valid phone number for LI');
  });
});

describe('rowPhones: a number Excel stored as a number', () => {
  it('is read in the customer’s country when the row gave it, not with a neighbour’s code', () => {
    // 14467 Potsdam (0331 9776-1234), 25813 Husum (04841 1234567): not France, not Poland.
    expect(read([33197761234], 'DE', 'AT')).toEqual(['+4933197761234']);
    expect(read([48411234567], 'DE', 'CH')).toEqual(['+4948411234567']);
    expect(read([33197761234], 'DE', 'DE', 'postcode')).toEqual(['+4933197761234']);
    expect(read([48411234567], 'DE', 'DE', 'column')).toEqual(['+4948411234567']);
  });

  it('keeps the neighbour’s code when the country is only the client’s default', () => {
    expect(read([33197761234], 'DE', 'DE', 'default')).toEqual(['+33197761234']);
    expect(read([41446681800], 'DE', 'DE')).toEqual(['+41446681800']);
  });
});
