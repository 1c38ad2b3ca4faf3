/**
 * Result-list benchmark (DESIGN.md section 13): a 100,000-case list streamed as `.xlsx` by the
 * API in ≤ 2× the time of a bare exceljs streaming write of the same cells, the API's RSS
 * growing ≤ 100 MB while it streams.
 *
 *   npm run bench:results                     # 100,000 cases
 *   npm run bench:results -- --quick          # 20,000 cases, well under 90 s
 *   npm run bench:results -- --cases 50000
 *   npm run bench:results -- --repeat 3       # three rounds of download and bare write; the round with the median ratio is reported
 *
 * A scratch database gets a completed list (cases with their cells as delivered, 1.5 attempts
 * per case on average). The API runs as a child process (`src/server.ts`); the bench logs in,
 * downloads `GET /api/lists/:id/results.xlsx` to a file, timing it to the last byte and sampling
 * the API's resident set every 20 ms, then counts the rows of the file. Before the clock starts
 * it downloads a one-case list's result list, so the API has exceljs loaded as the baseline has:
 * that writes the same three sheets with exceljs alone in another child. Prints one JSON line, then a summary;
 * exits 1 when a target is missed or the file is incomplete.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { openDatabase } from '../src/db/client.js';
import { createScratchDatabase, dropScratch, newScratch, REDIS_URL } from './import/scratch.js';
import { build, nodeArgsOf } from './npm-script.js';
import { BENCH_USER, seedBenchList } from './results/seed.js';

const TARGETS = { ratioMax: 2, rssGrowthMaxMb: 100 };
const { values: args } = parseArgs({ options: { cases: { type: 'string' }, quick: { type: 'boolean', default: false }, repeat: { type: 'string', default: '1' } } });
const n = Number(args.cases ?? (args.quick ? 20_000 : 100_000));
if (!Number.isInteger(n) || n < 1) throw new Error(`--cases must be a positive whole number, got "${args.cases}"`);
const repeat = Number(args.repeat);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive whole number, got "${args.repeat}"`);
const repo = fileURLToPath(new URL('..', import.meta.url));

function rssMb(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

function runChild(script: string, argv: string[]): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, ...argv], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    p.on('close', (code) => {
      try {
        resolve({ exitCode: code, ...JSON.parse(out.trim().split('\n').pop() ?? '') });
      } catch {
        reject(new Error(`${script} exited with ${code} without a result:\n${out.slice(-2000)}`));
      }
    });
  });
}

/** The API as `npm run start:api` runs it (same node flags); resolves with its URL once it listens. */
function startApi(env: Record<string, string>) {
  build();
  const proc = spawn(process.execPath, nodeArgsOf('start:api'), { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    proc.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /"url":"(http:[^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
    proc.on('exit', (code) => reject(new Error(`the API exited with ${code}:\n${out.slice(-2000)}`)));
  });
  return { proc, url };
}

/** Rows per sheet of an .xlsx, read with exceljs' streaming reader. */
async function countRows(file: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' });
  for await (const sheet of reader) {
    const name = (sheet as unknown as { name: string }).name;
    counts[name] = 0;
    for await (const _ of sheet) counts[name]++;
  }
  return counts;
}

