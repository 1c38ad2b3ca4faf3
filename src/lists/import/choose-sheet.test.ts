import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseListSheet } from './choose-sheet.js';
import { ImportFileError } from './import-file-error.js';
import { readList } from './read-list.js';
import { openWorkbook } from './read-sheet.js';
import { tempDir } from './test-helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const LIMITS = { maxRows: 1000, maxUncompressedBytes: 10_000_000 };
const HEADER = ['Kundennummer', 'Name', 'Telefon', 'Betrag'];
const row = (i: number) => [`K${i}`, `Kunde ${i}`, `0721 ${1_000_000 + i}`, 10 + i];

/** A workbook of named sheets, each given as rows; `hidden` names the hidden ones. */
async function workbook(sheets: Record<string, unknown[][]>, hidden: string[] = []): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name, { state: hidden.includes(name) ? 'hidden' : 'visible' });
    for (const r of rows) ws.addRow(r as ExcelJS.CellValue[]);
  }
  const path = tmp.file(`${Object.keys(sheets).join('-')}-${Math.random().toString(36).slice(2)}.xlsx`);
  await wb.xlsx.writeFile(path);
  return path;
}

const listOf = (n: number) => [HEADER, ...Array.from({ length: n }, (_, i) => row(i))];
const choose = async (path: string) => chooseListSheet(await openWorkbook({ path }, 'xlsx', LIMITS));

describe('chooseListSheet', () => {
  it('skips a cover page before the list and names it', async () => {
    const path = await workbook({ Info: [['Mahnliste November'], ['Bitte bis 15.12. abarbeiten.']], Liste: listOf(3) });
    const choice = await choose(path);
    expect(choice.sheet.name).toBe('Liste');
    expect(choice.skipped).toEqual([{ name: 'Info', code: 'no_header' }]);
    const cases: string[] = [];
    const report = await readList({ path }, 'xlsx', LIMITS, { defaultCountry: 'DE' }, (c) => void cases.push(c.customerNo));
    expect(cases).toEqual(['K0', 'K1', 'K2']);
    expect(report.sheet).toEqual({ name: 'Liste', skipped: [{ name: 'Info', code: 'no_header' }] });
  });

  it('takes the sheet with the most data rows when several have a header', async () => {
    const choice = await choose(await workbook({ Vorschau: listOf(2), Gesamt: listOf(5), Alt: listOf(4) }));
    expect(choice.sheet.name).toBe('Gesamt');
    expect(choice.skipped).toEqual([
      { name: 'Vorschau', code: 'fewer_rows', rows: 2 },
      { name: 'Alt', code: 'fewer_rows', rows: 4 },
    ]);
  });

  it('refuses sheets that hold different customers (several lists), naming them, rather than leave some out', async () => {
    const other = [HEADER, ...Array.from({ length: 3 }, (_, i) => row(100 + i))];
    const err = await choose(await workbook({ Deutschland: listOf(5), Oesterreich: other })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as ImportFileError).code).toBe('several_lists');
    expect((err as ImportFileError).status).toBe(422);
    expect((err as ImportFileError).details).toEqual({ sheets: ['Deutschland', 'Oesterreich'] });
  });

  it('prefers a visible sheet, and falls back to a hidden one', async () => {
    expect((await choose(await workbook({ Daten: listOf(9), Liste: listOf(1) }, ['Daten']))).sheet.name).toBe('Liste');
    expect((await choose(await workbook({ Info: [['Hinweis']], Daten: listOf(2) }, ['Daten']))).sheet.name).toBe('Daten');
  });

  it('refuses a workbook where no sheet holds the list, naming the sheets and the closest miss', async () => {
    const path = await workbook({ Info: [['Hinweis']], Liste: [['Kundennummer', 'Name', 'Betrag'], ['K1', 'A', 5]] });
    const err = await choose(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as ImportFileError).code).toBe('missing_columns');
    expect((err as ImportFileError).message).toMatch(/^No sheet holds the list \(read: "Info", "Liste"\)\. Required column missing: .*phone/i);
    const empty = await choose(await workbook({ Eins: [], Zwei: [['nur Text']] })).catch((e: unknown) => e);
    expect((empty as ImportFileError).code).toBe('no_header');
  });
});
