/**
 * The measured child: uploads the file and runs the `imports` job's function directly (no
 * worker), against its own database and BullMQ prefix, then checks that every row became an
 * open case with one call job. Prints one JSON line; drops its database and keys either way.
 *
 *   npx tsx bench/import/real-import.ts <file.xlsx> <rows> <database> <prefix> [<profile.cpuprofile>]
 *
 * With a profile path, only the timed part (upload + import) is CPU-profiled.
 */
import { readFile } from 'node:fs/promises';
import { getHeapStatistics } from 'node:v8';
import { count, eq, sql } from 'drizzle-orm';
import { createClient } from '../../src/clients/clients.service.js';
import { ClientCreateSchema } from '../../src/clients/clients.schemas.js';
import { loadConfig } from '../../src/config.js';
import { cases, dunningLists, users } from '../../src/db/schema.js';
import type { ServiceDeps } from '../../src/deps.js';
import { caseQueue } from '../../src/dispatch/case-state.js';
import type { SessionUser } from '../../src/http/context.js';
import { loadExcelJS } from '../../src/lists/import/load-exceljs.js';
import { cpuBetween, cpuSnapshot } from '../dispatch/processes.js';
import { runImport } from '../../src/lists/run-import.js';
import { uploadList } from '../../src/lists/upload.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { cpuProfiled } from '../cpu-profile.js';
import { emit, peakRssMb } from './measure.js';
import { createScratchDatabase, dropScratch, REDIS_URL, type Scratch } from './scratch.js';

const [file, rowsArg, database, prefix, profilePath] = process.argv.slice(2);
if (!file || !rowsArg || !database || !prefix) throw new Error('usage: real-import.ts <file.xlsx> <rows> <database> <prefix>');
const rows = Number(rowsArg);
const scratch: Scratch = { database, prefix };

async function seed(rt: Runtime): Promise<{ clientId: string; by: SessionUser }> {
  const [user] = await rt.database.db
    .insert(users)
    .values({ username: 'bench-admin', passwordHash: 'no login: bench user', displayName: 'Bench Admin', role: 'admin' })
    .returning({ id: users.id });
  const by: SessionUser = { id: user!.id, username: 'bench-admin', displayName: 'Bench Admin', role: 'admin', clientIds: [], callClientIds: [], languages: ['de'] };
  const client = await createClient(rt.database.db, ClientCreateSchema.parse({ code: 'BENCH', name: 'Stadtwerke Muster (Bench)' }), by);
  return { clientId: client.id, by };
}

/** Upload + import, timed; `parsedAt` is the last progress report: the last batch inserted, the jobs of all but it added. */
async function timedImport(d: ServiceDeps, content: Buffer, clientId: string, by: SessionUser) {
  const cpu = process.cpuUsage();
  const memory = { heapMb: 0, externalMb: 0 };
  // `v8.getHeapStatistics`, not `process.memoryUsage`: the latter reads the RSS from /proc on
  // every call, which cost ~1 % of the measured import at this rate. Peak RSS comes from VmHWM.
  const sampler = setInterval(() => {
    const h = getHeapStatistics();
    memory.heapMb = Math.max(memory.heapMb, Math.round(h.used_heap_size / 2 ** 20));
    memory.externalMb = Math.max(memory.externalMb, Math.round(h.external_memory / 2 ** 20));
  }, 20);
  const cpuBefore = cpuSnapshot({});
  const loopBefore = performance.eventLoopUtilization();
  const start = performance.now();
  const upload = await uploadList(d, { clientId, fileName: 'mahnliste-bench.xlsx', content, dryRun: false, force: false, by });
  if (upload.kind !== 'queued') throw new Error(`upload returned ${upload.kind}`);
  const uploadedAt = performance.now();
  let parsedAt = uploadedAt;
  await runImport(d, upload.listId, async () => {
    parsedAt = performance.now();
  });
  const end = performance.now();
  const { bench: importCores, ...servers } = cpuBetween(cpuBefore, cpuSnapshot({}));
  const loop = performance.eventLoopUtilization(loopBefore);
  clearInterval(sampler);
  const used = process.cpuUsage(cpu);
  return {
    listId: upload.listId,
    ms: end - start,
    cpuMs: Math.round((used.user + used.system) / 1000),
    peakMemory: memory,
    // Cores busy while it ran: this process, the PostgreSQL and Redis servers, the machine in all (0–1).
    cpuCores: { import: importCores, ...servers },
    // How long its JavaScript thread worked (not waiting for PostgreSQL or Redis): what bounds it when close to `ms`.
    threadBusyMs: Math.round(loop.active),
    phases: { uploadMs: Math.round(uploadedAt - start), readInsertEnqueueMs: Math.round(parsedAt - uploadedAt), commitActivateMs: Math.round(end - parsedAt) },
  };
}

