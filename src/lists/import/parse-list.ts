import { findHeaderRow, HEADER_SEARCH_ROWS, type CaseField, type HeaderRow } from './headers.js';
import { ImportFileError } from './import-file-error.js';
import { createRowParser, type ParsedCase, type Rejection, type RowResult } from './parse-row.js';
import { homeCurrency } from './normalise.js';
import type { RawRow } from './read-xlsx.js';
import type { SourceCell, SourceColumn } from './source-cells.js';
import type { SkippedSheet } from './choose-sheet.js';
import type { CountrySource } from './country.js';

export type { ParsedCase, Rejection } from './parse-row.js';

/** A refused row as delivered, so the client can correct and resend it. */
export interface RejectedRow {
  rowNumber: number;
  source: SourceCell[];
  rejections: Rejection[];
}

/** The report keeps the first this many rejections (plus the total count): enough to fix a file, small enough for a jsonb column and a response. */
export const MAX_REPORTED_REJECTIONS = 1000;

export interface ImportReport {
  /** Rows that became cases (`onRow` was called for each). */
  accepted: number;
  /** Problems found, at most `MAX_REPORTED_REJECTIONS`, in row order; a row may have several. */
  rejected: Rejection[];
  /** Rows refused (each row counts once, also beyond the reported list). */
  rejectedRows: number;
  /** Whether `rejected` was cut short. */
  rejectedTruncated: boolean;
  /** Data rows below the header (= accepted + rejectedRows). */
  dataRows: number;
  /** Row number of the header row as the spreadsheet shows it. */
  headerRow: number;
  /** Field → the file's header text for each recognised column. */
  columns: Partial<Record<CaseField, string>>;
  /** Headers of the columns kept as extras, in file order (the keys of `ParsedCase.extra`). */
  extraColumns: string[];
  /** Every column of the header row, in file order, with the number format of its first typed cell (`ParsedCase.source` follows it). */
  sourceColumns: SourceColumn[];
  /** Accepted rows per customer country (ISO-2), and how the country was found (`CountrySource` → rows). */
  countries: Record<string, { rows: number; by: Partial<Record<CountrySource, number>> }>;
  /** xlsx: the sheet the list was read from and the sheets skipped; null for CSV. */
  sheet: { name: string; skipped: SkippedSheet[] } | null;
}

export interface ParseListOptions {
  /** ISO-2 country for customers whose row names none (the client's country). */
  defaultCountry: string;
  /** ISO 4217 when neither a currency column, the amount nor its header say one. Default: the currency of `defaultCountry` (`homeCurrency`). */
  defaultCurrency?: string;
  /** Override `MAX_REPORTED_REJECTIONS`. */
  maxReportedRejections?: number;
}

/**
 * Turns the streamed rows of a client's list into cases: finds the header row among the first
 * rows, maps the columns, then validates and normalises row by row, calling `onRow` for every
 * accepted case and awaiting it (so a batching writer applies backpressure). Holds no rows,
 * only the set of customer numbers seen (the first of duplicates is kept, later ones are
 * rejected, also when the first was itself rejected for another reason).
 *
 * Throws `ImportFileError`: `no_header` (no recognisable header / empty sheet),
 * `missing_columns`, `no_data` (header but no data rows); plus whatever the row source throws
 * (a sheet of `openWorkbook`: corrupt, zip_bomb, too_many_rows, …). On a throw `onRow` may
 * already have been called for earlier rows: the caller's transaction decides what remains.
 */
