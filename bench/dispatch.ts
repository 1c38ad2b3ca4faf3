/**
 * Dispatch benchmark (DESIGN.md section 13): 100 clients, 200,000 open cases, 100 agents
 * looping next → outcome over HTTP against the real API and workers, each in a child process,
 * plus the two baselines (bare BullMQ loop, naive SKIP LOCKED pull) in the same run.
 *
 *   npm run bench:dispatch                                   # the full run: saturated, then carried
 *   npm run bench:dispatch -- --quick                        # the same on 20,000 cases, shorter windows (< 90 s)
 *   npm run bench:dispatch -- --no-carried                   # the saturated window only
 *   npm run bench:dispatch -- --profile                      # + CPU profiles of the saturated window
 *   npm run bench:dispatch -- --heap-profile                 # + what API and workers allocated in it, by site
 *   npm run bench:dispatch -- --think-ms 5000                # one window, agents pausing ~5 s per call
 *   npm run bench:dispatch -- --api-processes 2              # two API processes, the agents split between them
 *   npm run bench:dispatch -- --agents 1 --log-statements    # every SQL statement in the server log
 *   npm run bench:dispatch -- --pg-stats                     # a private PostgreSQL with pg_stat_statements:
 *                                                            #   statements per assignment, by cost
 *   npm run bench:dispatch -- --trace /tmp/trace.json        # every measured request: [start ms, latency ms]
 *                                                            #   per window and kind (are slow ones bunched?)
 *
 * Order: setup (own database, own QUEUE_PREFIX, clients, agents, cases enqueued as the import
 * does; not timed), the two baselines (before the children start, so nothing competes with
 * them), API and workers as children (and their start-up reconcile done), agents logged in over
 * HTTP, a warm-up (after it, the ANALYZE autovacuum would have run), the measured (saturated)
 * window; then the carried window: the agents pause after each call so that they ask for about
 * half the saturated throughput, and the latency targets are judged there (a saturated run's
 * latency is queueing); then the checks in Postgres. A probe preloaded into both children
 * (dispatch/child-probe.ts) reports their event-loop delay, CPU and round trips for the window.
 *
 * Prints one JSON line on stdout and a human summary on stderr; exit code 0 when every target
 * is met, 1 when not, 2 when the bench itself failed. Everything it creates (its database, its
 * Redis keys, the children) is removed at the end, also on failure or Ctrl-C.
 * BENCH_DATABASE_URL (an admin connection) and BENCH_REDIS_URL point it elsewhere.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import postgres from 'postgres';
import { createRedis } from '../src/redis/connection.js';
import { agentLoop, DoubleAssignmentWatch, httpClient, loginAgents, type LoadCounters } from './dispatch/agents.js';
import { bareBullmqLoop, skipLockedLoop } from './dispatch/baselines.js';
import { cpuBetween, cpuSnapshot, othersBetween, rssMb, startChild, stopChild, waitFor, type Child } from './dispatch/processes.js';
import { printHeapSummary, summariseHeapProfile } from './dispatch/heap-summary.js';
import { printProfile, summariseProfile } from './dispatch/profile-summary.js';
import { buildResult, printSummary, type CarriedWindow, type ProbeReport } from './dispatch/report.js';
import { createBenchDatabase, openSeedDeps, seedAgents, seedCases, seedClients } from './dispatch/setup.js';
import { Latencies, round, sleep } from './dispatch/stats.js';
import { build, nodeArgsOf, transpiledProbe } from './npm-script.js';
import { resetStatements, startPrivatePostgres, statementCosts } from './dispatch/private-pg.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values: opt } = parseArgs({
  allowNegative: true,
  options: {
    /** Preset: 20,000 cases, short windows; the same JSON line and pass flags as a full run. */
    quick: { type: 'boolean', default: false },
    /** After the saturated window, a window at about half its throughput (latency judged there). */
    carried: { type: 'boolean', default: true },
    clients: { type: 'string', default: '100' },
    cases: { type: 'string', default: '200000' },
    agents: { type: 'string', default: '100' },
    'clients-per-agent': { type: 'string', default: '10' },
    /** API processes (each on its own port; agent i talks to API i mod N). */
    'api-processes': { type: 'string', default: '1' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    'baseline-seconds': { type: 'string', default: '5' },
    /** Pause after each outcome, to see latency at a load the system can carry (default 0: none). */
    'think-ms': { type: 'string', default: '0' },
    profile: { type: 'boolean', default: false },
    /** Investigation aid: a sampling heap profile of the saturated window (bytes allocated, by site). */
    'heap-profile': { type: 'boolean', default: false },
    /** Investigation aid: a JSON file with every measured request's start (ms into its window) and latency. */
    trace: { type: 'string' },
    /** Investigation aid: Postgres logs every statement of the bench database (server log). */
    'log-statements': { type: 'boolean', default: false },
    /** Run on a private PostgreSQL with pg_stat_statements and report the statements of the window. */
    'pg-stats': { type: 'boolean', default: false },
  },
});
/** What --quick changes, unless given explicitly. */
const QUICK: Partial<Record<keyof typeof opt, string>> = { cases: '20000', seconds: '8', warmup: '2', 'baseline-seconds': '3' };
const explicit = new Set(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')[0]));
const num = (name: keyof typeof opt) => {
  const given = opt.quick && !explicit.has(name) && QUICK[name] !== undefined ? QUICK[name] : opt[name];
  const n = Number(given);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${JSON.stringify(given)}`);
  return n;
};
const cfg = {
  clients: num('clients'),
  cases: num('cases'),
  agents: num('agents'),
  clientsPerAgent: num('clients-per-agent'),
  seconds: num('seconds'),
  warmup: num('warmup'),
  baselineSeconds: num('baseline-seconds'),
  thinkMs: num('think-ms'),
  apiProcesses: Math.max(1, Math.round(num('api-processes'))),
  // A fixed pause already makes the one window a carried one.
  carried: opt.carried && num('think-ms') === 0,
};
const perClient = Math.ceil(cfg.cases / cfg.clients);

let adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const stamp = Date.now();
const prefix = `bench-dispatch-${stamp}`;
const say = (msg: string) => console.error(`[bench:dispatch ${new Date().toISOString().slice(11, 19)}] ${msg}`);

// Cleanup steps run last-registered first, once, whatever happened before.
const cleanups: Array<[string, () => Promise<unknown>]> = [];
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    for (const [name, step] of cleanups.reverse()) await step().catch((err: Error) => say(`cleanup ${name} failed: ${err.message}`));
  })());
/** Set on Ctrl-C: the agent loops end, then everything is removed. */
let aborting = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (aborting) return;
    aborting = true;
    say(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}
process.on('unhandledRejection', (err) => {
  say(`unexpected: ${(err as Error)?.stack ?? String(err)}; cleaning up`);
  void cleanup().finally(() => process.exit(2));
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function deletePrefixKeys(): Promise<void> {
  const redis = createRedis(redisUrl, 'worker');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** The API processes' CPU shares added up under `api`. */
function sumApis(cpu: Record<string, number>, names: string[]): Record<string, number> {
  const out: Record<string, number> = { ...cpu, api: round(names.reduce((sum, n) => sum + (cpu[n] ?? 0), 0)) };
  for (const n of names.slice(1)) delete out[n];
  return out;
}

/** An event-loop delay histogram's figures in ms. */
function loopDelayOf(h: ReturnType<typeof monitorEventLoopDelay>): { p50: number; p99: number; max: number } {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}

/** Several API processes' probe reports as one: CPU, writes and GC pauses added, the worst delay. */
function mergeProbes(reports: ProbeReport[]): ProbeReport {
  const writesByPort: Record<string, number> = {};
  for (const r of reports) for (const [port, n] of Object.entries(r.writesByPort)) writesByPort[port] = (writesByPort[port] ?? 0) + n;
  const worst = (k: 'p50' | 'p99' | 'max') => Math.max(...reports.map((r) => r.delayMs[k]));
  const gc = (kind: 'minor' | 'major') => ({
    count: reports.reduce((sum, r) => sum + r.gcMs[kind].count, 0),
    total: reports.reduce((sum, r) => sum + r.gcMs[kind].total, 0),
    max: Math.max(...reports.map((r) => r.gcMs[kind].max)),
  });
  return {
    cpuSeconds: reports.reduce((sum, r) => sum + r.cpuSeconds, 0),
    delayMs: { p50: worst('p50'), p99: worst('p99'), max: worst('max') },
    heapStartMb: Math.max(...reports.map((r) => r.heapStartMb)),
    heapUsedMb: Math.max(...reports.map((r) => r.heapUsedMb)),
    writesByPort,
    gcMs: { minor: gc('minor'), major: gc('major') },
  };
}

async function main() {
  say(`${cfg.clients} clients, ${perClient * cfg.clients} cases, ${cfg.agents} agents, ${cfg.seconds} s (+${cfg.warmup} s warm-up); prefix ${prefix}`);
  cleanups.push(['redis keys', deletePrefixKeys]);
  if (opt['pg-stats']) {
    const pg = startPrivatePostgres(await freePort());
    cleanups.push(['private postgres', async () => pg.stop()]);
    adminUrl = pg.url;
    say(`private PostgreSQL with pg_stat_statements at ${pg.url}`);
  }
  const bench = await createBenchDatabase(adminUrl, `bench_dispatch_${stamp}`);
  cleanups.push(['database', bench.drop]);

  // --- setup (not timed) ---
  build();
  const seed = await openSeedDeps(bench.url, redisUrl, prefix);
  cleanups.push(['seed connections', seed.close]);
  let t = performance.now();
  const clientIds = await seedClients(seed.deps, cfg.clients);
  const agents = await seedAgents(seed.deps, clientIds, cfg.agents, cfg.clientsPerAgent);
  say(`clients and agents created in ${round((performance.now() - t) / 1000)} s`);
  t = performance.now();
  let lastReport = 0;
  await seedCases(seed.deps, clientIds, perClient, (done) => {
    if (done - lastReport >= 20_000) {
      lastReport = done;
      say(`  ${done} cases inserted and enqueued`);
    }
  });
  const setupCasesSeconds = round((performance.now() - t) / 1000);
  say(`cases inserted and enqueued in ${setupCasesSeconds} s`);
  // Autovacuum may be off (it is on these machines): without statistics the planner guesses.
  await analyzeTables(bench.url);

  // --- baselines, before the children start, so nothing else competes for the cores ---
  const workerRedis = createRedis(redisUrl, 'worker');
  cleanups.push(['baseline redis', () => workerRedis.quit()]);
  const bullmqJobs = Math.max(50_000, perClient * cfg.clients);
  say(`baseline: bare BullMQ loop (${bullmqJobs} jobs, ${cfg.agents} loops, ${cfg.baselineSeconds} s)`);
  const bareBullmq = await bareBullmqLoop(workerRedis, prefix, { jobs: bullmqJobs, loops: cfg.agents, seconds: cfg.baselineSeconds });
  say(`  ${bareBullmq.pullsPerSec} pulls/s, p99 ${bareBullmq.p99} ms`);
  say(`baseline: SKIP LOCKED pull (${perClient * cfg.clients} rows, ${cfg.agents} loops on 50 connections, ${cfg.baselineSeconds} s)`);
  const skipLocked = await skipLockedLoop(bench.url, { jobs: perClient * cfg.clients, loops: cfg.agents, connections: 50, seconds: cfg.baselineSeconds });
  say(`  ${skipLocked.pullsPerSec} pulls/s, p99 ${skipLocked.p99} ms`);

  if (opt['log-statements']) {
    const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await a.unsafe(`alter database "bench_dispatch_${stamp}" set log_statement = 'all'`).finally(() => a.end());
  }

  // --- the system under test: API and workers as children ---
  const ports = await Promise.all(Array.from({ length: cfg.apiProcesses }, () => freePort()));
  // The probe (bench/dispatch/child-probe.ts) reports each child's event-loop delay, and with
  // --profile a CPU profile, for the measured window only; its files land here.
  const probeDir = path.join(os.tmpdir(), `bench_dispatch_${stamp}`);
  mkdirSync(probeDir, { recursive: true });
  if (!opt.profile && !opt['heap-profile']) cleanups.push(['probe files', async () => rmSync(probeDir, { recursive: true, force: true })]);
  const serverPorts = [new URL(bench.url).port || '5432', new URL(redisUrl).port || '6379'].join(',');
  const probe = (name: string) => ({ BENCH_PROBE_DIR: probeDir, BENCH_PROBE_NAME: name, BENCH_PROBE_PROFILE: opt.profile ? '1' : '0', BENCH_PROBE_HEAP: opt['heap-profile'] ? '1' : '0', BENCH_PROBE_PORTS: serverPorts });
  const preload = transpiledProbe(probeDir);
  const env = {
    DATABASE_URL: bench.url,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOCK_SECONDS: '300',
    ADMIN_PASSWORD: 'bench-admin-password',
  };
  const children: Child[] = [];
  cleanups.push(['children', () => Promise.all(children.map((c) => stopChild(c)))]);
  t = performance.now();
  // The first API is `api`, further ones `api2`, `api3`, …: their figures are added up below.
  const apiNames = ports.map((_, k) => (k === 0 ? 'api' : `api${k + 1}`));
  const apis = ports.map((port, k) => startChild(apiNames[k]!, nodeArgsOf('start:api'), { ...env, PORT: String(port), ...probe(apiNames[k]!) }, { cwd: ROOT, preload }));
  children.push(...apis);
  // Workers log at info only for their "workers started" line.
  const workers = startChild('workers', nodeArgsOf('start:workers'), { ...env, ...probe('workers'), LOG_LEVEL: 'info' }, { cwd: ROOT, preload });
  children.push(workers);
  const httpClients = ports.map((port) => httpClient(`http://127.0.0.1:${port}`, cfg.agents * 2));
  const client = httpClients[0]!;
  cleanups.push(['http agents', async () => httpClients.forEach((c) => c.close())]);
  for (const [k, a] of apis.entries()) await waitFor(a, 'ready API', async () => (await httpClients[k]!.request('GET', '/readyz')).status === 200, 60_000);
  await waitFor(workers, 'workers started', () => workers.tail.some((l) => l.includes('"workers started"')), 300_000);
  // The start-up maintenance (a reconcile of every open case) runs as jobs in the background:
  // the load starts once it is done, so the windows measure dispatch, not start-up.
  const maintenance = new Queue('maintenance', { connection: workerRedis, prefix });
  await waitFor(workers, 'start-up maintenance done', async () => (await maintenance.getJobCountByTypes('wait', 'active', 'prioritized')) === 0, 300_000);
  await maintenance.close();
  const apiRss = () => Math.max(...apis.map((a) => rssMb(a.pid) ?? 0));
  say(`API (pids ${apis.map((a) => a.pid).join(', ')}) and workers (pid ${workers.pid}) up in ${round((performance.now() - t) / 1000)} s; API RSS ${round(apiRss())} MB`);
  const cookies = await loginAgents(client, agents);
  say(`${cookies.length} agents logged in`);

  // --- load ---
  const counters: LoadCounters = { assignments: 0, outcomesAccepted: 0, outcomesAcceptedTotal: 0, empty: 0, errors: {} };
  const out = { next: new Latencies(), outcome: new Latencies(), counters, watch: new DoubleAssignmentWatch() };
  let measuring = false;
  let stopped = false;
  const apiRssIdle = apiRss();
  let apiRssMax = apiRssIdle;
  let outcomeBacklogMax = 0;
  const outcomesQueue = new Queue('outcomes', { connection: workerRedis, prefix });
  cleanups.push(['outcomes queue', () => outcomesQueue.close()]);
  const rssTimer = setInterval(() => (apiRssMax = Math.max(apiRssMax, apiRss())), 100);
  const backlogTimer = setInterval(() => {
    void outcomesQueue
      .getJobCountByTypes('wait', 'active', 'delayed', 'prioritized')
      .then((n) => (outcomeBacklogMax = Math.max(outcomeBacklogMax, n)))
      .catch(() => {});
  }, 1000);

  say(`load: ${cfg.agents} agents${cfg.thinkMs ? ` pausing ~${cfg.thinkMs} ms per call` : ''}, warm-up ${cfg.warmup} s, then ${cfg.seconds} s measured`);
  const phase = { measuring: () => measuring, stopped: () => stopped || aborting, thinkMs: cfg.thinkMs };
  const loops = cookies.map((cookie, i) => agentLoop(httpClients[i % httpClients.length]!, i, cookie, phase, out));
  await sleep(cfg.warmup * 1000);
  // The ANALYZE autovacuum would have run by now. Seeding left `assignments` and `attempts`
  // empty, and the generic plans the API and workers prepared in their first seconds scan them
  // whole, over ever larger tables (6.5 million rows read in a 30 s window). A production
  // server's autovacuum analyses a table after its first 50 changed rows, and the plans are
  // made again; with autovacuum off (these machines) the bench does it, once.
  await analyzeTables(bench.url, ['assignments', 'attempts']);
  const pids = { ...Object.fromEntries(apis.map((a, k) => [apiNames[k]!, a.pid])), workers: workers.pid };
  // The bench's own event loop (100 agents' requests and timers): its delay is part of every
  // latency it measures, where a real agent's browser runs on a machine of its own.
  const benchLoop = monitorEventLoopDelay({ resolution: 5 });
  /** One measured window: requests counted, the children's probes and the bench's loop watching, CPU taken around it. */
  const measure = async () => {
    const cpuStart = cpuSnapshot(pids);
    const start = performance.now();
    for (const c of children) c.proc.kill('SIGUSR2');
    benchLoop.reset();
    benchLoop.enable();
    measuring = true;
    await sleep(cfg.seconds * 1000);
    measuring = false;
    benchLoop.disable();
    for (const c of children) c.proc.kill('SIGUSR2');
    const cpuEnd = cpuSnapshot(pids);
    return { start, seconds: (performance.now() - start) / 1000, cpu: sumApis(cpuBetween(cpuStart, cpuEnd), apiNames), others: othersBetween(cpuStart, cpuEnd), benchDelay: loopDelayOf(benchLoop) };
  };
  /** The children's probe reports of the n-th window (1: saturated, 2: carried), each and merged. */
  const probesOf = async (window: number) => {
    const loopOf = async (name: string) => {
      const file = path.join(probeDir, `${name}.w${window}.loop.json`);
      await waitFor(name === 'workers' ? workers : apis[apiNames.indexOf(name)]!, `${name} probe report`, () => existsSync(file), 30_000);
      await sleep(100);
      return JSON.parse(readFileSync(file, 'utf8')) as ProbeReport;
    };
    const apiLoops = await Promise.all(apiNames.map(loopOf));
    const workersLoop = await loopOf('workers');
    return { api: mergeProbes(apiLoops), workers: workersLoop, byName: new Map([...apiNames.map((n, k) => [n, apiLoops[k]!] as const), ['workers', workersLoop]]) };
  };

  const loadAvgStart = os.loadavg()[0]!;
  if (opt['pg-stats']) await resetStatements(bench.url);
  const { start: loadStart, seconds: loadSeconds, cpu, others, benchDelay } = await measure();
  const statements = opt['pg-stats'] ? await statementCosts(bench.url, counters.assignments) : null;
  const { api: apiLoop, workers: workersLoop, byName: loopByName } = await probesOf(1);
  const saturated = { next: out.next.summary(), outcome: out.outcome.summary() };
  const trace: Record<string, unknown> = { saturated: { startEpochMs: Math.round(performance.timeOrigin + loadStart), next: out.next.timeline(loadStart), outcome: out.outcome.timeline(loadStart) } };

  let carried: CarriedWindow | undefined;
  if (cfg.carried) {
    // Each agent's cycle took agents / throughput seconds; twice that asks for half the throughput.
    const perSec = counters.assignments / loadSeconds;
    phase.thinkMs = Math.round((2 * cfg.agents * 1000) / Math.max(1, perSec));
    out.next = new Latencies();
    out.outcome = new Latencies();
    out.counters = { assignments: 0, outcomesAccepted: 0, outcomesAcceptedTotal: 0, empty: 0, errors: {} };
    say(`carried: agents pause ~${phase.thinkMs} ms per call (half of ${round(perSec)} assignments/s), warm-up ${cfg.warmup} s, then ${cfg.seconds} s measured`);
    await sleep(Math.max(cfg.warmup * 1000, 2 * phase.thinkMs));
    const w = await measure();
    const { api, workers: workersProbe } = await probesOf(2);
    carried = {
      cpu: w.cpu,
      others: w.others,
      probes: { api, workers: workersProbe },
      thinkMs: phase.thinkMs,
      seconds: w.seconds,
      assignments: out.counters.assignments,
      next: out.next.summary(),
      outcome: out.outcome.summary(),
      errors: out.counters.errors,
      benchEventLoopDelayMs: w.benchDelay,
    };
    trace.carried = { startEpochMs: Math.round(performance.timeOrigin + w.start), next: out.next.timeline(w.start), outcome: out.outcome.timeline(w.start) };
  }
  stopped = true;
  await Promise.all(loops);
  clearInterval(rssTimer);
  clearInterval(backlogTimer);

  // --- afterwards: every accepted outcome recorded, no attempt handed out twice ---
  say('load done; waiting for the outcomes worker to catch up');
  const drainStart = performance.now();
  while ((await outcomesQueue.getJobCountByTypes('wait', 'active', 'delayed', 'prioritized')) > 0 && performance.now() - drainStart < 120_000) await sleep(250);
  const drainSeconds = round((performance.now() - drainStart) / 1000);
  const pg = postgres(bench.url, { max: 1, onnotice: () => {} });
  cleanups.push(['check connection', () => pg.end()]);
  const doubledInDb = await pg`
    select case_id, attempt_no from assignments group by case_id, attempt_no having count(*) filter (where end_reason = 'outcome') > 1`;
  const [recorded] = await pg<{ n: number }[]>`select count(*)::int as n from attempts`;
  // Two assignments of one case whose lifetimes overlap: the live-per-case unique index forbids it.
  const [overlapping] = await pg<{ n: number }[]>`
    select count(*)::int as n from assignments a join assignments b on a.case_id = b.case_id and a.id < b.id
    where tstzrange(a.assigned_at, coalesce(a.ended_at, 'infinity')) && tstzrange(b.assigned_at, coalesce(b.ended_at, 'infinity'))`;

  for (const a of apis) await stopChild(a);
  await stopChild(workers);

  const result = buildResult({
    cfg: { clients: cfg.clients, cases: perClient * cfg.clients, agents: cfg.agents, thinkMs: cfg.thinkMs, apiProcesses: cfg.apiProcesses },
    loadSeconds,
    ...saturated,
    carried,
    benchEventLoopDelayMs: benchDelay,
    counters: { ...counters, outcomesAcceptedTotal: counters.outcomesAcceptedTotal + (carried ? out.counters.outcomesAcceptedTotal : 0) },
    watch: out.watch,
    db: { doubled: doubledInDb.length, overlapping: overlapping?.n ?? 0, recorded: recorded?.n ?? 0 },
    outcomeBacklogMax,
    drainSeconds,
    apiRss: { max: apiRssMax, idle: apiRssIdle },
    cpu,
    others,
    loadAvg: loadAvgStart,
    probes: { api: apiLoop, workers: workersLoop },
    ports: { postgres: new URL(bench.url).port || '5432', redis: new URL(redisUrl).port || '6379' },
    baselines: { bareBullmq, skipLocked },
  });
  console.log(JSON.stringify(statements ? { ...result, postgresStatements: statements } : result));
  say('summary');
  printSummary(result);
  if (opt.trace) {
    writeFileSync(opt.trace, JSON.stringify(trace));
    say(`request trace written to ${opt.trace}`);
  }
  if (statements) {
    console.error(`  PostgreSQL per assignment: ${statements.callsPerAssignment} statements, ${statements.msPerAssignment} ms (pg_stat_statements)`);
    for (const s of statements.statements.slice(0, 15)) console.error(`    ${String(s.perAssignment).padStart(6)} × ${String(s.meanMs).padStart(7)} ms = ${String(s.msPerAssignment).padStart(6)} ms  ${s.query}`);
  }

  if (opt.profile) {
    for (const name of [...apiNames, 'workers']) {
      const file = path.join(probeDir, `${name}.cpuprofile`);
      if (existsSync(file)) printProfile(`${name} CPU profile of the measured window (${file})`, summariseProfile(file, ROOT.replace(/\/$/, '')), loopByName.get(name)?.cpuSeconds);
    }
  }
  if (opt['heap-profile']) {
    for (const name of [...apiNames, 'workers']) {
      const file = path.join(probeDir, `${name}.heapprofile`);
      if (existsSync(file)) printHeapSummary(`${name} allocation in the measured window (${file})`, summariseHeapProfile(file, ROOT.replace(/\/$/, '')), counters.assignments);
    }
  }
  return result.pass.all;
}

let passed = false;
try {
  passed = await main();
} catch (err) {
  say(`failed: ${(err as Error).stack ?? err}`);
  process.exitCode = 2;
} finally {
  await cleanup();
}
if (process.exitCode === undefined) process.exitCode = passed ? 0 : 1;

/** `ANALYZE` of the given tables (all when none are given) of the bench's database. */
async function analyzeTables(url: string, tables: string[] = []): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql.unsafe(`analyze ${tables.join(', ')}`).finally(() => sql.end());
}
