import { stat } from 'node:fs/promises';
import { cellValue } from './cell-text.js';
import type { FileKind } from './file-kind.js';
import { ImportFileError } from './import-file-error.js';
import { readCsvRows } from './read-csv.js';
import { openXlsx, type RawRow } from './read-xlsx.js';
import { formatBytes } from './zip-archive.js';

export type { RawRow } from './read-xlsx.js';

export interface ReadLimits {
  /** Most non-empty rows read from the sheet, title and header rows included. */
  maxRows: number;
  /** xlsx: most bytes inflated from the archive (workbook, styles, shared strings, the sheet together). CSV: most file bytes. */
  maxUncompressedBytes: number;
}

/** Suggested limits: 200,000 rows; 256 MB of XML (a 100,000-row, 12-column sheet inflates to ~60 MB). */
export const DEFAULT_READ_LIMITS: ReadLimits = { maxRows: 200_000, maxUncompressedBytes: 256 * 1024 * 1024 };

/** A sheet of the uploaded file (a CSV file is one sheet without a name). */
export interface Sheet {
  name: string;
  hidden: boolean;
  /**
   * Its non-empty rows, one at a time, from the top; memory stays flat however long the list
   * is. Each call starts again. Throws (from the iteration) `ImportFileError`: `corrupt` for a
   * damaged archive or XML, `zip_bomb` when inflation exceeds `maxUncompressedBytes` or an entry
   * its declared size, `too_many_rows` on row `maxRows + 1`, `too_large` for an oversized CSV,
   * `not_spreadsheet` for a ZIP that is no workbook. Never an unhandled rejection: errors of the
   * underlying streams surface here.
   */
  rows(): AsyncGenerator<RawRow>;
}

/**
 * The sheets of an uploaded `.xlsx` in tab order (chart sheets left out), or the one "sheet"
 * of a CSV file. Opening reads the workbook part, styles and shared strings (bounded by
 * `maxUncompressedBytes`), not the sheets; with `headOnly` shared strings only as far as the rows
 * read need them (see `openXlsx`). Which sheet holds the list is `chooseListSheet`'s call.
 */
export async function openWorkbook(input: { path: string }, kind: FileKind, limits: ReadLimits, headOnly = false): Promise<Sheet[]> {
  try {
    if (kind === 'csv') {
      const { size } = await stat(input.path);
      if (size > limits.maxUncompressedBytes) {
        throw new ImportFileError('too_large', `The CSV file is ${formatBytes(size)}; at most ${formatBytes(limits.maxUncompressedBytes)} are allowed. Split the list.`);
      }
      return [{ name: '', hidden: false, rows: () => limitedRows(() => readCsvRows(input.path), limits) }];
    }
    const sheets = await openXlsx(input.path, limits.maxUncompressedBytes, headOnly);
    return sheets.map((sheet) => ({ name: sheet.name, hidden: sheet.hidden, rows: () => limitedRows(() => sheet.rows(), limits) }));
  } catch (err) {
    throw fileError(err);
  }
}

async function* limitedRows(source: () => AsyncGenerator<RawRow>, limits: ReadLimits): AsyncGenerator<RawRow> {
  let count = 0;
  try {
    for await (const row of source()) {
      if (isEmptyRow(row.cells)) continue;
      if (++count > limits.maxRows) {
        throw new ImportFileError(
          'too_many_rows',
          `The sheet has more than ${limits.maxRows} rows (row ${row.rowNumber} is one too many). Split the list into files of at most ${limits.maxRows} rows.`,
          { maxRows: limits.maxRows },
        );
      }
      yield row;
    }
  } catch (err) {
    throw fileError(err);
  }
}

/** Operating-system errors (missing file, permissions) are the server's problem, not the file's. */
function fileError(err: unknown): unknown {
  return err instanceof Error && 'syscall' in err ? err : asImportError(err);
}

function isEmptyRow(cells: unknown[]): boolean {
  for (const cell of cells) {
    const v = cellValue(cell);
    if (v !== null && (typeof v === 'number' || v.trim() !== '')) return false;
  }
  return true;
}

/** Anything the readers throw that is not already ours is a damaged file (XML, deflate, CSV). */
function asImportError(err: unknown): ImportFileError {
  if (err instanceof ImportFileError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new ImportFileError('corrupt', `The file is damaged and cannot be read (${reason.slice(0, 200)}). Open it in Excel, save it again and upload it again.`, { reason: reason.slice(0, 200) });
}
