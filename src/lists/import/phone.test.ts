import { describe, expect, it } from 'vitest';
import { countryFromAddress, normalisePhone } from './normalise.js';
import { numbersIn, phoneE164Of } from './phone.js';

describe('normalisePhone', () => {
  it.each([
    ['0721 1234567', 'DE', '+497211234567'],
    ['0721 123456', 'DE', '+49721123456'],
    ['0721/123456', 'DE', '+49721123456'],
    ['0721-123456', 'DE', '+49721123456'],
    ['(0721) 12 34 56', 'DE', '+49721123456'],
    ['+49 (0) 721 1234567', 'DE', '+497211234567'],
    ['+49(0)7211234567', 'DE', '+497211234567'],
    ['+49 721 1234567', 'DE', '+497211234567'],
    ['0049 721 1234567', 'DE', '+497211234567'],
    ['0049 (0)721 1234567', 'DE', '+497211234567'],
    ['0171 2345678', 'DE', '+491712345678'],
    ['0721 123456 Durchwahl 12', 'DE', '+49721123456'],
    ['0721 123456 DW: 12', 'DE', '+49721123456'],
    ['0721 123456 ext. 12', 'DE', '+49721123456'],
    ['0152 28817386', 'DE', '+4915228817386'],
    ['0041 44 668 18 00', 'DE', '+41446681800'],
    ['+41 79 123 45 67', 'DE', '+41791234567'],
    ['0043 664 1234567', 'DE', '+436641234567'],
    ['044 668 18 00', 'CH', '+41446681800'],
    ['022 555 12 34', 'CH', '+41225551234'],
    ['0664 1234567', 'AT', '+436641234567'],
    ['01 5123456', 'AT', '+4315123456'],
    ['Tel.: 0721 123456 (privat)', 'DE', '+49721123456'],
    ['0171 2345678 mobil', 'DE', '+491712345678'],
    ['Mobil: 0171 2345678', 'DE', '+491712345678'],
    ['0721 123456; 0171 2345678', 'DE', '+49721123456'],
    ['0721 123456 oder 0171 2345678', 'DE', '+49721123456'],
    ['030 23125 000', 'de', '+493023125000'],
  ])('%j in %s → %s', (raw, country, e164) => {
    const r = normalisePhone(raw, country);
    expect(r).toMatchObject({ ok: true, e164 });
  });

  it('gives an international display format and the number’s own country', () => {
    expect(normalisePhone('0721 1234567', 'DE')).toEqual({ ok: true, e164: '+497211234567', display: '+49 721 1234567', country: 'DE' });
    expect(normalisePhone('0041 44 668 18 00', 'DE')).toMatchObject({ display: '+41 44 668 18 00', country: 'CH' });
  });

  describe('numbers Excel stored as numbers (leading zero lost)', () => {
    it.each([
      [7211234567, 'DE', '+497211234567'], // was 0721 1234567
      [1712345678, 'DE', '+491712345678'], // was 0171 2345678
      ['7211234567', 'DE', '+497211234567'], // same, exported to CSV
      [6641234567, 'AT', '+436641234567'], // was 0664 1234567
      [446681800, 'CH', '+41446681800'], // was 044 668 18 00
      [497211234567, 'DE', '+497211234567'], // was 0049 721 1234567
      [41446681800, 'DE', '+41446681800'], // was 0041 44 668 18 00
      ['7211234567.0', 'DE', '+497211234567'], // a CSV export wrote it as a float
    ])('%s in %s → %s', (raw, country, e164) => {
      expect(normalisePhone(raw, country)).toMatchObject({ ok: true, e164 });
    });

    it('prefers the national reading over a foreign one when the address gave the country', () => {
      // 0331 9776-1234 (Potsdam), 04841 1234567 (Husum), 04144 6681800: not France, Poland, Switzerland.
      expect(phoneE164Of(33197761234, 'DE', true)).toMatchObject({ ok: true, e164: '+4933197761234', country: 'DE' });
      expect(phoneE164Of(48411234567, 'DE', true)).toMatchObject({ ok: true, e164: '+4948411234567' });
      expect(phoneE164Of(41446681800, 'DE', true)).toMatchObject({ ok: true, e164: '+4941446681800' });
      // A reading in the customer's own country stays international (`0049 721 …` lost its 00);
      // so does one of 12 digits or more (no German number at home is that long: `0043 664 …`).
      expect(phoneE164Of(497211234567, 'DE', true)).toMatchObject({ ok: true, e164: '+497211234567' });
      expect(phoneE164Of(436641234567, 'DE', true)).toMatchObject({ ok: true, e164: '+436641234567' });
      // Only one reading valid: that one, as before.
      expect(phoneE164Of(31201234567, 'DE', true)).toMatchObject({ ok: true, e164: '+31201234567' });
      // The client's default country is a guess: the neighbour's code wins, as before.
      expect(phoneE164Of(33197761234, 'DE')).toMatchObject({ ok: true, e164: '+33197761234' });
    });
  });

  it.each([
    ['', 'empty'],
    [null, 'empty'],
    ['keine', 'no digits'],
    ['n/a', 'no digits'],
    ['0000', 'too short'],
    ['123', 'too short'],
    ['0721 abc 123', 'contains text'],
    ['12345678901234567890', 'too long'],
    [12.5, 'not a phone number'],
    ['0123 456789', 'not a valid phone number for DE'],
    ['0100 123456', 'not a valid phone number for DE'],
    ['0721 1', 'not a valid phone number for DE'],
    // 17 digits: libphonenumber calls +49721123456654321 valid, E.164 allows 15.
    ['0721 123456 / 654321', 'too long'],
  ])('refuses %j (%s)', (raw, reason) => {
    const r = normalisePhone(raw, 'DE');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('countryFromAddress', () => {
  it.each([
    ['Deutschland', 'DE'],
    ['DE', 'DE'],
    ['D', 'DE'],
    ['Germany', 'DE'],
    ['Österreich', 'AT'],
    ['Oesterreich', 'AT'],
    ['AT', 'AT'],
    ['A', 'AT'],
    ['Austria', 'AT'],
    ['Schweiz', 'CH'],
    ['Suisse', 'CH'],
    ['Svizzera', 'CH'],
    ['Switzerland', 'CH'],
    ['CH', 'CH'],
    ['ch', 'CH'],
    ['Liechtenstein', 'LI'],
    ['Luxemburg', 'LU'],
    ['NL', 'NL'],
  ])('country column %j → %s', (country, iso) => {
    expect(countryFromAddress({ country }, 'DE')).toMatchObject({ country: iso, source: 'column' });
  });

  it('falls back to the default for an unknown or empty country', () => {
    expect(countryFromAddress({ country: 'Atlantis' }, 'DE')).toMatchObject({ country: 'DE', source: 'default' });
    expect(countryFromAddress({ country: '' }, 'at')).toMatchObject({ country: 'AT', source: 'default' });
    expect(countryFromAddress({}, 'CH')).toMatchObject({ country: 'CH', source: 'default' });
  });

  it('reads a country-prefixed postal code and strips the prefix', () => {
    expect(countryFromAddress({ postalCode: 'CH-8001' }, 'DE')).toEqual({ country: 'CH', source: 'postalPrefix', postalCode: '8001', town: null });
    expect(countryFromAddress({ postalCode: 'CH 8001' }, 'DE')).toEqual({ country: 'CH', source: 'postalPrefix', postalCode: '8001', town: null });
    expect(countryFromAddress({ postalCode: 'A-1010' }, 'DE')).toEqual({ country: 'AT', source: 'postalPrefix', postalCode: '1010', town: null });
    expect(countryFromAddress({ postalCode: 'D-76133' }, 'CH')).toEqual({ country: 'DE', source: 'postalPrefix', postalCode: '76133', town: null });
  });

  it('takes a 4-digit postal code as Swiss only with a town the Swiss directory has for it', () => {
    expect(countryFromAddress({ postalCode: '8001' }, 'DE')).toEqual({ country: 'DE', source: 'default', postalCode: '8001', town: null });
    expect(countryFromAddress({ postalCode: '8001' }, 'CH')).toEqual({ country: 'CH', source: 'default', postalCode: '8001', town: null });
    expect(countryFromAddress({ postalCode: '8001', town: 'Zürich' }, 'DE')).toEqual({ country: 'CH', source: 'postcodeTown', postalCode: '8001', town: 'Zürich' });
    expect(countryFromAddress({ postalCode: '1204', town: 'Genf' }, 'DE')).toMatchObject({ country: 'CH', source: 'postcodeTown' });
    expect(countryFromAddress({ postalCode: '9490', town: 'Vaduz' }, 'DE')).toMatchObject({ country: 'LI', source: 'postcodeTown' });
    // Any other four digits stay undecided: Austrian, or German without its 0 (in a number cell
    // or in the CSV Excel wrote from one). The row parser asks the phone numbers.
    expect(countryFromAddress({ postalCode: '1010', town: 'Wien' }, 'DE')).toMatchObject({ country: 'DE', source: 'default' });
    expect(countryFromAddress({ postalCode: '1067', town: 'Dresden' }, 'DE')).toMatchObject({ country: 'DE', source: 'default' });
    // No German postcode starts with 05: 5020 Salzburg is Austrian.
    expect(countryFromAddress({ postalCode: '5020', town: 'Salzburg' }, 'DE')).toMatchObject({ country: 'AT', source: 'postcode' });
    // For a Swiss client 1010 is Lausanne, not Wien: not Swiss (see below).
    expect(countryFromAddress({ postalCode: '1010', town: 'Wien' }, 'CH')).toMatchObject({ country: 'CH', source: 'default', townNotSwiss: true });
  });

  it('marks a Swiss client’s customer at four digits and a town the directory does not have for them: the phone decides', () => {
    // The directory knows these postcodes, for other towns (7000 Chur, 6020 Emmenbrücke) or by their first digits.
    for (const [postalCode, town] of [['8010', 'Graz'], ['3100', 'St. Pölten'], ['7000', 'Eisenstadt'], ['6020', 'Innsbruck'], ['6850', 'Dornbirn']]) {
      expect(countryFromAddress({ postalCode, town }, 'CH')).toMatchObject({ country: 'CH', source: 'default', postalCode, townNotSwiss: true });
      expect(countryFromAddress({ postalCode, town }, 'LI')).toMatchObject({ country: 'LI', source: 'default', townNotSwiss: true });
    }
    expect(countryFromAddress({ address: 'Herrengasse 1, 8010 Graz' }, 'CH')).toMatchObject({ country: 'CH', townNotSwiss: true, postalCode: '8010', town: 'Graz' });
    // Unchanged: the directory's own towns, no town at all, and other clients (the phone decides there).
    expect(countryFromAddress({ postalCode: '7000', town: 'Chur' }, 'CH')).toMatchObject({ country: 'CH', source: 'postcodeTown' });
    expect(countryFromAddress({ postalCode: '8050', town: 'Zürich-Oerlikon' }, 'CH')).toMatchObject({ country: 'CH', source: 'postcodeTown' });
    expect(countryFromAddress({ postalCode: '8010' }, 'CH')).toMatchObject({ country: 'CH', source: 'default' });
    expect(countryFromAddress({ postalCode: '7000', town: 'Eisenstadt' }, 'DE')).toMatchObject({ country: 'DE', source: 'default' });
    expect(countryFromAddress({ postalCode: '7000', town: 'Eisenstadt' }, 'AT')).toMatchObject({ country: 'AT', source: 'default' });
  });

  it('takes a 5-digit postal code as German, unless the client’s own country has 5-digit ones too', () => {
    expect(countryFromAddress({ postalCode: '76133', town: 'Karlsruhe' }, 'CH')).toMatchObject({ country: 'DE', source: 'postcode' });
    expect(countryFromAddress({ postalCode: '75001', town: 'Paris' }, 'FR')).toMatchObject({ country: 'FR', source: 'default' });
  });

  it('reads the last part of a one-column address', () => {
    expect(countryFromAddress({ address: 'Rue du Rhône 1, 1204 Genève, Suisse' }, 'DE')).toMatchObject({ country: 'CH', source: 'address' });
    expect(countryFromAddress({ address: 'Hauptstr. 1, CH-8001 Zürich' }, 'DE')).toMatchObject({ country: 'CH', postalCode: '8001' });
    expect(countryFromAddress({ address: 'Hauptstr. 1, 76133 Karlsruhe' }, 'AT')).toMatchObject({ country: 'DE', source: 'postcode', postalCode: '76133', town: 'Karlsruhe' });
    expect(countryFromAddress({ address: 'Bahnhofstrasse 10, 8001 Zürich' }, 'DE')).toMatchObject({ country: 'CH', source: 'postcodeTown', postalCode: '8001', town: 'Zürich' });
  });

  it('prefers the country column over a prefixed postal code', () => {
    expect(countryFromAddress({ country: 'Österreich', postalCode: 'D-1010' }, 'DE')).toMatchObject({ country: 'AT', postalCode: '1010' });
  });
});

describe('numbersIn', () => {
  it('splits a cell into its numbers and drops labels and remarks', () => {
    expect(numbersIn('Tel.: 0721 123456 (privat); 0171 2345678 mobil')).toEqual(['0721 123456', '0171 2345678']);
    expect(numbersIn('0721 123456 oder 0721 654321')).toEqual(['0721 123456', '0721 654321']);
    expect(numbersIn('keine')).toEqual([]);
  });

  it('splits numbers on lines of their own, joined by a spaced slash or dash, or by "bzw."/"u."', () => {
    expect(numbersIn('0721 123456\n0171 2345678')).toEqual(['0721 123456', '0171 2345678']);
    expect(numbersIn('0721 123456\r\n0171 2345678')).toEqual(['0721 123456', '0171 2345678']);
    expect(numbersIn('0171-2345678 / 0721-123456')).toEqual(['0171-2345678', '0721-123456']);
    expect(numbersIn('0721 123456 - 0171 2345678')).toEqual(['0721 123456', '0171 2345678']);
    expect(numbersIn('0721 123456 bzw. 0171 2345678')).toEqual(['0721 123456', '0171 2345678']);
    expect(numbersIn('0721 123456 u. 0171 2345678')).toEqual(['0721 123456', '0171 2345678']);
    expect(numbersIn('0171 2345678 (mobil)\n0721 123456 (privat)')).toEqual(['0171 2345678', '0721 123456']);
    // An area code and its number stay one.
    expect(numbersIn('0721 / 987 65 43')).toEqual(['0721 / 987 65 43']);
    expect(numbersIn('0721 - 123456')).toEqual(['0721 - 123456']);
    expect(numbersIn('030 / 1234567 / 0171 2345678')).toEqual(['030 / 1234567', '0171 2345678']);
    expect(numbersIn('+49 721 123456 / +49 171 2345678')).toEqual(['+49 721 123456', '+49 171 2345678']);
    expect(numbersIn('0171 - 2345678 / 0721 - 123456')).toEqual(['0171 - 2345678', '0721 - 123456']);
    expect(numbersIn('0721 123456 – 0171 2345678')).toEqual(['0721 123456', '0171 2345678']);
  });

  it('drops any label before a number and a remark after a whole one, never a fax', () => {
    expect(numbersIn('Telefon 0721 123456')).toEqual(['0721 123456']);
    expect(numbersIn('Tel.-Nr. 0721 123456')).toEqual(['0721 123456']);
    expect(numbersIn('Natel 079 123 45 67')).toEqual(['079 123 45 67']);
    expect(numbersIn('privat 0721 123456')).toEqual(['0721 123456']);
    expect(numbersIn('P 044 123 45 67')).toEqual(['044 123 45 67']);
    expect(numbersIn('0171 2345678 ab 18 Uhr')).toEqual(['0171 2345678']);
    expect(numbersIn('Tel 0721 123456 / Handy 0171 2345678')).toEqual(['0721 123456', '0171 2345678']);
    expect(numbersIn('0721 123456/0171 2345678')).toEqual(['0721 123456', '0171 2345678']);
    expect(numbersIn('0721 123456, Fax: 0721 123457')).toEqual(['0721 123456']);
    expect(numbersIn('Fax: 0721 123457')).toEqual([]);
    expect(numbersIn('Telefax 0721 123457')).toEqual([]);
    // Garbled after a few digits: kept, so the row is refused as containing text.
    expect(numbersIn('0721 abc 123')).toEqual(['0721 abc 123']);
  });

  it('reads a cell of one plainly written number as the full rules do', () => {
    // A label sends the cell through every step; the number must come out the same.
    for (const plain of ['0721 123456', ' (0721) 12 34 56 ', '0721/123456', '0721-12.34.56', '+49 (0) 721 123456', '+41(0)44 668 18 00', '0049 721 123456']) {
      const [viaRules] = numbersIn(`Tel.: ${plain}`);
      expect(numbersIn(plain)).toEqual([viaRules]);
    }
    expect(numbersIn('+49 (0) 721 123456')).toEqual(['+49 721 123456']);
    expect(numbersIn(' () / ')).toEqual([]);
  });
});
