/**
 * Baseline child: a bare exceljs streaming read of the file, every row of the first sheet, as
 * the reference figure of DESIGN.md section 13 was taken (run compiled by `npm run bench:import`; alone: `npx tsx bench/import/bare-read.ts <file>`).
 */
import ExcelJS from 'exceljs';
import { emit, peakRssMb } from './measure.js';

const path = process.argv[2];
if (!path) throw new Error('usage: bare-read.ts <file.xlsx>');

const cpu = process.cpuUsage();
const start = performance.now();
let rows = 0;
const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' });
for await (const sheet of reader) {
  for await (const _row of sheet) rows++;
  break;
}
const ms = performance.now() - start;
const used = process.cpuUsage(cpu);
emit({ rows, ms: Math.round(ms), cpuMs: Math.round((used.user + used.system) / 1000), rssMb: peakRssMb() });