/** What must hold afterwards: the list active, one open case and one call job per row. */
async function verify(rt: Runtime, listId: string) {
  const db = rt.database.db;
  const [list] = await db.select().from(dunningLists).where(eq(dunningLists.id, listId));
  const [{ n: caseCount } = { n: 0 }] = await db.select({ n: count() }).from(cases).where(sql`${cases.listId} = ${listId} and ${cases.status} = 'open'`);
  const queues = await db.selectDistinct({ clientId: cases.clientId, language: cases.language }).from(cases).where(eq(cases.listId, listId));
  let jobs = 0;
  for (const q of queues) jobs += await rt.queues.calls(caseQueue(q)).getJobCountByTypes('delayed', 'wait', 'prioritized');
  const ready = await rt.calls.ready.all();
  const problems: string[] = [];
  if (list?.status !== 'active') problems.push(`list is ${list?.status}${list?.error ? `: ${list.error}` : ''}`);
  if (list?.report?.accepted !== rows) problems.push(`accepted ${list?.report?.accepted} of ${rows} rows (first rejections: ${JSON.stringify(list?.report?.rejected.slice(0, 3))})`);
  if (caseCount !== rows) problems.push(`${caseCount} open cases, expected ${rows}`);
  if (jobs !== rows) problems.push(`${jobs} call jobs in Redis, expected ${rows}`);
  if (!queues.every((q) => ready.includes(caseQueue(q)))) problems.push('a call queue is missing from the ready index');
  return { cases: caseCount, jobs, queues: queues.length, problems };
}

let rt: Runtime | undefined;
try {
  const url = await createScratchDatabase(scratch);
  const content = await readFile(file);
  const config = loadConfig({
    DATABASE_URL: url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    IMPORT_MAX_ROWS: String(Math.max(200_000, rows)),
    IMPORT_MAX_BYTES: String(Math.max(50 * 1024 * 1024, 2 * content.byteLength)),
    LOG_LEVEL: 'warn',
  });
  rt = await createRuntime(config);
  const { clientId, by } = await seed(rt);
  const d: ServiceDeps = { db: rt.database.db, calls: rt.calls, queues: rt.queues, clock: rt.clock, config: rt.config, log: rt.log };
  // exceljs is loaded before the clock starts, as the bare read loads it (a static import): a
  // process loads it once, at its first workbook, not once per list (~0.3–0.4 s of compiling).
  await loadExcelJS();
  const run = await cpuProfiled(profilePath, () => timedImport(d, content, clientId, by));
  const rssMb = peakRssMb();
  const check = await verify(rt, run.listId);
  emit({ rows, ms: Math.round(run.ms), cpuMs: run.cpuMs, cpuCores: run.cpuCores, threadBusyMs: run.threadBusyMs, ...run.phases, rssMb, peakMemory: run.peakMemory, ...check });
} catch (err) {
  emit({ rows, error: err instanceof Error ? (err.stack ?? err.message) : String(err), rssMb: peakRssMb() });
  process.exitCode = 1;
} finally {
  await rt?.close();
  await dropScratch(scratch);
}
