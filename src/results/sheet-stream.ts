import { Transform, type TransformCallback } from 'node:stream';
import type ExcelJS from 'exceljs';

/**
 * exceljs' streaming writer feeds each sheet's XML into its own `StreamBuf`, which hands it to
 * the zip without ever reporting backpressure: when the deflater or the download is slower
 * than the rows come, the whole sheet piles up in memory (200 MB for a 100,000-case list).
 * Here each sheet gets a stream of its own instead (exceljs 4.4's `_openStream`, checked
 * below), so the writer can wait for `drain` after each page.
 *
 * exceljs writes a sheet a row at a time (its own string buffers, `StringBuf`, turned into
 * Buffers here). Handed on one by one, every row was a chunk of its own for the zip's deflater
 * and the stream machinery — more than half the download's CPU. They are gathered into chunks
 * of `CHUNK_BYTES` first, as exceljs' `StreamBuf` does.
 */
export const CHUNK_BYTES = 64 * 1024;

class SheetStream extends Transform {
  private parts: Buffer[] = [];
  private bytes = 0;

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const data = chunk !== null && typeof chunk === 'object' && !Buffer.isBuffer(chunk) && 'toBuffer' in chunk ? (chunk as { toBuffer(): Buffer }).toBuffer() : chunk;
    return (super.write as (...args: unknown[]) => boolean)(data, encoding, callback);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.parts.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes >= CHUNK_BYTES) this.pushParts();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.bytes > 0) this.pushParts();
    callback();
  }

  private pushParts(): void {
    this.push(this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.bytes));
    this.parts = [];
    this.bytes = 0;
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
export function sheetStream(ws: ExcelJS.Worksheet): Transform {
  return (ws as unknown as { stream: Transform }).stream;
}
