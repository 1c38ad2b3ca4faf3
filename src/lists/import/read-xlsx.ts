import { pipeline, type Readable } from 'node:stream';
import { joinInlineRuns } from './inline-runs.js';
import { fillMissingRefs } from './missing-refs.js';
import { loadExcelJS } from './load-exceljs.js';
import { ImportFileError } from './import-file-error.js';
import { openEntryText, readZipDirectory, zipBomb, type InflateBudget, type ZipArchive, type ZipEntry } from './zip-archive.js';

export interface RawRow {
  /** The row number as the spreadsheet shows it (1-based, title rows counted). */
  rowNumber: number;
  /** Cell values in column order (index 0 = column A); exceljs value shapes, `undefined` for empty. */
  cells: unknown[];
  /** xlsx: the number format of each numeric or date cell (`General` left out); CSV: none. */
  formats?: (string | undefined)[];
  /** xlsx: the workbook counts dates from 1904 (`<workbookPr date1904="1"/>`, old Mac Excel); left out otherwise. */
  date1904?: true;
}

/**
 * The parts of exceljs' streaming `WorkbookReader` used here. They are not in its typings:
 * we feed it the archive entries ourselves (see zip-archive.ts for why) and let it do the XML.
 * Pinned behaviour of exceljs 4.4; `assertReaderShape` fails loudly if an upgrade changes it.
 */
interface WorkbookReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<{ index: number; text: unknown }>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Iterable<{ eventType: string; value: AsyncIterable<ExcelRow> }>;
  workbookRels?: { Id: string; Target: string; Type?: string }[];
  /** `<workbookPr>`, as `_parseWorkbook` leaves it (its worksheet reader reads `date1904` there too). */
  properties?: { model?: { date1904?: boolean } };
  model?: { sheets?: { name?: string; rId?: string; state?: string }[] };
}

interface ExcelRow {
  number: number;
  /** exceljs' sparse cells, index = column − 1 (what its `values` getter reads too). */
  _cells: (ExcelCell | undefined)[];
}

interface ExcelCell {
  value: unknown;
  style?: { numFmt?: string };
}

/**
 * A zip bomb gains nothing from compressing well-behaved XML: real sheets compress 5–30×.
 * Only entries that declare more than `RATIO_MIN_BYTES` are checked, so tiny, very regular
 * parts (styles, an empty sheet) never trip it.
 */
export const MAX_COMPRESSION_RATIO = 200;
const RATIO_MIN_BYTES = 4 * 1024 * 1024;

/** One worksheet of a workbook, in tab order; `rows()` opens it anew each time. */
export interface XlsxSheet {
  name: string;
  hidden: boolean;
  rows(): AsyncGenerator<RawRow>;
}

/**
 * Opens a workbook: the ZIP directory, the workbook part, styles and shared strings (once, for
 * all sheets). With `lazyStrings` (the upload's check of the first rows), shared strings are read
 * only as far as the rows read need them (`SharedStrings`): a few hundred, not the whole part,
 * which took a second of a 100,000-row list's upload. A full read takes them all at once, which
 * costs less per string than resolving them row by row. The inflate budget is shared by
 * everything read from the file.
 */