const scratch = newScratch('results');
const downloadFile = join(tmpdir(), `${scratch.database}-download.xlsx`);
const bareFile = join(tmpdir(), `${scratch.database}-bare.xlsx`);
let api: ReturnType<typeof startApi> | undefined;
try {
  const url = await createScratchDatabase(scratch);
  const seedStart = performance.now();
  const database = openDatabase({ url, dataDir: '/nonexistent', poolSize: 2 });
  const { listId, warmUpListId } = await seedBenchList(database.db, n).finally(() => database.close());
  const seedMs = Math.round(performance.now() - seedStart);

  api = startApi({ DATABASE_URL: url, REDIS_URL, QUEUE_PREFIX: scratch.prefix, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
  const base = await api.url;
  const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BENCH_USER) });
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  // Warm up (modules, exceljs among them, pool, prepared statements) on a one-case result list
  // before the baseline RSS: the bare write's exceljs is loaded before its clock starts too.
  const warmUp = await fetch(`${base}/api/lists/${warmUpListId}/results.xlsx`, { headers: { cookie } });
  if (warmUp.status !== 200) throw new Error(`warm-up download: ${warmUp.status}`);
  await warmUp.arrayBuffer();
  const pid = api.proc.pid!;
  const rssBefore = rssMb(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 20);
  const download = async () => {
    const start = performance.now();
    const res = await fetch(`${base}/api/lists/${listId}/results.xlsx`, { headers: { cookie } });
    if (res.status !== 200 || !res.body) throw new Error(`download: ${res.status}`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(downloadFile));
    return Math.round(performance.now() - start);
  };
  const bareWrite = () => runChild(fileURLToPath(new URL('./results/bare-write.ts', import.meta.url)), [String(n), bareFile]);
  // The machine's speed can change by a third between runs: with --repeat, the round with the median ratio is reported.
  const rounds: Array<{ resultsMs: number; bare: Record<string, any>; ratio: number }> = [];
  for (let i = 0; i < repeat; i++) {
    const resultsMs = await download();
    const bare = await bareWrite();
    rounds.push({ resultsMs, bare, ratio: Math.round((resultsMs / bare.ms) * 100) / 100 });
  }
  clearInterval(sampler);
  api.proc.kill('SIGTERM');
  const { resultsMs, bare, ratio } = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor((repeat - 1) / 2)]!;

  const rows = await countRows(downloadFile);
  const attempts = n + Math.ceil(n / 2);
  const problems: string[] = [];
  if (rows.Ergebnisliste !== n + 1) problems.push(`Ergebnisliste has ${rows.Ergebnisliste} rows, expected ${n + 1}`);
  if (rows.Versuche !== attempts + 1) problems.push(`Versuche has ${rows.Versuche} rows, expected ${attempts + 1}`);

  const rssGrowthMb = rssPeak - rssBefore;
  const pass = { ratio: ratio <= TARGETS.ratioMax, rssGrowth: rssGrowthMb <= TARGETS.rssGrowthMaxMb, verified: problems.length === 0 };
  const result = {
    bench: 'results',
    cases: n,
    attempts,
    seedMs,
    bareWriteMs: bare.ms,
    bareCpuMs: bare.cpuMs,
    bareRssMb: bare.rssMb,
    bareBytes: bare.bytes,
    resultsMs,
    resultsBytes: statSync(downloadFile).size,
    casesPerSec: Math.round((n / resultsMs) * 1000),
    apiRssBeforeMb: rssBefore,
    apiRssPeakMb: rssPeak,
    rssGrowthMb,
    ratio,
    ...(repeat > 1 ? { rounds: rounds.map((r) => ({ resultsMs: r.resultsMs, bareWriteMs: r.bare.ms, ratio: r.ratio })) } : {}),
    rows,
    problems,
    targets: TARGETS,
    pass: { ...pass, all: Object.values(pass).every(Boolean) },
  };
  console.log(JSON.stringify(result));
  const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS');
  console.log(`
result-list bench, ${n.toLocaleString('en')} cases, ${attempts.toLocaleString('en')} attempts (seeded in ${seedMs} ms)
  bare exceljs write   ${String(bare.ms).padStart(7)} ms (CPU ${bare.cpuMs} ms)  ${(bare.bytes / 2 ** 20).toFixed(1)} MB
  API results.xlsx     ${String(resultsMs).padStart(7)} ms  ${result.casesPerSec} cases/s  ${(result.resultsBytes / 2 ** 20).toFixed(1)} MB  API RSS ${rssBefore} → ${rssPeak} MB
${repeat > 1 ? `  rounds (download / bare write ms, ratio): ${rounds.map((r) => `${r.resultsMs} / ${r.bare.ms} ${r.ratio}`).join(', ')}; the median one is shown\n` : ''}  ${mark(pass.ratio)} ratio ${ratio} (≤ ${TARGETS.ratioMax})   ${mark(pass.rssGrowth)} RSS growth ${rssGrowthMb} MB (≤ ${TARGETS.rssGrowthMaxMb})   ${mark(pass.verified)} ${problems.length ? problems.join('; ') : 'all rows in the file'}`);
  process.exitCode = result.pass.all ? 0 : 1;
} finally {
  if (api && api.proc.exitCode === null) api.proc.kill('SIGKILL');
  rmSync(downloadFile, { force: true });
  rmSync(bareFile, { force: true });
  await dropScratch(scratch);
}
