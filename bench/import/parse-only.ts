/**
 * Stage child: the import's own read and parse of the file — exceljs through `openXlsx`, header
 * matching, every cell normalised, phone numbers checked, one `ParsedCase` per row — with nothing
 * written (run compiled by `npm run bench:import`; alone: `npx tsx bench/import/parse-only.ts
 * <file.xlsx>`). The import's time beyond this is writing: the cases' insert, the call jobs,
 * the commit.
 */
import { DEFAULT_READ_LIMITS, readList } from '../../src/lists/import/index.js';
import { loadExcelJS } from '../../src/lists/import/load-exceljs.js';
import { defaultSchedulingSettings } from '../../src/scheduling/index.js';
import { emit, peakRssMb } from './measure.js';

const path = process.argv[2];
if (!path) throw new Error('usage: parse-only.ts <file.xlsx>');

// As the import: exceljs loaded before the clock starts, the bench client's default country.
await loadExcelJS();
const cpu = process.cpuUsage();
const start = performance.now();
let rows = 0;
let refused = 0;
await readList(
  { path },
  'xlsx',
  DEFAULT_READ_LIMITS,
  { defaultCountry: defaultSchedulingSettings.defaultCountry },
  () => {
    rows++;
  },
  () => {
    refused++;
  },
);
const ms = performance.now() - start;
const used = process.cpuUsage(cpu);
emit({ rows, refused, ms: Math.round(ms), cpuMs: Math.round((used.user + used.system) / 1000), rssMb: peakRssMb() });
