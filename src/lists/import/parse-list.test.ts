import { afterAll, describe, expect, it } from 'vitest';
import { ImportFileError } from './import-file-error.js';
import { parseList, type ImportReport, type ParsedCase, type ParseListOptions } from './parse-list.js';
import { formatCurrency } from './parse-row.js';
import type { RawRow } from './read-xlsx.js';
import { readFirstSheet, tempDir, writeXlsx } from './test-helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const DE: ParseListOptions = { defaultCountry: 'DE' };
const HEADER = ['Kunden-Nr.', 'Name', 'Telefon', 'Offener Betrag (EUR)'];

async function* fromArrays(rows: unknown[][], firstRow = 1): AsyncGenerator<RawRow> {
  let rowNumber = firstRow;
  for (const cells of rows) yield { rowNumber: rowNumber++, cells };
}

async function run(rows: unknown[][], options: ParseListOptions = DE): Promise<{ cases: ParsedCase[]; report: ImportReport }> {
  const cases: ParsedCase[] = [];
  const report = await parseList(fromArrays(rows), options, (c) => {
    cases.push(c);
  });
  return { cases, report };
}

async function refusal(rows: unknown[][]): Promise<ImportFileError> {
  try {
    await run(rows);
  } catch (err) {
    if (err instanceof ImportFileError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('parseList', () => {
  it('turns a list with title rows into cases, with report and extras', async () => {
    const { cases, report } = await run([
      ['Stadtwerke Muster GmbH – Mahnliste November 2026'],
      ['Stand:', new Date(Date.UTC(2026, 10, 3))],
      ['Kunden-Nr.', 'Name', 'Straße', 'PLZ', 'Ort', 'Telefon', 'Offener Betrag (EUR)', 'Vertragskonto', 'Fälligkeit'],
      [4711, '  Jürgen   Weiß ', 'Schloßallee 1', '76133', 'Karlsruhe', '0721 1234567', 1234.56, 210012345678, new Date(Date.UTC(2026, 9, 15))],
      ['K-4712', 'Anne-Sophie Genève'.normalize('NFD'), 'Rue du Rhône 1', 1204, 'Genève', '+41 22 555 12 34', '89,90 €', '', null],
    ]);
    expect(report).toEqual({
      accepted: 2,
      rejected: [],
      rejectedRows: 0,
      rejectedTruncated: false,
      dataRows: 2,
      headerRow: 3,
      columns: { customerNo: 'Kunden-Nr.', name: 'Name', street: 'Straße', postalCode: 'PLZ', city: 'Ort', phone: 'Telefon', amount: 'Offener Betrag (EUR)' },
      extraColumns: ['Vertragskonto', 'Fälligkeit'],
      sourceColumns: ['Kunden-Nr.', 'Name', 'Straße', 'PLZ', 'Ort', 'Telefon', 'Offener Betrag (EUR)', 'Vertragskonto', 'Fälligkeit'].map((header) => ({ header })),
      // Genève by its postcode and town (its international number agrees).
      countries: { DE: { rows: 1, by: { postcode: 1 } }, CH: { rows: 1, by: { postcodeTown: 1 } } },
      sheet: null,
    });
    expect(cases[0]).toEqual({
      rowNumber: 4,
      customerNo: '4711',
      name: 'Jürgen Weiß',
      phoneRaw: '0721 1234567',
      phoneE164: '+497211234567',
      address: 'Schloßallee 1, 76133 Karlsruhe',
      postalCode: '76133',
      country: 'DE',
      countrySource: 'postcode',
      phones: [{ e164: '+497211234567', raw: '0721 1234567', kind: 'Telefon' }],
      amountCents: 123456,
      currency: 'EUR',
      language: null,
      extra: { Vertragskonto: '210012345678', Fälligkeit: '15.10.2026' },
      source: [4711, '  Jürgen   Weiß ', 'Schloßallee 1', '76133', 'Karlsruhe', '0721 1234567', 1234.56, 210012345678, { d: '2026-10-15' }],
    });
    // NFC-normalised, the Swiss customer recognised from postcode and town.
    expect(cases[1]).toMatchObject({ name: 'Anne-Sophie Genève', country: 'CH', postalCode: '1204', phoneE164: '+41225551234', amountCents: 8990, extra: {} });
    expect(cases[1]!.name).toBe('Anne-Sophie Genève'.normalize('NFC'));
  });

  it('takes the currency of an amount cell from its number format, below a currency column', async () => {
    async function* rows(): AsyncGenerator<RawRow> {
      yield { rowNumber: 1, cells: ['Kd-Nr.', 'Name', 'Telefon', 'Betrag', 'Währung'] };
      yield { rowNumber: 2, cells: [1, 'A', '0721 1234567', 1234.5], formats: [undefined, undefined, undefined, '#,##0.00 [$CHF-100C]'] };
      yield { rowNumber: 3, cells: [2, 'B', '0721 7654321', 10], formats: [undefined, undefined, undefined, '#,##0.00 "CHF"'] };
      yield { rowNumber: 4, cells: [3, 'C', '0721 7654322', 10], formats: [undefined, undefined, undefined, '[$€-407] #,##0.00'] };
      yield { rowNumber: 5, cells: [4, 'D', '0721 7654323', 10], formats: [undefined, undefined, undefined, '#,##0.00'] };
      yield { rowNumber: 6, cells: [5, 'E', '0721 7654324', 10, 'EUR'], formats: [undefined, undefined, undefined, '#,##0.00 [$CHF-100C]'] };
    }
    const cases: ParsedCase[] = [];
    await parseList(rows(), DE, (c) => void cases.push(c));
    // A German client: francs where the cell's format says so; the column wins over the format.
    expect(cases.map((c) => c.currency)).toEqual(['CHF', 'CHF', 'EUR', 'EUR', 'EUR']);
    // A header naming the unit is the author's word for the column; a template's € format is not.
    async function* headed(): AsyncGenerator<RawRow> {
      yield { rowNumber: 1, cells: ['Kd-Nr.', 'Name', 'Telefon', 'Betrag (CHF)'] };
      yield { rowNumber: 2, cells: [1, 'A', '0721 1234567', 10], formats: [undefined, undefined, undefined, '#,##0.00 [$€-407]'] };
    }
    const inHeader: ParsedCase[] = [];
    await parseList(headed(), DE, (c) => void inHeader.push(c));
    expect(inHeader.map((c) => c.currency)).toEqual(['CHF']);
    expect(formatCurrency('#,##0.00')).toBeUndefined();
    expect(formatCurrency('#,##0.00 [$€-de-DE]')).toBe('EUR');
  });

  it('keeps the leading zeros of a customer number Excel keeps as a number formatted 000000', async () => {
    async function* rows(): AsyncGenerator<RawRow> {
      yield { rowNumber: 1, cells: ['Kd-Nr.', 'Name', 'Telefon', 'Betrag'] };
      yield { rowNumber: 2, cells: [123, 'Müller', '0721 1234567', 10], formats: ['000000'] };
      yield { rowNumber: 3, cells: [4711, 'Weiß', '0721 7654321', 10], formats: ['#,##0'] };
      // A prefix in the format: the number the client sees (and knows the customer by) is K00123.
      yield { rowNumber: 4, cells: [123, 'Zoë', '0721 7654322', 10], formats: ['"K"00000'] };
      yield { rowNumber: 5, cells: [124, 'Emil', '0721 7654323', 10], formats: ['\\K00000'] };
    }
    const cases: ParsedCase[] = [];
    await parseList(rows(), DE, (c) => void cases.push(c));
    expect(cases.map((c) => c.customerNo)).toEqual(['000123', '4711', 'K00123', 'K00124']);
  });

  it('keeps every cell as delivered, shows extras as the file formats them, and hands refused rows over as delivered', async () => {
    async function* rows(): AsyncGenerator<RawRow> {
      yield { rowNumber: 1, cells: ['Kd-Nr.', 'Name', 'Telefon', 'Betrag', 'Rate', 'Seit', 'Aktiv', ''] };
      yield { rowNumber: 2, cells: ['K1', 'Müller', '0721 1234567', 2372.25, 2372.25, 46276, true, 'ohne Kopf'], formats: [undefined, undefined, undefined, '#,##0.00', '#,##0.00', 'dd/mm/yyyy'] };
      yield { rowNumber: 3, cells: ['K2', '', '0721 7654321', { formula: 'A1*2', result: 10 }, 1, undefined], formats: [undefined, undefined, undefined, '0.00'] };
    }
    const cases: ParsedCase[] = [];
    const refused: unknown[] = [];
    const report = await parseList(rows(), DE, (c) => void cases.push(c), (r) => void refused.push(r));
    expect(report.sourceColumns).toEqual([
      { header: 'Kd-Nr.' }, { header: 'Name' }, { header: 'Telefon' }, { header: 'Betrag', numFmt: '#,##0.00' },
      { header: 'Rate', numFmt: '#,##0.00' }, { header: 'Seit', numFmt: 'dd/mm/yyyy' }, { header: 'Aktiv' }, { header: '' },
    ]);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.source).toEqual(['K1', 'Müller', '0721 1234567', 2372.25, 2372.25, { d: '2026-09-11' }, true, 'ohne Kopf']);
    expect(cases[0]!.extra).toEqual({ Rate: '2.372,25', Seit: '11/09/2026', Aktiv: 'WAHR' });
    expect(refused).toEqual([
      { rowNumber: 3, source: ['K2', null, '0721 7654321', 10, 1, null, null, null], rejections: [expect.objectContaining({ row: 3, column: 'Name', reason: 'name is empty' })] },
    ]);
  });

  it('rejects bad rows with row number, the file’s own header, value and reason', async () => {
    const { cases, report } = await run([
      HEADER,
      [1, 'Anna', '0721 123456', 10],
      [2, 'Bernd', '', 10],
      [3, 'Clara', '0721 123456', 'abc'],
      [1, 'Dora', '0721 123456', 10],
      ['', 'Emil', 'keine', -5],
      [4, '', '0721 123456', 0],
    ]);
    expect(cases.map((c) => c.customerNo)).toEqual(['1']);
    expect(report.accepted).toBe(1);
    expect(report.rejectedRows).toBe(5);
    expect(report.rejected).toEqual([
      { row: 3, column: 'Telefon', value: '', reason: 'phone number is empty' },
      { row: 4, column: 'Offener Betrag (EUR)', value: 'abc', reason: 'not an amount (expected e.g. 1.234,56 or 1234.56)' },
      { row: 5, column: 'Kunden-Nr.', value: '1', reason: 'duplicate customer number (first in row 2)' },
      { row: 6, column: 'Kunden-Nr.', value: '', reason: 'customer number is empty' },
      { row: 6, column: 'Telefon', value: 'keine', reason: 'not a phone number (no digits)' },
      { row: 6, column: 'Offener Betrag (EUR)', value: '-5', reason: 'amount is negative (a credit, not a claim)' },
      { row: 7, column: 'Name', value: '', reason: 'name is empty' },
      { row: 7, column: 'Offener Betrag (EUR)', value: '0', reason: 'amount is zero' },
    ]);
  });

  it('keeps the first of duplicate customer numbers even when the first row was rejected', async () => {
    const { cases, report } = await run([HEADER, [7, 'Anna', '', 10], [7, 'Anna', '0721 123456', 10], [' 7 ', 'Anna', '0721 123456', 10]]);
    expect(cases).toEqual([]);
    expect(report.rejected.map((r) => r.reason)).toEqual(['phone number is empty', 'duplicate customer number (first in row 2)', 'duplicate customer number (first in row 2)']);
  });

  it('explains a totals row instead of listing every empty column', async () => {
    const { report } = await run([HEADER, [1, 'Anna', '0721 123456', 10], ['', '', '', { formula: 'SUM(D2:D2)', result: 10 }]]);
    expect(report.rejected).toEqual([{ row: 3, column: 'Offener Betrag (EUR)', value: '10', reason: 'row has no customer number, name or phone (a totals or remark row?)' }]);
  });

  it('reads formula cells as their cached values and explains a formula without one', async () => {
    const { cases, report } = await run([
      HEADER,
      [{ formula: 'A1', result: 'K1' }, { formula: 'B1', result: 'Anna' }, { formula: 'C1', result: '0721 123456' }, { formula: 'D1*2', result: 24.5 }],
      [2, 'Bernd', '0721 123456', { formula: 'D1*2' }],
    ]);
    expect(cases[0]).toMatchObject({ customerNo: 'K1', name: 'Anna', amountCents: 2450 });
    expect(report.rejected[0]).toMatchObject({ row: 3, reason: expect.stringContaining('formula without a saved result') });
  });

  it('joins first and last name, and Vorname + Name', async () => {
    const a = await run([['KdNr', 'Vorname', 'Nachname', 'Tel.', 'Betrag'], [1, 'Anna', 'Müller', '0721 123456', 5]]);
    expect(a.cases[0]!.name).toBe('Anna Müller');
    const b = await run([['KdNr', 'Name', 'Vorname', 'Tel.', 'Betrag'], [1, 'Müller', 'Anna', '0721 123456', 5]]);
    expect(b.cases[0]!.name).toBe('Anna Müller');
    const c = await run([['KdNr', 'Nachname', 'Tel.', 'Betrag'], [1, 'Müller', '0721 123456', 5]]);
    expect(c.cases[0]!.name).toBe('Müller');
  });

  it('takes the address as one column, or builds it from its parts', async () => {
    const one = await run([['Kundennummer', 'Name', 'Anschrift', 'Telefon', 'Betrag'], [1, 'A', 'Hauptstr. 1\n76133 Karlsruhe', '0721 123456', 5]]);
    expect(one.cases[0]).toMatchObject({ address: 'Hauptstr. 1, 76133 Karlsruhe', postalCode: '76133', country: 'DE', countrySource: 'postcode' });
    const parts = await run([
      ['Kundennummer', 'Name', 'Straße', 'Hausnummer', 'PLZ/Ort', 'Land', 'Telefon', 'Betrag'],
      [1, 'A', 'Mariahilfer Straße', '12a', 'A-1060 Wien', 'Österreich', '01 5123456', 5],
    ]);
    expect(parts.cases[0]).toMatchObject({ address: 'Mariahilfer Straße 12a, 1060 Wien, Österreich', postalCode: '1060', country: 'AT', phoneE164: '+4315123456' });
  });

  it('reads national numbers in the customer’s country (Land column) and repairs numeric cells', async () => {
    const { cases } = await run([
      ['Kundennummer', 'Name', 'PLZ', 'Land', 'Telefon', 'Betrag'],
      [1, 'A', 8001, 'Schweiz', '044 668 18 00', 5],
      [2, 'B', 1010, 'AT', 6641234567, 5],
      [3, 'C', 1067, '', 3023125000, 5],
      [4, 'D', '76133', 'Deutschland', '0041 44 668 18 00', 5],
    ]);
    expect(cases.map((c) => [c.country, c.postalCode, c.phoneE164])).toEqual([
      ['CH', '8001', '+41446681800'],
      ['AT', '1010', '+436641234567'],
      ['DE', '01067', '+493023125000'], // Excel dropped the zeros of 01067 and 030…
      ['DE', '76133', '+41446681800'],
    ]);
  });

  it('reads a Liechtenstein customer’s national number as Swiss before the client’s country', async () => {
    const { cases } = await run([
      ['Kundennummer', 'Name', 'PLZ', 'Ort', 'Telefon', 'Betrag'],
      [1, 'A', '9490', 'Vaduz', '079 123 45 67', 5],
      [2, 'B', '9490', 'Vaduz', '235 11 11', 5],
    ]);
    expect(cases.map((c) => [c.country, c.phoneE164])).toEqual([
      ['LI', '+41791234567'], // not +49 791 234567
      ['LI', '+4232351111'],
    ]);
  });

  it('takes the client’s default country when the row says none', async () => {
    const { cases } = await run([HEADER, [1, 'A', '044 668 18 00', 5]], { defaultCountry: 'ch' });
    expect(cases[0]).toMatchObject({ country: 'CH', phoneE164: '+41446681800' });
  });

  it('resolves the currency: column, amount text, header unit, default', async () => {
    const { cases, report } = await run(
      [
        ['Kundennummer', 'Name', 'Telefon', 'Saldo CHF', 'Währung'],
        [1, 'A', '0721 123456', 5, 'EUR'],
        [2, 'B', '0721 123456', '€ 5', ''],
        [3, 'C', '0721 123456', 5, ''],
        [4, 'D', '0721 123456', 'CHF 5', 'EUR'],
        [5, 'E', '0721 123456', 5, 'Taler'],
      ],
      { defaultCountry: 'DE', defaultCurrency: 'EUR' },
    );
    expect(cases.map((c) => c.currency)).toEqual(['EUR', 'EUR', 'CHF']);
    expect(report.rejected).toEqual([
      { row: 5, column: 'Saldo CHF', value: 'CHF 5', reason: 'amount is in CHF but the currency column says EUR' },
      { row: 6, column: 'Währung', value: 'Taler', reason: 'unknown currency (expected e.g. EUR or CHF)' },
    ]);
    const plain = await run([HEADER.map((h) => h.replace(' (EUR)', '')), [1, 'A', '0721 123456', 5]], { defaultCountry: 'DE', defaultCurrency: 'CHF' });
    expect(plain.cases[0]!.currency).toBe('CHF');
  });

  it('takes the client’s home currency when the list names none: francs for a Swiss client, euros for a German one', async () => {
    const list = (phone: string) => [HEADER.map((h) => h.replace(' (EUR)', '')), [1, 'A', phone, 5]];
    expect((await run(list('044 668 18 00'), { defaultCountry: 'CH' })).cases[0]!.currency).toBe('CHF');
    expect((await run(list('+423 235 11 11'), { defaultCountry: 'LI' })).cases[0]!.currency).toBe('CHF');
    expect((await run(list('0721 123456'), { defaultCountry: 'DE' })).cases[0]!.currency).toBe('EUR');
    expect((await run(list('01 5123456'), { defaultCountry: 'AT' })).cases[0]!.currency).toBe('EUR');
  });

  it('reads the language column', async () => {
    const { cases } = await run([
      [...HEADER, 'Sprache'],
      [1, 'A', '0721 123456', 5, 'Französisch'],
      [2, 'B', '0721 123456', 5, 'it'],
      [3, 'C', '0721 123456', 5, ''],
      [4, 'D', '0721 123456', 5, 'Klingonisch'],
      [5, 'E', '0721 123456', 5, 'constructor'], // not a key every object has
    ]);
    expect(cases.map((c) => c.language)).toEqual(['fr', 'it', null, null, null]);
  });

  it('reads a country cell that names a property of every object as an unknown country', async () => {
    const { cases, report } = await run([
      [...HEADER, 'Land'],
      [1, 'A', '0721 123456', 5, 'Constructor'],
      [2, 'B', '0721 123456', 5, 'Deutschland'],
    ]);
    // Unknown, like any country the table does not name: the client's (it threw before).
    expect(cases.map((c) => [c.customerNo, c.country])).toEqual([['1', 'DE'], ['2', 'DE']]);
    expect(report.rejected).toEqual([]);
  });

  it('caps the reported rejections but counts them all', async () => {
    const rows = [HEADER, ...Array.from({ length: 30 }, (_, i) => [i, 'A', '', 5])];
    const cases: ParsedCase[] = [];
    const report = await parseList(fromArrays(rows), { defaultCountry: 'DE', maxReportedRejections: 10 }, (c) => void cases.push(c));
    expect(report.rejected).toHaveLength(10);
    expect(report.rejectedRows).toBe(30);
    expect(report.rejectedTruncated).toBe(true);
  });

  it('refuses a header without data rows (no_data)', async () => {
    const err = await refusal([['Mahnliste'], HEADER]);
    expect(err.code).toBe('no_data');
    expect(err.message).toBe('The list has a header in row 2 but no data rows below it.');
  });

  it('refuses an empty sheet, a list without header and one with missing columns', async () => {
    expect((await refusal([])).code).toBe('no_header');
    expect((await refusal([['x', 'y'], [1, 2]])).code).toBe('no_header');
    const missing = await refusal([['Kunden-Nr.', 'Name', 'Telefon'], [1, 'A', '0721 123456']]);
    expect(missing.code).toBe('missing_columns');
    expect(missing.message).toMatch(/^Required column missing: amount\. Header row 1 has: "Kunden-Nr\.", "Name", "Telefon"\. Accepted names: amount: "Mahnsumme"/);
  });

  it('streams: beyond the header search, a row is stored before the next-but-one is read', async () => {
    const log: string[] = [];
    async function* source(): AsyncGenerator<RawRow> {
      yield { rowNumber: 1, cells: HEADER };
      for (let i = 1; i <= 60; i++) {
        log.push(`read ${i}`);
        yield { rowNumber: i + 1, cells: [i, 'A', '0721 123456', 5] };
      }
    }
    await parseList(source(), DE, async (c) => {
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`stored ${c.customerNo}`);
    });
    // The first 20 rows are buffered to find the header …
    expect(log.indexOf('read 19')).toBeLessThan(log.indexOf('stored 1'));
    // … after that reading waits for the (awaited) writer: no row is read far ahead.
    for (let i = 21; i < 60; i++) expect(log.indexOf(`stored ${i}`), `row ${i}`).toBeLessThan(log.indexOf(`read ${i + 1}`));
  });

  it('stops the source when it refuses the file early', async () => {
    let finished = false;
    async function* source(): AsyncGenerator<RawRow> {
      try {
        yield { rowNumber: 1, cells: ['Kunden-Nr.', 'Name'] };
        for (let i = 0; i < 100; i++) yield { rowNumber: i + 2, cells: [i, 'x'] };
      } finally {
        finished = true;
      }
    }
    await expect(parseList(source(), DE, () => {})).rejects.toMatchObject({ code: 'missing_columns' });
    expect(finished).toBe(true);
  });

  it('reads the sample list end to end: 297 cases, the three planted bad rows rejected', async () => {
    const path = new URL('../../../examples/mahnliste-stadtwerke-muster.xlsx', import.meta.url).pathname;
    const cases: ParsedCase[] = [];
    const report = await parseList(readFirstSheet({ path }, 'xlsx', { maxRows: 1000, maxUncompressedBytes: 10_000_000 }), DE, (c) => void cases.push(c));
    expect(report).toMatchObject({ accepted: 297, rejectedRows: 3, headerRow: 4, extraColumns: ['Hauptforderung', 'Mahngebühren', 'Vertragskonto', 'Fälligkeit', 'Mahnstufe'] });
    expect(report.rejected.map((r) => [r.row, r.column, r.reason])).toEqual([
      [62, 'Telefon', 'phone number is empty'],
      [146, 'Offener Betrag (EUR)', 'not an amount (expected e.g. 1.234,56 or 1234.56)'],
      [235, 'Kunden-Nr.', 'duplicate customer number (first in row 234)'],
    ]);
    expect(new Set(cases.map((c) => c.country))).toEqual(new Set(['DE', 'AT', 'CH']));
    expect(cases.every((c) => /^\+\d{8,15}$/.test(c.phoneE164))).toBe(true);

    const csvPath = new URL('../../../examples/mahnliste-stadtwerke-muster.csv', import.meta.url).pathname;
    const csvCases: ParsedCase[] = [];
    const csvReport = await parseList(readFirstSheet({ path: csvPath }, 'csv', { maxRows: 1000, maxUncompressedBytes: 10_000_000 }), DE, (c) => void csvCases.push(c));
    expect(csvReport).toMatchObject({ accepted: 25, rejectedRows: 0, headerRow: 3 });
    expect(csvCases[0]).toMatchObject({ customerNo: cases[0]!.customerNo, amountCents: cases[0]!.amountCents, phoneE164: cases[0]!.phoneE164 });
  });
});

describe('parseList with a real workbook', () => {
  it('reads an exceljs-written list with title rows', async () => {
    const path = tmp.file('list.xlsx');
    await writeXlsx(path, [['Mahnliste'], [], HEADER, [4711, { richText: [{ text: 'Anna ' }, { text: 'Müller' }] }, 7211234567, { formula: '10+2.5', result: 12.5 }]]);
    const cases: ParsedCase[] = [];
    const report = await parseList(readFirstSheet({ path }, 'xlsx', { maxRows: 100, maxUncompressedBytes: 1_000_000 }), DE, (c) => void cases.push(c));
    expect(report.headerRow).toBe(3);
    expect(cases).toEqual([expect.objectContaining({ rowNumber: 4, customerNo: '4711', name: 'Anna Müller', phoneRaw: '7211234567', phoneE164: '+497211234567', amountCents: 1250 })]);
  });
});

describe('cells PostgreSQL cannot store', () => {
  it('keeps them without NUL and with broken characters replaced, also in refused rows', async () => {
    const cases: ParsedCase[] = [];
    const refused: unknown[] = [];
    await parseList(
      fromArrays([
        ['Kundennummer', 'Name', 'Telefon', 'Betrag', 'Bemerkung'],
        ['K1', 'Anna', '0721 1234567', 10, 'mit\u0000NUL und \ud800'],
        ['K2', 'Bea\u0000', '', 10, 'x'],
      ]),
      DE,
      (c) => void cases.push(c),
      (r) => void refused.push(r),
    );
    expect(cases[0]!.source[4]).toBe('mitNUL und \uFFFD');
    expect(cases[0]!.extra.Bemerkung).toBe('mitNUL und \uFFFD');
    expect(JSON.stringify(refused)).not.toMatch(/\\u0000/);
  });
});
