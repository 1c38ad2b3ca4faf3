import { describe, expect, it } from 'vitest';
import { findHeaderRow, HEADER_SYNONYMS, headerCurrency, matchHeaders, normaliseHeader, type CaseField } from './headers.js';
import { ImportFileError } from './import-file-error.js';

const rows = (...cells: unknown[][]) => cells.map((c, i) => ({ rowNumber: i + 1, cells: c }));

describe('normaliseHeader', () => {
  it.each([
    ['Kunden-Nr.', 'kundennr'],
    ['KdNr', 'kdnr'],
    ['Kd-Nr.', 'kdnr'],
    ['  KUNDEN NR ', 'kundennr'],
    ['Offener Betrag (EUR)', 'offenerbetrag'],
    ['Offener Betrag [€]', 'offenerbetrag'],
    ['Offener Betrag in EUR', 'offenerbetrag'],
    ['Betrag €', 'betrag'],
    ['Telefon privat', 'telefonprivat'],
    ['Straße', 'strasse'],
    ['Strasse', 'strasse'],
    ['Währung', 'waehrung'],
    ['Waehrung', 'waehrung'],
    ['Localité', 'localite'],
    ['Tel.', 'tel'],
  ])('%j → %j', (header, key) => expect(normaliseHeader(header)).toBe(key));
});

