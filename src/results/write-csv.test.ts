import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toSourceCell, type SourceCell, type SourceColumn } from '../lists/import/source-cells.js';
import { writeCsv } from './write-csv.js';

async function csvRows(columns: SourceColumn[], rows: SourceCell[][], decimal: ',' | '.' = ','): Promise<string[][]> {
  const chunks: Buffer[] = [];
  const out = new Writable({ write: (chunk: Buffer, _e, cb) => void (chunks.push(chunk), cb()) });
  await writeCsv(out, { name: 'Ergebnisliste', columns, rows: async function* () { yield rows; } }, decimal);
  return parse(Buffer.concat(chunks).toString('utf8'), { delimiter: ';', bom: true });
}

describe('writeCsv', () => {
  it('keeps the leading zeros a number format gave the client’s cells, and writes other numbers and dates plainly', async () => {
    const formats = ['00000', '000000', '#,##0.00', 'dd.mm.yyyy', undefined, '0'];
    const columns = ['PLZ', 'Kundennummer', 'Mahnsumme', 'Fällig', 'Konto', 'Menge'].map((header, i) => ({ header, numFmt: formats[i] }));
    const cells = [1067, 123, 2372.25, 46276, 1067, 7].map((v, i) => toSourceCell(v, formats[i]));
    const rows = await csvRows(columns, [cells, [123456, 1234567, -12.5, null, 0, 0]]);
    expect(rows.slice(1)).toEqual([
      ['01067', '000123', '2372,25', '11.09.2026', '1067', '7'],
      ['123456', '1234567', '-12,5', '', '0', '0'],
    ]);
  });

  it('writes Excel’s error values as they are, and any other text of an error cell neutralised, also one stored unchecked', async () => {
    const crafted = '=HYPERLINK("http://x","y")';
    expect(toSourceCell({ error: '#N/A' })).toEqual({ e: '#N/A' });
    expect(toSourceCell({ error: crafted })).toBe(crafted);
    const rows = await csvRows([{ header: 'A' }, { header: 'B' }, { header: 'C' }], [[{ e: '#DIV/0!' }, { e: crafted }, toSourceCell({ error: crafted })]]);
    expect(rows[1]).toEqual(['#DIV/0!', `'${crafted}`, `'${crafted}`]);
  });

  it('writes a fraction in a zero-padded column as its value, with the client’s decimal separator', async () => {
    expect((await csvRows([{ header: 'PLZ', numFmt: '00000' }], [[1067.5]], '.'))[1]).toEqual(['1067.5']);
  });
});
