import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { ImportFileError } from './import-file-error.js';
import type { RawRow } from './read-xlsx.js';

export type CsvEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'cp1252';
export type CsvDelimiter = ';' | ',' | '\t';

/** One CSV record may not exceed this (a file without line breaks is not a list). */
const MAX_RECORD_CHARS = 1_000_000;
const SNIFF_BYTES = 64 * 1024;

/**
 * Streams a CSV file as rows. Encoding: a BOM decides (UTF-8, UTF-16 LE/BE — Excel's
 * "Unicode text"); otherwise the whole file is checked for valid UTF-8 in one streaming pass
 * and read as Windows-1252 if it is not (what German Excel writes for "CSV (Trennzeichen-
 * getrennt)"). Delimiter: Excel's `sep=;` first line if present, else the one of `;`, `,`, tab
 * that splits the first lines most consistently. Row numbers count every record, empty ones
 * too, as Excel would number the rows when it opens the file.
 */
export async function* readCsvRows(path: string): AsyncGenerator<RawRow> {
  const encoding = await detectEncoding(path);
  const head = await readHead(path, encoding);
  const sepLine = /^\uFEFF?sep=(.)\r?\n/i.exec(head);
  const delimiter = (sepLine?.[1] as CsvDelimiter | undefined) ?? detectDelimiter(head);

  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
    max_record_size: MAX_RECORD_CHARS,
    from_line: sepLine ? 2 : 1,
  });
  const source = pipeline(createReadStream(path), iconv.decodeStream(encoding), parser, () => {});
  let rowNumber = 0;
  try {
    for await (const record of source as AsyncIterable<string[]>) {
      rowNumber++;
      yield { rowNumber, cells: record.map(unwrapExcelText) };
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    const code = (err as CsvError).code;
    const why = code === 'CSV_MAX_RECORD_SIZE' ? `a row longer than ${MAX_RECORD_CHARS} characters` : (err as Error).message;
    throw new ImportFileError('corrupt', `The CSV file cannot be read near row ${rowNumber + 1}: ${why}.`, { row: rowNumber + 1 });
  } finally {
    source.destroy();
  }
}

/** Excel's trick to keep leading zeros in CSV: `="0721123456"`. */
function unwrapExcelText(value: string): string {
  const m = /^="(.*)"$/s.exec(value);
  return m ? (m[1] ?? '').replace(/""/g, '"') : value;
}

export async function detectEncoding(path: string): Promise<CsvEncoding> {
  const file = await open(path, 'r');
  try {
    const bom = Buffer.alloc(3);
    const { bytesRead } = await file.read(bom, 0, 3, 0);
    if (bytesRead >= 3 && bom[0] === 0xef && bom[1] === 0xbb && bom[2] === 0xbf) return 'utf8';
    if (bytesRead >= 2 && bom[0] === 0xff && bom[1] === 0xfe) return 'utf16le';
    if (bytesRead >= 2 && bom[0] === 0xfe && bom[1] === 0xff) return 'utf16be';
  } finally {
    await file.close();
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return 'utf8';
  } catch (err) {
    if (err instanceof TypeError) return 'cp1252';
    throw err;
  }
}

async function readHead(path: string, encoding: CsvEncoding): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(buf, 0, SNIFF_BYTES, 0);
    return iconv.decode(buf.subarray(0, bytesRead), encoding);
  } finally {
    await file.close();
  }
}

/**
 * For each candidate, count it per line (outside quotes) over the first 30 non-empty lines;
 * the winner is the one whose most frequent non-zero count occurs on the most lines, then the
 * one with more columns. German amounts (`1.234,56`) put commas on many lines of a `;` file,
 * but `;` still splits more lines into more columns.
 */
export function detectDelimiter(head: string): CsvDelimiter {
  const all = head.split(/\r?\n/);
  // The head may end inside a line; a missing last sample line does no harm.
  if (all.length > 1) all.pop();
  const lines = all
    .filter((l) => l.trim() !== '')
    .slice(0, 30)
    .map((l) => l.replace(/"[^"]*"/g, '""'));
  let best: { delimiter: CsvDelimiter; lines: number; columns: number } = { delimiter: ';', lines: 0, columns: 0 };
  for (const delimiter of [';', ',', '\t'] as const) {
    const counts = new Map<number, number>();
    for (const line of lines) {
      const n = line.split(delimiter).length - 1;
      if (n > 0) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    for (const [columns, lineCount] of counts) {
      if (lineCount > best.lines || (lineCount === best.lines && columns > best.columns)) {
        best = { delimiter, lines: lineCount, columns };
      }
    }
  }
  return best.delimiter;
}