export async function openXlsx(path: string, maxUncompressedBytes: number, lazyStrings = false): Promise<XlsxSheet[]> {
  const archive = await readZipDirectory(path);
  const parts = locateParts(archive);
  const budget: InflateBudget = { remaining: maxUncompressedBytes, limit: maxUncompressedBytes };
  const ExcelJS = await loadExcelJS();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    // Emitted, not cached, when lazy: cells of shared strings come as `{ sharedString: index }`.
    sharedStrings: lazyStrings ? 'emit' : 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as WorkbookReaderInternals;
  assertReaderShape(reader);

  const open = async (entry: ZipEntry) => openEntryText(path, archive, entry, budget);
  if (parts.rels) await reader._parseRels(await open(parts.rels));
  await reader._parseWorkbook(await open(parts.workbook));
  const sheets = worksheets(archive, reader);
  // exceljs counts date cells from 1904 in such a workbook, not formula results: the row parser does (toSourceCell).
  const date1904 = reader.properties?.model?.date1904 === true;
  precheckSizes([parts.sharedStrings, parts.styles], maxUncompressedBytes);
  if (parts.styles) await reader._parseStyles(await open(parts.styles));
  const strings = lazyStrings ? new SharedStrings(parts.sharedStrings ? async () => reader._parseSharedStrings(await open(parts.sharedStrings!)) : null) : null;
  if (!lazyStrings && parts.sharedStrings) {
    for await (const _ of reader._parseSharedStrings(await open(parts.sharedStrings))) void _;
  }
  return sheets.map(({ name, hidden, entry }) => ({
    name,
    hidden,
    rows: async function* () {
      precheckSizes([parts.sharedStrings, parts.styles, entry], maxUncompressedBytes);
      // pipeline: destroying the last stage (below) destroys the entry's stream too.
      const stream = pipeline(await open(entry), fillMissingRefs(), joinInlineRuns(), () => {});
      try {
        for (const { eventType, value } of reader._parseWorksheet(stream, sheetNumber(entry.name))) {
          if (eventType !== 'worksheet') continue;
          for await (const row of value) {
            if (strings) {
              const needed = lastSharedString(row);
              if (needed >= strings.loaded) await strings.readTo(needed);
            }
            yield rowOf(row, strings, date1904);
          }
        }
      } finally {
        // The consumer may stop early (row limit, error, break): release the files and inflaters.
        stream.destroy();
        await strings?.pause();
      }
    },
  }));
}

type StringEvents = AsyncGenerator<{ index: number; text: unknown }>;

/**
 * The workbook's shared strings, read in order as far as asked for. `pause` closes the part and
 * keeps what was read; reading on opens it again and skips the strings it has.
 */
class SharedStrings {
  readonly #texts: unknown[] = [];
  #events: StringEvents | null = null;
  #complete: boolean;

  constructor(private readonly openPart: (() => Promise<StringEvents>) | null) {
    this.#complete = openPart === null;
  }

  get loaded(): number {
    return this.#texts.length;
  }

  at(index: number): unknown {
    return this.#texts[index];
  }