describe('matchHeaders', () => {
  const all = Object.entries(HEADER_SYNONYMS).flatMap(([field, names]) => names.map((n) => [n, field] as [string, CaseField]));

  it.each(all)('%j is recognised as %s', (header, field) => {
    expect(matchHeaders([header]).columns).toEqual({ [field]: 0 });
  });

  it.each(all)('%j is recognised in other spellings (upper case, no punctuation, umlauts spelled out)', (header, field) => {
    const variant = header
      .toUpperCase()
      .replace(/Ä/g, 'AE')
      .replace(/Ö/g, 'OE')
      .replace(/Ü/g, 'UE')
      .replace(/ß/g, 'SS')
      .replace(/[.\-/,]/g, ' ');
    expect(matchHeaders([`  ${variant} `]).columns).toEqual({ [field]: 0 });
  });

  it('has no synonym claimed by two fields', () => {
    const seen = new Map<string, string>();
    for (const [name, field] of all) {
      const key = normaliseHeader(name);
      expect(seen.get(key) ?? field, `${name} (${key})`).toBe(field);
      seen.set(key, field);
    }
  });

  it.each([
    ['Telefon 1', 'phone'],
    ['Telefon (mobil)', 'phone'],
    ['Telefonnummer Kunde', 'phone'],
    ['Mobilfunknummer', 'phone'],
    ['Rufnummer privat', 'phone'],
    ['Tel. 1', 'phone'],
    ['Tel.2', 'phone'],
    ['Tel. mobil', 'phone'],
    ['Tel. Geschäftlich', 'phone'],
    ['Natel', 'phone'],
    ['Natel privat', 'phone'],
    ['Telefon AT', 'phone'],
    ['Offener Betrag (EUR)', 'amount'],
    ['Mahnsumme in €', 'amount'],
    ['Kunden-Nr.', 'customerNo'],
    ['KdNr', 'customerNo'],
  ])('%j → %s', (header, field) => {
    expect(matchHeaders([header]).columns).toEqual({ [field]: 0 });
  });

  it.each([
    ['Privattelefon', 'phone'],
    ['Geschäftstelefon', 'phone'],
    ['Tel. geschäftl.', 'phone'],
    ['Tel. dienstlich', 'phone'],
    ['Telephone number', 'phone'],
    ['Téléphone', 'phone'],
    ['Rufnr.', 'phone'],
    ['Tel.-Nr. 2', 'phone'],
    ['Debitor-Nummer', 'customerNo'],
    ['Deb.-Nr.', 'customerNo'],
    ['Debitor', 'customerNo'],
    ['Vertragskonto', 'customerNo'],
    ['N° client', 'customerNo'],
    ['No client', 'customerNo'],
    ['Nom', 'name'],
    ['Prénom', 'firstName'],
    ['Montant', 'amount'],
    ['Solde', 'amount'],
    ['Adresse', 'address'],
    ['NPA', 'postalCode'],
    ['Localité', 'city'],
  ])('recognises %j as %s (headers of real lists)', (header, field) => {
    expect(matchHeaders([header]).columns).toEqual({ [field]: 0 });
  });

  it('reads a French-Swiss header row', () => {
    const m = matchHeaders(['N° client', 'Prénom', 'Nom', 'Adresse', 'NPA', 'Localité', 'Téléphone', 'Montant', 'Solde']);
    expect(m.columns).toEqual({ customerNo: 0, firstName: 1, name: 2, address: 3, postalCode: 4, city: 5, phone: 6, amount: 8 });
    expect(m.extras.map((e) => e.header)).toEqual(['Montant']);
  });

  it('takes a contract account for the customer number only where no customer number is there', () => {
    expect(matchHeaders(['Vertragskonto', 'Kundennummer']).columns).toEqual({ customerNo: 1 });
  });

  it.each([
    'Offen', 'Offen EUR', 'Noch offen', 'Restschuld', 'Restsaldo', 'Summe offen', 'Gesamt offen', 'Offene Summe', 'Ausstehender Betrag',
    'Offener Rechnungsbetrag', 'Offener Betrag brutto', 'Offener Betrag inkl. Mahngebühren', 'Forderungsrest', 'Mahnsumme gesamt',
  ])('takes the open amount %j over every gross one (Rechnungsbetrag, Forderung, Betrag, Amount)', (open) => {
    const m = matchHeaders(['Rechnungsbetrag', 'Forderung', 'Betrag', 'Amount', 'Zahlungseingang', open]);
    expect(m.columns).toEqual({ amount: 5 });
    expect(m.extras.map((e) => e.header)).toEqual(['Rechnungsbetrag', 'Forderung', 'Betrag', 'Amount', 'Zahlungseingang']);
  });

  it('keeps the order among open amounts and among gross ones', () => {
    expect(matchHeaders(['Offener Betrag brutto', 'Mahnsumme']).columns.amount).toBe(1);
    expect(matchHeaders(['Offener Betrag brutto', 'Offen']).columns.amount).toBe(1); // exact names before qualified ones
    expect(matchHeaders(['Betrag', 'Forderung']).columns.amount).toBe(1);
  });

  it('does not take fax or e-mail for a phone', () => {
    expect(matchHeaders(['Telefax', 'Fax', 'E-Mail']).columns).toEqual({});
  });

  it('does not take a column about calls or mobility for a phone (its dates and words would be dialled)', () => {
    expect(matchHeaders(['Telefonat am', 'Telefonat vom', 'Telefonate', 'Telefonie-Tarif', 'Mobilität', 'Telemetrie', 'Teilzahlung']).columns).toEqual({});
  });

  it('keeps unknown columns as extras in order, with the file’s own text, made unique', () => {
    const m = matchHeaders(['Kundennummer', 'Vertragskonto', 'Name', '', 'Bemerkung', 'Telefon', 'Bemerkung', 'Betrag']);
    expect(m.columns).toEqual({ customerNo: 0, name: 2, phone: 5, amount: 7 });
    expect(m.extras).toEqual([
      { index: 1, header: 'Vertragskonto' },
      { index: 4, header: 'Bemerkung' },
      { index: 6, header: 'Bemerkung (2)' },
    ]);
  });

  it('lets the better synonym win when several columns match one field; the other stays an extra', () => {
    const m = matchHeaders(['Mobil', 'Telefon', 'Betrag', 'Offener Betrag']);
    expect(m.columns).toEqual({ phone: 1, amount: 3 });
    expect(m.extras.map((e) => e.header)).toEqual(['Betrag']);
  });

  it('keeps every phone column, the better-ranked first', () => {
    const m = matchHeaders(['Telefon geschäftlich', 'Mobil', 'Kundennummer', 'Telefon', 'Fax']);
    expect(m.phones).toEqual([3, 1, 0]);
    expect(m.columns.phone).toBe(3);
    expect(m.extras.map((e) => e.header)).toEqual(['Fax']);
  });

  it('recognises address parts and first/last name', () => {
    const m = matchHeaders(['Vorname', 'Nachname', 'Straße', 'Hausnummer', 'PLZ', 'Ort', 'Land', 'PLZ/Ort', 'Währung', 'Sprache']);
    expect(m.columns).toEqual({
      firstName: 0, lastName: 1, street: 2, houseNo: 3, postalCode: 4, city: 5, country: 6, postalCity: 7, currency: 8, language: 9,
    });
  });
});

describe('headerCurrency', () => {
  it.each([
    ['Offener Betrag (EUR)', 'EUR'],
    ['Betrag in €', 'EUR'],
    ['Saldo CHF', 'CHF'],
    ['Betrag [CHF]', 'CHF'],
    ['Betrag', null],
    ['Europa', null],
  ])('%j → %s', (header, currency) => expect(headerCurrency(header)).toBe(currency));
});

