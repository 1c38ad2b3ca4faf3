/** Fixture builders for the import tests: files are generated into a temp dir, never committed. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mahn-import-'));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A small workbook; rows are exceljs cell values, the first sheet is `Liste`. */
export async function writeXlsx(path: string, rows: unknown[][], extraSheets: string[] = []): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Liste');
  for (const row of rows) ws.addRow(row as ExcelJS.CellValue[]);
  for (const name of extraSheets) wb.addWorksheet(name).addRow(['other sheet']);
  await wb.xlsx.writeFile(path);
}

/** A large workbook written with the streaming writer (shared strings like Excel). */
export async function writeLargeXlsx(path: string, header: string[], rowCount: number, row: (i: number) => unknown[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('Liste');
  ws.addRow(header).commit();
  for (let i = 0; i < rowCount; i++) ws.addRow(row(i) as ExcelJS.CellValue[]).commit();
  ws.commit();
  await wb.commit();
}

export const STANDARD_HEADER = ['Kundennummer', 'Name', 'Straße', 'PLZ', 'Ort', 'Telefon', 'Offener Betrag (EUR)', 'Vertragskonto'];

export function standardRow(i: number): unknown[] {
  return [
    `K${100000 + i}`,
    `Müller-${i} Weiß`,
    `Hauptstraße ${(i % 200) + 1}`,
    String(10000 + (i % 89999)).padStart(5, '0'),
    'Karlsruhe',
    `0721 ${String(1000000 + (i % 8999999))}`,
    Math.round(((i * 37) % 500000) + 100) / 100,
    `VK-${i}`,
  ];
}

export function writeText(path: string, content: string | Buffer): void {
  writeFileSync(path, content);
}
