/**
 * Import benchmark (DESIGN.md section 13): a 100,000-row, 8-column `.xlsx` imported and enqueued
 * in ≤ 2× the time of a bare exceljs streaming read of the same file, ≥ 20,000 rows/s in any
 * case, peak RSS ≤ 300 MB.
 *
 *   npm run bench:import                    # 100,000 rows
 *   npm run bench:import -- --quick         # 20,000 rows (< 90 s), the same JSON line
 *   npm run bench:import -- --rows 10000    # any size
 *   npm run bench:import -- --cpu-prof      # also CPU-profile the timed part of the (first) import
 *   npm run bench:import -- --repeat 3      # three rounds of bare read, parse, import; the round with the median ratio is reported
 *
 * The file is generated once into the temp dir. The bare read, the import's read and parse alone
 * (no writes: how much of the import is parsing, how much writing) and the import each run in a fresh
 * child process, so each peak RSS is its own, on the compiled code (`npm run build` first) with
 * the workers' V8 flags, as production runs them. The import child gets its own database and BullMQ
 * prefix (dropped and deleted afterwards, also when it fails), uploads the file with `uploadList`
 * and runs the `imports` job's `runImport` directly, and is timed until the list is `active`;
 * then it checks one open case and one call job per row. Prints one JSON line, then a summary;
 * exits 1 when a target is missed or the check fails.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchList } from './import/make-list.js';
import { dropScratch, newScratch } from './import/scratch.js';
import { build, compiledBenchModules, nodeArgsOf } from './npm-script.js';

const TARGETS = { ratioMax: 2, minRowsPerSec: 20_000, rssMaxMb: 300 };

const { values: args } = parseArgs({ options: { rows: { type: 'string' }, quick: { type: 'boolean', default: false }, 'cpu-prof': { type: 'boolean', default: false }, repeat: { type: 'string', default: '1' } } });
args.rows ??= args.quick ? '20000' : '100000';
const rows = Number(args.rows);
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive whole number, got "${args.rows}"`);
const repeat = Number(args.repeat);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive whole number, got "${args.repeat}"`);

const repo = fileURLToPath(new URL('..', import.meta.url));

/** The V8 flags production gives the workers process (which imports), for both children alike. */
const v8Flags = nodeArgsOf('start:workers').filter((a) => a.startsWith('--max-old-space-size') || a.startsWith('--max-semi-space-size'));

/** Runs a compiled child script with plain node, as production runs; its result is the last stdout line (JSON). stderr passes through. */
function runChild(script: string, argv: string[]): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...v8Flags, script, ...argv], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    p.on('error', reject);
    p.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve({ exitCode: code, ...JSON.parse(last) });
      } catch {
        reject(new Error(`${script} exited with ${code} without a result:\n${out.slice(-2000)}`));
      }
    });
  });
}

const perSec = (n: number, ms: number) => Math.round((n / ms) * 1000);

const file = await benchList(rows);
build();
const [bareRead, parseOnly, realImport] = compiledBenchModules(['import/bare-read.ts', 'import/parse-only.ts', 'import/real-import.ts', 'import/measure.ts', 'import/scratch.ts', 'cpu-profile.ts', 'dispatch/processes.ts', 'dispatch/stats.ts']) as [string, string, string];
/**
 * One bare read, the import's read and parse without writes, then one import, right after each
 * other: the pair's ratio is measured on the machine as it was then, and the parse tells how much
 * of the import is reading and parsing and how much writing.
 */
async function measurePair(profile: string | undefined) {
  const bare = await runChild(bareRead, [file]);
  if (bare.rows !== rows + 2) throw new Error(`the bare read saw ${bare.rows} rows, expected ${rows} data rows + title + header`);
  const parse = await runChild(parseOnly, [file]);
  if (parse.rows !== rows) throw new Error(`the parse accepted ${parse.rows} rows (refused ${parse.refused}), expected ${rows}`);
  const scratch = newScratch();
  let imp: Record<string, any>;
  try {
    imp = await runChild(realImport, [file, String(rows), scratch.database, scratch.prefix, ...(profile ? [profile] : [])]);
  } finally {
    // The child cleans up after itself; this catches a child that crashed or was killed.
    await dropScratch(scratch);
  }
  if (imp.error) throw new Error(`the import child failed:\n${imp.error}`);
  return { bare, parse, imp, ratio: Math.round((imp.ms / bare.ms) * 100) / 100 };
}