describe('findHeaderRow', () => {
  it('finds the header below title rows and reports its spreadsheet row number', () => {
    const h = findHeaderRow([
      { rowNumber: 1, cells: ['Stadtwerke Muster GmbH – Mahnliste November 2026'] },
      { rowNumber: 2, cells: ['Stand:', new Date(Date.UTC(2026, 10, 3))] },
      { rowNumber: 4, cells: ['Kunden-Nr.', 'Name', 'Telefon', 'Offener Betrag (EUR)', 'Vertragskonto'] },
      { rowNumber: 5, cells: [4711, 'Anna Müller', '0721 123456', 12.5, 'VK-1'] },
    ]);
    expect(h).toMatchObject({ rowIndex: 2, rowNumber: 4, columns: { customerNo: 0, name: 1, phone: 2, amount: 3 } });
    expect(h.extras).toEqual([{ index: 4, header: 'Vertragskonto' }]);
  });

  it('picks the row matching the most fields, not the first that matches one', () => {
    const h = findHeaderRow(rows(['Name der Liste:', 'Kunde'], ['Kundennummer', 'Kunde', 'Tel.', 'Saldo']));
    expect(h.rowNumber).toBe(2);
  });

  it('accepts first and last name instead of a name column', () => {
    expect(() => findHeaderRow(rows(['KdNr', 'Vorname', 'Nachname', 'Tel.', 'Betrag']))).not.toThrow();
  });

  it('looks only at the first 20 rows', () => {
    const filler = Array.from({ length: 20 }, (_, i) => [`Hinweis ${i}`]);
    expect(() => findHeaderRow(rows(...filler, ['Kundennummer', 'Name', 'Telefon', 'Betrag']))).toThrow(/No header row found in the first 20 rows/);
  });

  it('refuses a list without a recognisable header (no_header)', () => {
    const err = catchError(() => findHeaderRow(rows(['a', 'b'], [1, 2])));
    expect(err.code).toBe('no_header');
  });

  it('names the missing columns, the headers found and the accepted names (missing_columns)', () => {
    const err = catchError(() => findHeaderRow(rows(['Titel'], ['Kd', 'Name', 'Tel.', 'Bemerkung'])));
    expect(err.code).toBe('missing_columns');
    expect(err.status).toBe(400);
    expect(err.message).toContain('Required columns missing: customer number, amount.');
    expect(err.message).toContain('Header row 2 has: "Kd", "Name", "Tel.", "Bemerkung".');
    expect(err.message).toContain('"Kundennummer", "Kunden-Nr.", "Kd-Nr."');
    expect(err.message).toContain('"Mahnsumme"');
    expect(err.message).toContain('"Offener Betrag"');
    expect(err.details).toMatchObject({ headerRow: 2, missing: ['customerNo', 'amount'], found: ['Kd', 'Name', 'Tel.', 'Bemerkung'] });
  });
});

describe('findHeaderRow: a gross amount beside an unknown column that looks open', () => {
  const header = (...h: string[]) => ['Kundennummer', 'Name', 'Telefon', ...h];
  const data = (...v: unknown[]) => ['K1', 'Anna', '0721 123456', ...v];

  it('duns the open amount of the reviewer’s file (Restschuld, not Forderung)', () => {
    const h = findHeaderRow(rows(header('Rechnungsbetrag', 'Forderung', 'Zahlungseingang', 'Restschuld'), data(1000, 1050, 800, 250)));
    expect(h.columns.amount).toBe(6);
  });

  it.each([
    ['Forderung', 'Offen per 31.10.'],
    ['Betrag', 'Rest zu zahlen'],
    ['Amount', 'Saldo aktuell nach Zahlung'],
    ['Rechnungsbetrag', 'Noch ausstehend (netto)'],
  ])('refuses %j beside %j, naming both (unclear_amount, 400)', (gross, open) => {
    const err = catchError(() => findHeaderRow(rows(['Mahnlauf'], header(gross, 'Zahlungseingang', open), data(1050, 800, '250,00'))));
    expect(err.code).toBe('unclear_amount');
    expect(err.status).toBe(400);
    expect(err.message).toContain(`"${gross}" (header row 2) is the amount claimed in all, and "${open}" looks like the amount still open`);
    expect(err.message).toContain('Rename the column with the open amount to "Offener Betrag"');
    expect(err.details).toEqual({ headerRow: 2, gross, open: [open] });
  });

  it('counts an open-looking column only when amounts stand below it: not dates, counts of days, interest or durations', () => {
    const ok = (h: string, v: unknown) => expect(() => findHeaderRow(rows(header('Forderung', h), data(1050, v)))).not.toThrow();
    ok('Offen seit', new Date(Date.UTC(2026, 9, 1)));
    ok('Offen seit', '01.10.2026');
    ok('Tage offen', 30);
    ok('Restlaufzeit (Monate)', 12);
    ok('Interest', 12.5);
    ok('Status offen', 'ja');
    ok('Saldo-Nr.', 4711);
    expect(() => findHeaderRow(rows(header('Forderung', 'Offen per Stichtag')))).not.toThrow(); // nothing below to tell
  });

  it('does not refuse where the amount taken is an open one', () => {
    expect(() => findHeaderRow(rows(header('Offener Betrag', 'Forderung', 'Rest lt. Mahnung'), data(250, 1050, 250)))).not.toThrow();
  });
});

function catchError(fn: () => unknown): ImportFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ImportFileError) return err;
    throw err;
  }
  throw new Error('expected an ImportFileError');
}
