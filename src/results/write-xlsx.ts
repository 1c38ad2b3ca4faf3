import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { excelError, isDateFormat, isoToDate, type SourceCell } from '../lists/import/source-cells.js';
import { neutralise } from './neutralise.js';
import { drained, type ResultSheet } from './sheet.js';
import { sheetStream, withBackpressure } from './sheet-stream.js';

/**
 * Streams the sheets as one .xlsx into `out` (exceljs' streaming writer, inline strings): each
 * row is committed as it is written and each page waits until the sheet's zip entry and `out`
 * have drained, so a slow download holds the writer back instead of filling memory. Sheets
 * are written one after the other, as the zip stream needs them. Numbers, dates and booleans are typed
 * cells with the column's number format; text is never a formula (see `neutralise`).
 */
export async function writeXlsx(out: Writable, sheets: ResultSheet[]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Mahnanrufe';
  withBackpressure(workbook);
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({
      header: neutralise(c.header),
      width: Math.min(Math.max(c.header.length + 2, 12), 40),
      style: c.numFmt ? { numFmt: c.numFmt } : {},
    }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.commit();
    const dateColumn = sheet.columns.map((c) => c.numFmt !== undefined && isDateFormat(c.numFmt));
    for await (const page of sheet.rows()) {
      for (const cells of page) {
        const row = ws.addRow(cells.map(xlsxValue));
        cells.forEach((cell, i) => {
          // A date in a column without a date format (a legacy list): still shown as a date.
          if (cell !== null && typeof cell === 'object' && 'd' in cell && !dateColumn[i]) row.getCell(i + 1).numFmt = cell.d.length > 10 ? 'dd.mm.yyyy hh:mm' : 'dd.mm.yyyy';
        });
        row.commit();
      }
      await drained(sheetStream(ws));
      await drained(out);
    }
    ws.commit();
  }
  await workbook.commit();
}

function xlsxValue(cell: SourceCell): ExcelJS.CellValue {
  if (cell === null) return null;
  if (typeof cell === 'string') return neutralise(cell);
  if (typeof cell === 'number' || typeof cell === 'boolean') return cell;
  if ('d' in cell) return isoToDate(cell.d);
  // A value stored before error texts were checked at import (`excelError`) is checked here too.
  const checked = excelError(cell.e);
  if (checked === null || typeof checked === 'string') return checked && neutralise(checked);
  return { error: cell.e as ExcelJS.CellErrorValue['error'] };
}
