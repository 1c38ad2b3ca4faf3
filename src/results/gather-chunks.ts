import { Transform, type TransformCallback } from 'node:stream';

export const CHUNK_BYTES = 64 * 1024;

/**
 * Passes its bytes on in chunks of at least `CHUNK_BYTES` (the last one smaller), in order.
 * exceljs writes a result list's sheet a row at a time; handed on one by one, every row was a
 * chunk of its own for the zip's deflater and the stream machinery — more CPU than exceljs
 * took to write it. At most `CHUNK_BYTES` wait here, outside the stream's buffers, so
 * backpressure still reaches the writer.
 */
export class GatherChunks extends Transform {
  private parts: Buffer[] = [];
  private bytes = 0;

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    this.parts.push(data);
    this.bytes += data.length;
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
