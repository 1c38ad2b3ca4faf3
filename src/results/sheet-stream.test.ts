import { EventEmitter } from 'node:events';
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES } from './gather-chunks.js';
import { withBackpressure } from './sheet-stream.js';

/** The two exceljs internals `withBackpressure` replaces and uses, recording what reaches the zip. */
function fakeWriter() {
  const appended: NodeJS.ReadableStream[] = [];
  const writer = { _openStream: (_path: string): NodeJS.EventEmitter => new EventEmitter(), zip: { append: (source: NodeJS.ReadableStream) => void appended.push(source) } };
  withBackpressure(writer as unknown as ExcelJS.stream.xlsx.WorkbookWriter);
  return { open: () => writer._openStream('xl/worksheets/sheet1.xml') as NodeJS.WritableStream & NodeJS.EventEmitter, appended };
}

describe('sheet streams', () => {
  it('hand the zip exceljs’ rows gathered into large chunks, every byte in order, and say when they are zipped', async () => {
    const { open, appended } = fakeWriter();
    const sheet = open();
    expect(appended).toEqual([sheet]);
    const chunks: Buffer[] = [];
    (sheet as unknown as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));

    // exceljs writes its own string buffers (`StringBuf`, with `toBuffer`) and plain Buffers, a row at a time.
    const rows = Array.from({ length: 5000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>Zeile ${i}</t></is></c></row>`);
    rows.forEach((row, i) => sheet.write(i % 2 ? Buffer.from(row) : ({ toBuffer: () => Buffer.from(row) } as unknown as Buffer)));
    sheet.end();
    // exceljs waits for 'zipped' before it finishes the workbook: never sent, the download would hang.
    await new Promise((resolve) => sheet.on('zipped', resolve));

    expect(Buffer.concat(chunks).toString()).toBe(rows.join(''));
    const total = Buffer.byteLength(rows.join(''));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(total / CHUNK_BYTES));
    expect(chunks.slice(0, -1).every((c) => c.length >= CHUNK_BYTES)).toBe(true);
  });
});
