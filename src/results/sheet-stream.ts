import type ExcelJS from 'exceljs';
import { GatherChunks } from './gather-chunks.js';

/**
 * exceljs' streaming writer feeds each sheet's XML into its own `StreamBuf`, which hands it to
 * the zip without ever reporting backpressure: when the deflater or the download is slower
 * than the rows come, the whole sheet piles up in memory (200 MB for a 100,000-case list).
 * Here each sheet gets a stream of its own instead (exceljs 4.4's `_openStream`, checked
 * below), so the writer can wait for `drain` after each page. exceljs writes a row at a time,
 * in its own string buffers (`StringBuf`), which are turned into Buffers and gathered into
 * large chunks for the zip, as its `StreamBuf` does.
 */
class SheetStream extends GatherChunks {
  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const data = chunk !== null && typeof chunk === 'object' && !Buffer.isBuffer(chunk) && 'toBuffer' in chunk ? (chunk as { toBuffer(): Buffer }).toBuffer() : chunk;
    return (super.write as (...args: unknown[]) => boolean)(data, encoding, callback);
  }
}

interface WriterInternals {
  _openStream?: (path: string) => NodeJS.EventEmitter;
  zip: { append(source: NodeJS.ReadableStream, data: { name: string }): void };
}

export function withBackpressure(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const internals = workbook as unknown as WriterInternals;
  if (typeof internals._openStream !== 'function' || typeof internals.zip?.append !== 'function') {
    throw new Error('exceljs WorkbookWriter._openStream is missing: sheet-stream.ts depends on exceljs 4.4 internals, check the upgrade');
  }
  internals._openStream = (path) => {
    const stream = new SheetStream();
    internals.zip.append(stream, { name: path });
    // exceljs waits for 'zipped' before it finishes the workbook, as with its own stream.
    stream.on('finish', () => stream.emit('zipped'));
    return stream;
  };
}

/** The sheet's stream once exceljs opened it (after the first row was committed). */
export function sheetStream(ws: ExcelJS.Worksheet): GatherChunks {
  return (ws as unknown as { stream: GatherChunks }).stream;
}
