import { cellText } from './cell-text.js';
import { findHeaderRow, HEADER_SEARCH_ROWS } from './headers.js';
import { ImportFileError } from './import-file-error.js';
import type { RawRow } from './read-xlsx.js';
import type { Sheet } from './read-sheet.js';

/** A sheet that was not taken, and why. */
export interface SkippedSheet {
  name: string;
  /** `no_header`: no known column names in its first rows; `missing_columns`: some, but not the required ones; `fewer_rows`: another sheet with a header has more data rows, and all of this one's customers (a preview, an extract). */
  code: 'no_header' | 'missing_columns' | 'fewer_rows';
  /** Data rows below its header (`fewer_rows` only). */
  rows?: number;
}

export interface SheetChoice {
  sheet: Sheet;
  skipped: SkippedSheet[];
}

/**
 * The sheet that holds the list: the first (in tab order) whose first rows hold a header row
 * with the required columns; where several do, the one with the most data rows (the first of
 * equals) when it holds every customer of the others (they are a preview or an extract of it);
 * otherwise they are several lists (`Deutschland`, `Österreich`), and the file is refused
 * (`several_lists`) rather than some of its customers left out. Hidden sheets count only when no visible one qualifies. A cover page ("Info") or a notes sheet before the
 * list is skipped and named. When no sheet qualifies, the refusal of the sheet that came
 * closest (`missing_columns` before `no_header`) is thrown, naming the sheets read.
 */
export async function chooseListSheet(sheets: Sheet[]): Promise<SheetChoice> {
  const ordered = [...sheets.filter((s) => !s.hidden), ...sheets.filter((s) => s.hidden)];
  const candidates: Array<{ sheet: Sheet; headerRow: number; customerNo: number }> = [];
  const skipped: SkippedSheet[] = [];
  let closest: ImportFileError | null = null;
  for (const sheet of ordered) {
    // Hidden sheets (lookup tables, old versions) only when no visible sheet holds a list.
    if (sheet.hidden && candidates.length > 0) break;
    const head = await firstRows(sheet, HEADER_SEARCH_ROWS);
    try {
      if (head.length === 0) throw new ImportFileError('no_header', `The sheet${sheet.name ? ` "${sheet.name}"` : ''} is empty. Put the list with a header row on it.`);
      const header = findHeaderRow(head);
      candidates.push({ sheet, headerRow: header.rowNumber, customerNo: header.columns.customerNo! });
    } catch (err) {
      if (!(err instanceof ImportFileError) || (err.code !== 'no_header' && err.code !== 'missing_columns')) throw err;
      skipped.push({ name: sheet.name, code: err.code });
      // A sheet with some of the columns says more about what is wrong than an empty one.
      if (!closest || (err.code === 'missing_columns' && closest.code !== 'missing_columns')) closest = err;
    }
  }
  if (candidates.length === 1) return { sheet: candidates[0]!.sheet, skipped };
  if (candidates.length === 0) {
    const refusal = closest ?? new ImportFileError('no_header', 'The workbook contains no worksheet. Put the list on a worksheet and upload it again.');
    if (ordered.length <= 1) throw refusal;
    const names = ordered.map((s) => `"${s.name}"`).join(', ');
    throw new ImportFileError(refusal.code, `No sheet holds the list (read: ${names}). ${refusal.message}`, refusal.details);
  }

  const counted = [];
  for (const c of candidates) counted.push({ ...c, ...(await dataRows(c.sheet, c.headerRow, c.customerNo)) });
  const best = counted.reduce((a, b) => (b.rows > a.rows ? b : a));
  const others = counted.filter((c) => c !== best);
  const apart = others.filter((c) => [...c.customers].some((no) => !best.customers.has(no)));
  if (apart.length) {
    const names = [best, ...apart].map((c) => `"${c.sheet.name}" (${c.rows} rows)`).join(', ');
    throw new ImportFileError('several_lists', `Several sheets hold lists with different customers: ${names}. Upload one list per file (or put them on one sheet); none was imported.`, { sheets: [best, ...apart].map((c) => c.sheet.name) });
  }
  for (const c of others) skipped.push({ name: c.sheet.name, code: 'fewer_rows', rows: c.rows });
  return { sheet: best.sheet, skipped };
}

async function firstRows(sheet: Sheet, n: number): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const row of sheet.rows()) {
    rows.push(row);
    if (rows.length >= n) break;
  }
  return rows;
}

/** The data rows below the header, and the customer numbers among them. */
async function dataRows(sheet: Sheet, headerRow: number, customerNo: number): Promise<{ rows: number; customers: Set<string> }> {
  let rows = 0;
  const customers = new Set<string>();
  for await (const row of sheet.rows()) {
    if (row.rowNumber <= headerRow) continue;
    rows++;
    const no = cellText(row.cells[customerNo]);
    if (no) customers.add(no);
  }
  return { rows, customers };
}
