import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { displayText, excelError, type SourceCell } from '../lists/import/source-cells.js';
import { neutralise } from './neutralise.js';
import { drained, type ResultSheet } from './sheet.js';

/**
 * Streams one sheet as CSV the way Excel in Germany and Switzerland opens it: UTF-8 with BOM,
 * `;` between fields, CRLF, quotes where needed. Numbers are written plainly with the decimal
 * separator of the client's country (`,` in Germany and Austria, `.` in Switzerland), dates as
 * `dd.mm.yyyy`, so Excel reads them back as numbers and dates. A whole number in a column whose
 * format pads it with zeros (a postcode `00000`, a customer number `000000`) is written as the
 * file showed it, `01067`: without the format the zeros would be lost.
 */
export async function writeCsv(out: Writable, sheet: ResultSheet, decimal: ',' | '.'): Promise<void> {
  // A field with a bare LF or CR (two notes, an address cell with Alt+Enter) quoted too: with a
  // record delimiter set, csv-stringify quotes only fields holding all of it (CRLF), and Excel
  // starts a new row at an unquoted LF.
  const csv = stringify({ delimiter: ';', bom: true, record_delimiter: 'windows', quote_record_delimiter: true });
  const done = pipeline(csv, out);
  try {
    csv.write(sheet.columns.map((c) => neutralise(c.header)));
    const padded = sheet.columns.map((c) => (zeroPadded(c.numFmt) ? c.numFmt : undefined));
    for await (const page of sheet.rows()) {
      for (const cells of page) csv.write(cells.map((cell, i) => csvText(cell, decimal, padded[i])));
      await drained(csv);
    }
    csv.end();
  } catch (err) {
    csv.destroy(err as Error);
  }
  await done;
}

/** Whether a number format shows leading zeros (`00000`): 1 is shown as `00001`. */
function zeroPadded(numFmt: string | undefined): boolean {
  return numFmt !== undefined && /^0+1$/.test(displayText(1, numFmt));
}

/** `paddedFormat`: the column's format when it is `zeroPadded` (checked once per column, not per cell). */
export function csvText(cell: SourceCell, decimal: ',' | '.', paddedFormat?: string): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return neutralise(cell);
  if (typeof cell === 'boolean') return cell ? 'WAHR' : 'FALSCH';
  if (typeof cell === 'number') {
    if (paddedFormat && Number.isSafeInteger(cell)) return displayText(cell, paddedFormat);
    const text = Number.isSafeInteger(cell) ? String(cell) : String(Number(cell.toPrecision(15)));
    return decimal === ',' ? text.replace('.', ',') : text;
  }
  // A value stored before error texts were checked at import (`excelError`) is checked here too.
  if ('e' in cell) {
    const checked = excelError(cell.e);
    return typeof checked === 'string' ? neutralise(checked) : checked === null ? '' : cell.e;
  }
  const [y, m, d] = cell.d.slice(0, 10).split('-');
  return `${d}.${m}.${y}${cell.d.length > 10 ? ` ${cell.d.slice(11, 16)}` : ''}`;
}
