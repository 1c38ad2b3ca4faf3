/**
 * Measures reading + validating a large list (not the database part):
 *
 *   npx tsx examples/measure-import.ts [rows=100000]
 *
 * Writes a list like the sample (13 columns, shared strings) to the temp dir once, then times
 * a bare exceljs streaming read, the list's sheet (`openWorkbook`) alone, and it with `parseList`, each
 * in a fresh child process so peak RSS is per run. Prints one JSON line and a summary.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { openWorkbook, parseList } from '../src/lists/import/index.js';

const rows = Number(process.argv[2] ?? 100_000);
const mode = process.argv[3];
const path = join(tmpdir(), `mahnliste-${rows}.xlsx`);
const limits = { maxRows: 1_000_000, maxUncompressedBytes: 1024 * 1024 * 1024 };

async function writeList(): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('Mahnliste');
  ws.addRow(['Stadtwerke Muster GmbH – Mahnliste']).commit();
  ws.addRow(['Kunden-Nr.', 'Name', 'Straße', 'PLZ', 'Ort', 'Land', 'Telefon', 'Hauptforderung', 'Mahngebühren', 'Offener Betrag (EUR)', 'Vertragskonto', 'Fälligkeit', 'Mahnstufe']).commit();
  const cities = [['10115', 'Berlin', '030 23125'], ['60311', 'Frankfurt am Main', '069 90009'], ['20095', 'Hamburg', '040 66969'], ['50667', 'Köln', '0221 4710'], ['80331', 'München', '089 99998']] as const;
  for (let i = 0; i < rows; i++) {
    const [plz, city, prefix] = cities[i % cities.length]!;
    const principal = ((i * 7919) % 250_000) / 100 + 10;
    const row = ws.addRow([
      4_000_000 + i, `Kundin ${i} Müller-Weiß`, `Hauptstraße ${(i % 150) + 1}`, plz, city, '', `${prefix}${String(i % 1000).padStart(3, '0')}`,
      principal, 5, { formula: `H${i + 3}+I${i + 3}`, result: principal + 5 }, `2100${String(10_000_000 + i)}`, new Date(Date.UTC(2026, 8, (i % 28) + 1)), (i % 3) + 1,
    ]);
    row.getCell(12).numFmt = 'dd.mm.yyyy';
    row.commit();
  }
  ws.commit();
  await wb.commit();
}

async function measure(which: string): Promise<void> {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const start = performance.now();
  let count = 0;
  let report: unknown = null;
  if (which === 'bare') {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' });
    for await (const sheet of reader) {
      for await (const _ of sheet) count++;
      break;
    }
  } else if (which === 'read') {
    for await (const _ of (await openWorkbook({ path }, 'xlsx', limits))[0]!.rows()) count++;
  } else {
    const r = await parseList((await openWorkbook({ path }, 'xlsx', limits))[0]!.rows(), { defaultCountry: 'DE' }, () => void count++);
    report = { accepted: r.accepted, rejectedRows: r.rejectedRows };
  }
  const ms = performance.now() - start;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(JSON.stringify({ which, rows: count, ms: Math.round(ms), rowsPerSecond: Math.round((count / ms) * 1000), peakRssMb: Math.round(peak / 1e6), report }));
}

if (mode) await measure(mode);
else {
  if (!existsSync(path)) await writeList();
  const self = fileURLToPath(import.meta.url);
  const results = ['bare', 'read', 'parse'].map((m) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, String(rows), m], { encoding: 'utf8' }).trim().split('\n').pop()!));
  console.log(JSON.stringify({ bench: 'import-read-parse', file: path, results }));
  for (const r of results) console.log(`${r.which.padEnd(6)} ${String(r.rows).padStart(7)} rows  ${String(r.ms).padStart(6)} ms  ${String(r.rowsPerSecond).padStart(6)} rows/s  peak RSS ${r.peakRssMb} MB`);
}
