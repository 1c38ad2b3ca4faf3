import numfmt from 'numfmt';

/**
 * A cell of the client's file as it was delivered, kept for the result list (DESIGN.md
 * section 8: "the client's original columns … in their order") and shown on the agent's card.
 *
 * - text, numbers and booleans as they are (a formula as its saved result, never the formula);
 * - a date as `{ d: 'YYYY-MM-DD' }` or `{ d: 'YYYY-MM-DDTHH:MM[:SS]' }` (the wall-clock time
 *   Excel shows; spreadsheets have no time zones);
 * - an error value as `{ e: '#N/A' }`;
 * - `null` for an empty cell.
 *
 * JSON-safe, so it is stored as jsonb as it is.
 */
export type SourceCell = string | number | boolean | { d: string } | { e: string } | null;

/** A column of the client's file: its header text and the number format of its first typed cell. */
export interface SourceColumn {
  header: string;
  numFmt?: string;
}

/**
 * The delivered value of an exceljs cell (or a CSV string). `numFmt` is the cell's number
 * format: a formula whose saved result is a number in a date format is a date, counted from
 * 1904 in a `date1904` workbook (exceljs does that for date cells, which come as Dates, but
 * leaves formula results as the serial saved).
 */
export function toSourceCell(value: unknown, numFmt?: string, date1904 = false): SourceCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : storable(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return numFmt && isDateFormat(numFmt) ? { d: serialToIso(value, date1904) } : value;
  }
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { d: dateToIso(value) };
  if (typeof value !== 'object') return String(value);
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) return storable(v.richText.map((run) => (run as { text?: unknown }).text ?? '').join('')) || null;
  if ('formula' in v || 'sharedFormula' in v) return 'result' in v ? toSourceCell(v.result, numFmt, date1904) : null;
  if ('error' in v) return excelError(String(v.error));
  if ('hyperlink' in v || 'text' in v) return toSourceCell(v.text, numFmt, date1904);
  return null;
}

/** Excel's error values: a file's error cell holds any text, written back as an error cell only when it is one of these. */
const EXCEL_ERRORS = new Set(['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#SPILL!', '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!']);

/**
 * An error cell's text as a `SourceCell`: Excel's own error values as `{ e }`, anything else (a
 * crafted file's `=HYPERLINK(…)`) as text, which the result list neutralises like any text.
 */
export function excelError(text: string): SourceCell {
  return EXCEL_ERRORS.has(text) ? { e: text } : storable(text) || null;
}

/** What PostgreSQL can store: NUL dropped, a lone UTF-16 surrogate (a broken character) as U+FFFD. */
export function storable(text: string): string {
  return /[\u0000\p{Cs}]/u.test(text) ? text.replace(/\u0000/g, '').replace(/\p{Cs}/gu, '\uFFFD') : text;
}

/** Excel's locale-dependent built-in date formats (ids 14 and 22), which German Excel shows as below. */
const LOCALE_DATE_FORMATS = new Map([
  ['mm-dd-yy', 'dd.mm.yyyy'],
  ['m/d/yy', 'dd.mm.yyyy'],
  ['m/d/yy "h":mm', 'dd.mm.yyyy hh:mm'],
  ['m/d/yy h:mm', 'dd.mm.yyyy hh:mm'],
]);

/** The format German Excel would use to show a cell of this format. */
export function germanFormat(numFmt: string | undefined): string | undefined {
  if (!numFmt) return undefined;
  return LOCALE_DATE_FORMATS.get(numFmt) ?? numFmt;
}

/**
 * The cell as the client's file shows it in German Excel: `11.09.2026` for a date,
 * `2.372,25` for an amount formatted `#,##0.00`, `12345678` for a plain number.
 */
export function displayText(cell: SourceCell, numFmt?: string): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'boolean') return cell ? 'WAHR' : 'FALSCH';
  if (typeof cell === 'number') return formatNumber(cell, numFmt);
  if ('e' in cell) return cell.e;
  const format = germanFormat(numFmt);
  const fallback = cell.d.length > 10 ? 'dd.mm.yyyy hh:mm' : 'dd.mm.yyyy';
  return safeFormat(format && isDateFormat(format) ? format : fallback, isoToSerial(cell.d)) ?? cell.d;
}

function formatNumber(n: number, numFmt: string | undefined): string {
  const format = germanFormat(numFmt);
  if (format && format !== 'General' && !isDateFormat(format)) {
    const text = safeFormat(format, n);
    if (text !== null) return text.trim();
  }
  // General, as in a wide enough column: no thousands separator and no exponent for account
  // numbers; Excel's 15 significant digits for fractions.
  if (Number.isSafeInteger(n)) return String(n);
  return safeFormat('General', Number(n.toPrecision(15))) ?? String(n);
}

function safeFormat(format: string, value: number): string | null {
  try {
    return numfmt.format(format, value, { locale: 'de', throws: false, nbsp: false });
  } catch {
    return null;
  }
}

export function isDateFormat(numFmt: string): boolean {
  try {
    return numfmt.isDateFormat(numFmt);
  } catch {
    return false;
  }
}

const DAY_MS = 86_400_000;
/** Excel's day 0 (1899-12-30, counting its 1900 leap-year bug) in Unix milliseconds. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** Day 0 of a `date1904` workbook: 1462 days later. */
const EXCEL_1904_EPOCH_MS = Date.UTC(1904, 0, 1);

/** exceljs builds dates from serials as UTC, so the UTC fields are Excel's wall clock. */
function dateToIso(d: Date): string {
  const iso = d.toISOString();
  const time = iso.slice(11, 19);
  if (time === '00:00:00') return iso.slice(0, 10);
  return `${iso.slice(0, 10)}T${time.endsWith(':00') ? time.slice(0, 5) : time}`;
}

function serialToIso(serial: number, date1904: boolean): string {
  const epoch = date1904 ? EXCEL_1904_EPOCH_MS : EXCEL_EPOCH_MS;
  return dateToIso(new Date(Math.round((epoch + serial * DAY_MS) / 1000) * 1000));
}

/** `2026-09-11` or `2026-09-11T08:30[:15]` as a UTC Date (the wall clock, for Excel). */
export function isoToDate(iso: string): Date {
  return new Date(`${iso.length === 10 ? `${iso}T00:00:00` : iso}Z`);
}

function isoToSerial(iso: string): number {
  return (isoToDate(iso).getTime() - EXCEL_EPOCH_MS) / DAY_MS;
}
