import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { findHeaderRow } from './headers.js';
import { parseList, type ParsedCase, type Rejection } from './parse-list.js';
import { createRowParser, formatCurrency } from './parse-row.js';
import type { RawRow } from './read-sheet.js';
import { collect, excelLikeXlsx, readFirstSheet, tempDir } from './test-helpers.js';

const HEADER = ['Kd-Nr.', 'Name', 'Telefon', 'Betrag', 'Fällig'];
const DE = { defaultCountry: 'DE', defaultCurrency: 'EUR' };

function parser(rows: RawRow[]) {
  return createRowParser({ header: findHeaderRow(rows), ...DE });
}

describe('formatCurrency: the currency of an amount cell’s number format', () => {
  it.each([
    ['"CHF "#,##0.00', 'CHF'],
    ['#,##0.00" CHF"', 'CHF'],
    ['"CHF" #,##0.00', 'CHF'],
    ['#,##0.00 [$CHF-100C]', 'CHF'],
    ['#,##0.00" SFr."', 'CHF'],
    ['#,##0.00" Fr."', 'CHF'],
    ['"Fr. "#,##0.00', 'CHF'],
    ['"EUR "#,##0.00', 'EUR'],
    ['#,##0.00" EUR"', 'EUR'],
    ['"€ "#,##0.00', 'EUR'],
    ['#,##0.00', undefined],
    ['"Stück "0', undefined],
  ])('%j → %s', (numFmt, currency) => expect(formatCurrency(numFmt)).toBe(currency));

  it('reads a German client’s amount formatted "CHF "#,##0.00 as francs', () => {
    const parse = parser([{ rowNumber: 1, cells: HEADER }]);
    const row = parse(2, ['K1', 'Anna', '0721 1234567', 1234.5], [undefined, undefined, undefined, '"CHF "#,##0.00']);
    expect(row.case).toMatchObject({ amountCents: 123450, currency: 'CHF' });
  });
});

describe('the amount still open', () => {
  it('is dunned, not the gross claim: Rechnungsbetrag | Forderung | Zahlungseingang | Restschuld', async () => {
    const cases: ParsedCase[] = [];
    async function* rows(): AsyncGenerator<RawRow> {
      yield { rowNumber: 1, cells: ['Kd-Nr.', 'Name', 'Telefon', 'Rechnungsbetrag', 'Forderung', 'Zahlungseingang', 'Restschuld'] };
      yield { rowNumber: 2, cells: ['K1', 'Anna', '0721 1234567', 1000, 1050, 800, 250] };
    }
    const report = await parseList(rows(), DE, (c) => void cases.push(c));
    expect(report.columns.amount).toBe('Restschuld');
    expect(cases[0]).toMatchObject({ amountCents: 25000, extra: { Rechnungsbetrag: '1000', Forderung: '1050', Zahlungseingang: '800' } });
  });
});

describe('formula dates of a 1904 workbook', () => {
  const rows = (date1904: boolean): RawRow[] => [{ rowNumber: 1, cells: HEADER, ...(date1904 ? { date1904: true } : {}) }];
  // =E2+30 whose saved result is 44844 in a 1904 workbook: 11.10.2026 (10.10.2022 counted from 1900).
  const cells = ['K1', 'Anna', '0721 1234567', 10, { formula: 'E2+30', result: 44844 }];
  const formats = [undefined, undefined, undefined, undefined, 'dd.mm.yyyy'];

  it('counts a formula result in a date format from 1904 where the reader marks the workbook so', () => {
    const row = parser(rows(true))(2, cells, formats);
    expect(row.source[4]).toEqual({ d: '2026-10-11' });
    expect(row.case?.extra).toEqual({ Fällig: '11.10.2026' });
  });

  it('counts it from 1900 otherwise', () => {
    expect(parser(rows(false))(2, cells, formats).source[4]).toEqual({ d: '2022-10-10' });
  });
});

describe('an amount formula whose result exceljs drops', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('reads =100-100 saved by Excel (<v>0</v>) as a formula without a result: exceljs keeps no trace of the 0', async () => {
    const path = tmp.file('zero.xlsx');
    const header = HEADER.slice(0, 4).map((h, i) => `<c r="${'ABCD'[i]}1" t="inlineStr"><is><t>${h}</t></is></c>`).join('');
    const data = '<c r="A2" t="inlineStr"><is><t>K1</t></is></c><c r="B2" t="inlineStr"><is><t>Anna</t></is></c>' +
      '<c r="C2" t="inlineStr"><is><t>0721 1234567</t></is></c><c r="D2"><f>100-100</f><v>0</v></c>';
    writeFileSync(path, excelLikeXlsx({ sheets: [{ name: 'Liste', rowsXml: `<row r="1">${header}</row><row r="2">${data}</row>` }] }));
    const read = await collect(readFirstSheet({ path }, 'xlsx', { maxRows: 10, maxUncompressedBytes: 1_000_000 }));
    expect(read[1]!.cells[3]).toEqual({ formula: '100-100' });

    const refused: Rejection[] = [];
    const cases: ParsedCase[] = [];
    await parseList((async function* () { yield* read; })(), DE, (c) => void cases.push(c), (r) => void refused.push(...r.rejections));
    expect(cases).toEqual([]);
    // Not "open it in Excel and save it again", which cannot help.
    expect(refused).toEqual([
      { row: 2, column: 'Betrag', value: '', reason: 'formula without a saved result, or with a result of 0 or empty: enter the amount as a value instead of the formula' },
    ]);
  });
});

describe('a phone Excel stored as a number, of a customer whose address names the country', () => {
  it.each([
    ['14467', 'Potsdam', 33197761234, '+4933197761234'],
    ['25813', 'Husum', 48411234567, '+4948411234567'],
  ])('%s %s: %d is read as a German number (its lost 0), not a neighbour’s', (postalCode, town, phone, e164) => {
    const parse = createRowParser({ header: findHeaderRow([{ rowNumber: 1, cells: ['Kd-Nr.', 'Name', 'Telefon', 'Betrag', 'PLZ', 'Ort'] }]), ...DE });
    const row = parse(2, ['K1', 'Anna', phone, 10, postalCode, town], []);
    expect(row.case).toMatchObject({ country: 'DE', phoneE164: e164 });
  });
});