  async readTo(index: number): Promise<void> {
    while (index >= this.#texts.length && !this.#complete) {
      this.#events ??= await this.openPart!();
      const next = await this.#events.next();
      if (next.done) {
        this.#complete = true;
        this.#events = null;
      } else if (next.value.index === this.#texts.length) this.#texts.push(next.value.text);
    }
  }

  async pause(): Promise<void> {
    const events = this.#events;
    this.#events = null;
    // Ends the generator, which ends its read of the part's stream.
    await events?.return(undefined);
  }
}

function locateParts(archive: ZipArchive) {
  const workbook = archive.entries.get('xl/workbook.xml');
  if (!workbook) {
    const binary = archive.entries.has('xl/workbook.bin');
    throw new ImportFileError(
      'not_spreadsheet',
      binary
        ? 'The file is an Excel binary workbook (.xlsb). Open it in Excel, save it as "Excel Workbook (*.xlsx)" and upload it again.'
        : 'The file is a ZIP archive but not an Excel workbook (no xl/workbook.xml). Allowed are .xlsx and .csv files.',
    );
  }
  return {
    workbook,
    rels: archive.entries.get('xl/_rels/workbook.xml.rels'),
    styles: archive.entries.get('xl/styles.xml'),
    sharedStrings: archive.entries.get('xl/sharedStrings.xml'),
  };
}

/**
 * The worksheets in the workbook's tab order with their names and whether they are hidden;
 * chart sheets are left out. Falls back to the sheet files by number when the workbook lacks
 * relationships (some generators).
 */
function worksheets(archive: ZipArchive, reader: WorkbookReaderInternals): Array<{ name: string; hidden: boolean; entry: ZipEntry }> {
  const rels = new Map((reader.workbookRels ?? []).map((r) => [r.Id, r.Target]));
  const listed = (reader.model?.sheets ?? [])
    .filter((s) => s !== undefined && s !== null)
    .map((s, i) => ({ name: s.name ?? `Tabelle${i + 1}`, hidden: s.state === 'hidden' || s.state === 'veryHidden', entry: archive.entries.get(resolveTarget(rels.get(s.rId ?? '') ?? '')) }))
    .filter((s): s is { name: string; hidden: boolean; entry: ZipEntry } => s.entry !== undefined && /(^|\/)worksheets\//.test(s.entry.name));
  if (listed.length) return listed;
  const files = [...archive.entries.values()]
    .filter((e) => /^xl\/worksheets\/[^/]+\.xml$/.test(e.name))
    .sort((a, b) => sheetNumber(a.name).localeCompare(sheetNumber(b.name), 'en', { numeric: true }));
  if (files.length === 0) throw new ImportFileError('no_header', 'The workbook contains no worksheet. Put the list on a worksheet and upload it again.');
  return files.map((entry, i) => ({ name: `Tabelle${i + 1}`, hidden: false, entry }));
}

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return `xl/${target.replace(/^\.\//, '')}`;
}

function sheetNumber(name: string): string {
  return /sheet(\d+)\.xml$/i.exec(name)?.[1] ?? name;
}

function precheckSizes(entries: (ZipEntry | undefined)[], limit: number): void {
  let declared = 0;
  for (const entry of entries) {
    if (!entry) continue;
    declared += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > RATIO_MIN_BYTES && ratio > MAX_COMPRESSION_RATIO) {
      throw new ImportFileError(
        'zip_bomb',
        `The workbook entry ${entry.name} is compressed ${Math.round(ratio)}:1 (more than ${MAX_COMPRESSION_RATIO}:1 is not a real list); the file was refused as a possible zip bomb.`,
        { entry: entry.name, ratio: Math.round(ratio) },
      );
    }
  }
  if (declared > limit) throw zipBomb(limit);
}

const isSharedString = (v: unknown): v is { sharedString: number } => typeof v === 'object' && v !== null && 'sharedString' in v;

/** The highest shared-string index the row's cells refer to, or -1. */
function lastSharedString(row: ExcelRow): number {
  let last = -1;
  for (const cell of row._cells) {
    const value = cell?.value;
    if (isSharedString(value) && value.sharedString > last) last = value.sharedString;
  }
  return last;
}

/** Values and number formats of an exceljs row, lazy shared strings resolved; holes become `undefined`. */
function rowOf(row: ExcelRow, strings: SharedStrings | null, date1904: boolean): RawRow {
  const source = row._cells;
  const cells: unknown[] = new Array(source.length);
  let formats: (string | undefined)[] | undefined;
  for (let i = 0; i < source.length; i++) {
    const cell = source[i];
    if (!cell) continue;
    const value = strings && isSharedString(cell.value) ? strings.at(cell.value.sharedString) : cell.value;
    cells[i] = value ?? undefined;
    const numFmt = cell.style?.numFmt;
    // Only where a format changes what the cell shows: numbers, dates and formula results.
    if (numFmt && numFmt !== 'General' && (typeof value === 'number' || (typeof value === 'object' && value !== null))) {
      (formats ??= [])[i] = numFmt;
    }
  }
  const raw: RawRow = formats ? { rowNumber: row.number, cells, formats } : { rowNumber: row.number, cells };
  if (date1904) raw.date1904 = true;
  return raw;
}

function assertReaderShape(reader: WorkbookReaderInternals): void {
  for (const method of ['_parseRels', '_parseWorkbook', '_parseStyles', '_parseSharedStrings', '_parseWorksheet'] as const) {
    if (typeof reader[method] !== 'function') {
      throw new Error(`exceljs WorkbookReader.${method} is missing: read-xlsx.ts depends on exceljs 4.4 internals, check the upgrade`);
    }
  }
}