export async function parseList(
  rows: AsyncIterable<RawRow>,
  options: ParseListOptions,
  onRow: (row: ParsedCase) => void | Promise<void>,
  onReject: (row: RejectedRow) => void | Promise<void> = () => {},
): Promise<ImportReport> {
  const iterator = rows[Symbol.asyncIterator]();
  try {
    const head: RawRow[] = [];
    while (head.length < HEADER_SEARCH_ROWS) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(next.value);
    }
    if (head.length === 0) throw new ImportFileError('no_header', 'The sheet is empty. Put the list with a header row on it.');
    const header = findHeaderRow(head);
    const state = new ListState(header, options);
    for (const row of head.slice(header.rowIndex + 1)) await state.add(row, onRow, onReject);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) await state.add(next.value, onRow, onReject);
    if (state.report.dataRows === 0) {
      throw new ImportFileError('no_data', `The list has a header in row ${header.rowNumber} but no data rows below it.`, { headerRow: header.rowNumber });
    }
    return state.finish();
  } finally {
    // Stop the source (close the file) when we end early, e.g. on a missing column.
    await iterator.return?.();
  }
}

class ListState {
  readonly report: ImportReport;
  private readonly seen = new Map<string, number>();
  private readonly parseRow: (rowNumber: number, cells: unknown[], formats?: (string | undefined)[]) => RowResult;
  private readonly maxReported: number;
  /** Number format per column: the first one seen. */
  private readonly formats: (string | undefined)[] = [];

  constructor(header: HeaderRow, options: ParseListOptions) {
    this.parseRow = createRowParser({ header, defaultCountry: options.defaultCountry.toUpperCase(), defaultCurrency: options.defaultCurrency ?? homeCurrency(options.defaultCountry) });
    this.maxReported = options.maxReportedRejections ?? MAX_REPORTED_REJECTIONS;
    const columns: Partial<Record<CaseField, string>> = {};
    for (const [field, index] of Object.entries(header.columns) as [CaseField, number][]) columns[field] = header.headers[index]?.trim() ?? '';
    this.report = {
      accepted: 0, rejected: [], rejectedRows: 0, rejectedTruncated: false, dataRows: 0,
      headerRow: header.rowNumber, columns, extraColumns: header.extras.map((e) => e.header),
      sourceColumns: header.headers.map((h) => ({ header: h })),
      countries: {},
      sheet: null,
    };
  }

  finish(): ImportReport {
    this.report.sourceColumns.forEach((column, i) => {
      const numFmt = this.formats[i];
      if (numFmt) column.numFmt = numFmt;
    });
    return this.report;
  }

  async add(row: RawRow, onRow: (row: ParsedCase) => void | Promise<void>, onReject: (row: RejectedRow) => void | Promise<void>): Promise<void> {
    this.report.dataRows++;
    if (row.formats) this.noteFormats(row.formats);
    const result = this.parseRow(row.rowNumber, row.cells, row.formats);
    const rejections = result.rejections ?? [];
    const { customerNo } = result;
    if (customerNo !== '') {
      const firstRow = this.seen.get(customerNo);
      if (firstRow === undefined) this.seen.set(customerNo, row.rowNumber);
      else {
        const column = this.report.columns.customerNo ?? 'customerNo';
        rejections.unshift({ row: row.rowNumber, column, value: customerNo, reason: `duplicate customer number (first in row ${firstRow})` });
      }
    }
    if (rejections.length > 0 || !result.case) {
      this.reject(rejections);
      return onReject({ rowNumber: row.rowNumber, source: result.source, rejections });
    }
    this.report.accepted++;
    const { country, countrySource } = result.case;
    const counted = (this.report.countries[country] ??= { rows: 0, by: {} });
    counted.rows++;
    counted.by[countrySource] = (counted.by[countrySource] ?? 0) + 1;
    await onRow(result.case);
  }

  private noteFormats(formats: (string | undefined)[]): void {
    const width = this.report.sourceColumns.length;
    for (let i = 0; i < Math.min(formats.length, width); i++) {
      if (this.formats[i] === undefined && formats[i] !== undefined) this.formats[i] = formats[i];
    }
  }

  private reject(rejections: Rejection[]): void {
    this.report.rejectedRows++;
    for (const r of rejections) {
      if (this.report.rejected.length < this.maxReported) this.report.rejected.push(r);
      else this.report.rejectedTruncated = true;
    }
  }
}