// The machine's speed can change by a third between runs: with --repeat, the pair with the median ratio is reported.
const profile = args['cpu-prof'] ? join(tmpdir(), `bench_import_${process.pid}.cpuprofile`) : undefined;
const pairs = [];
for (let i = 0; i < repeat; i++) pairs.push(await measurePair(i === 0 ? profile : undefined));
const { bare, parse, imp, ratio } = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor((pairs.length - 1) / 2)]!;
const importRowsPerSec = perSec(rows, imp.ms);
const pass = {
  ratio: ratio <= TARGETS.ratioMax,
  rowsPerSec: importRowsPerSec >= TARGETS.minRowsPerSec,
  rss: imp.rssMb <= TARGETS.rssMaxMb,
  verified: imp.problems.length === 0,
};
const result = {
  bench: 'import',
  rows,
  columns: 8,
  file,
  bareReadMs: bare.ms,
  bareCpuMs: bare.cpuMs,
  bareRowsPerSec: perSec(rows, bare.ms),
  bareRssMb: bare.rssMb,
  // Stage: the import's read and parse alone (no database, no Redis); not a target.
  parseOnlyMs: parse.ms,
  parseOnlyCpuMs: parse.cpuMs,
  parseOnlyRatio: Math.round((parse.ms / bare.ms) * 100) / 100,
  importMs: imp.ms,
  importCpuMs: imp.cpuMs,
  importRowsPerSec,
  importRssMb: imp.rssMb,
  importPeakMemory: imp.peakMemory,
  cpuCores: imp.cpuCores,
  importThreadBusyMs: imp.threadBusyMs,
  ratio,
  phases: { uploadMs: imp.uploadMs, readInsertEnqueueMs: imp.readInsertEnqueueMs, commitActivateMs: imp.commitActivateMs },
  verified: { cases: imp.cases, jobs: imp.jobs, queues: imp.queues, problems: imp.problems },
  targets: TARGETS,
  pass: { ...pass, all: Object.values(pass).every(Boolean) },
  ...(profile ? { cpuProfile: profile } : {}),
  ...(repeat > 1 ? { pairs: pairs.map((p) => ({ bareReadMs: p.bare.ms, parseOnlyMs: p.parse.ms, importMs: p.imp.ms, ratio: p.ratio })) } : {}),
};
console.log(JSON.stringify(result));

const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS');
console.log(`
import bench, ${rows.toLocaleString('en')} rows × 8 columns (${file})
  bare exceljs read  ${String(bare.ms).padStart(7)} ms (CPU ${bare.cpuMs} ms)  ${String(result.bareRowsPerSec).padStart(7)} rows/s  peak RSS ${bare.rssMb} MB
  read + parse only  ${String(parse.ms).padStart(7)} ms (CPU ${parse.cpuMs} ms)  ${String(perSec(rows, parse.ms)).padStart(7)} rows/s  peak RSS ${parse.rssMb} MB (${result.parseOnlyRatio}× the bare read; the import's own, nothing written)
  upload + import    ${String(imp.ms).padStart(7)} ms (CPU ${imp.cpuMs} ms)  ${String(importRowsPerSec).padStart(7)} rows/s  peak RSS ${imp.rssMb} MB (heap ≤ ${imp.peakMemory.heapMb} MB)
    upload ${imp.uploadMs} ms, read+parse+insert+enqueue ${imp.readInsertEnqueueMs} ms, last jobs+commit+activate ${imp.commitActivateMs} ms
${repeat > 1 ? `    pairs (bare read / parse only / import ms, ratio): ${result.pairs!.map((p) => `${p.bareReadMs} / ${p.parseOnlyMs} / ${p.importMs} ${p.ratio}`).join(', ')}; the median one is shown\n` : ''}    JavaScript thread busy ${imp.threadBusyMs} ms; cores busy meanwhile: ${Object.entries(imp.cpuCores as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(', ')} (of ${availableParallelism()})
  ${mark(pass.ratio)} ratio ${ratio} (≤ ${TARGETS.ratioMax})   ${mark(pass.rowsPerSec)} ${importRowsPerSec} rows/s (≥ ${TARGETS.minRowsPerSec})   ${mark(pass.rss)} RSS ${imp.rssMb} MB (≤ ${TARGETS.rssMaxMb})   ${mark(pass.verified)} ${imp.cases} cases, ${imp.jobs} jobs${imp.problems.length ? `: ${imp.problems.join('; ')}` : ''}${profile ? `\n  CPU profile of the timed part: ${profile} (open in Chrome DevTools)` : ''}`);
process.exitCode = result.pass.all ? 0 : 1;
