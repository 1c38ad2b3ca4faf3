import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { SourceCell } from '../lists/import/source-cells.js';
import { writeXlsx } from './write-xlsx.js';

/** Waits until `f()` stops changing for 50 event-loop turns: the writer is blocked, not slow. */
async function settles(f: () => number): Promise<number> {
  let last = -1;
  let still = 0;
  while (still < 50) {
    await new Promise((r) => setImmediate(r));
    const now = f();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

describe('writeXlsx', () => {
  it('stops asking for pages while nobody reads the file, and finishes once somebody does', async () => {
    const PAGES = 200;
    let pulled = 0;
    // 100 rows of 1 KB of random (incompressible) text per page: 20 MB in all.
    const rows = async function* () {
      for (let p = 0; p < PAGES; p++) {
        pulled++;
        yield Array.from({ length: 100 }, (): SourceCell[] => [randomBytes(512).toString('hex')]);
      }
    };
    const out = new PassThrough();
    const writing = writeXlsx(out, [{ name: 'Ergebnisliste', columns: [{ header: 'Text' }], rows }]);
    const blockedAt = await settles(() => pulled);
    expect(blockedAt).toBeGreaterThan(0);
    expect(blockedAt).toBeLessThan(20); // at most a couple of MB in flight, not the whole list

    let bytes = 0;
    await Promise.all([
      writing,
      pipeline(out, new Writable({ write: (chunk: Buffer, _e, cb) => void ((bytes += chunk.length), cb()) })),
    ]);
    expect(pulled).toBe(PAGES);
    expect(bytes).toBeGreaterThan(10_000_000);
  });
});

describe('writeXlsx error cells', () => {
  it('writes Excel’s error values as error cells, and any other text of an error cell as neutralised text', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const chunks: Buffer[] = [];
    const out = new Writable({ write: (chunk: Buffer, _e, cb) => void (chunks.push(chunk), cb()) });
    const crafted = '=HYPERLINK("http://x","y")';
    const rows = async function* () {
      yield [[{ e: '#N/A' }, { e: crafted }] as SourceCell[]];
    };
    await writeXlsx(out, [{ name: 'Ergebnisliste', columns: [{ header: 'A' }, { header: 'B' }], rows }]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const row = book.worksheets[0]!.getRow(2);
    expect(row.getCell(1).value).toEqual({ error: '#N/A' });
    expect(row.getCell(2).value).toBe(`'${crafted}`);
  });
});
