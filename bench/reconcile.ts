/**
 * npm run bench:reconcile — how long `reconcile` takes over many open cases (DESIGN.md section
 * 13: 200,000 open cases in ≤ 10 s), in two cases:
 *   intact: Redis holds every call job (the periodic run: read, compare, nothing to do);
 *   lost:   every call job is gone (Redis flushed or failed over without them): all restored.
 * Own database and BullMQ prefix; the app's own seeding and reconcile functions.
 *
 *   npm run bench:reconcile                      # 200,000 cases over 100 clients
 *   npm run bench:reconcile -- --cases 20000     # a quick one
 *   npm run bench:reconcile -- --profile DIR     # a CPU profile of each phase into DIR
 * Prints one JSON line on stdout, a summary on stderr.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { reconcile } from '../src/dispatch/reconcile.js';
import { cpuProfiled } from './cpu-profile.js';
import { createBenchDatabase, openSeedDeps, seedCases, seedClients } from './dispatch/setup.js';

const TARGET_SECONDS = 10;
const { values: opt } = parseArgs({ options: { cases: { type: 'string', default: '200000' }, clients: { type: 'string', default: '100' }, profile: { type: 'string' } } });
const clients = Number(opt.clients);
const perClient = Math.ceil(Number(opt.cases) / clients);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-rec-${randomUUID().slice(0, 8)}`;
const say = (msg: string) => console.error(`[bench:reconcile ${new Date().toISOString().slice(11, 19)}] ${msg}`);

if (opt.profile) mkdirSync(opt.profile, { recursive: true });
const bench = await createBenchDatabase(adminUrl, `bench_reconcile_${Date.now()}`);
const seed = await openSeedDeps(bench.url, redisUrl, prefix);
const deleteKeys = async (match: string) => {
  let cursor = '0';
  do {
    const [next, keys] = await seed.redis.scan(cursor, 'MATCH', match, 'COUNT', 5000);
    if (keys.length) await seed.redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
};
try {
  say(`seeding ${clients} clients × ${perClient} cases`);
  const clientIds = await seedClients(seed.deps, clients);
  await seedCases(seed.deps, clientIds, perClient, () => {});
  await seed.database.db.execute('analyze');

  // CPU seconds Redis has used so far (its own account, user + system).
  const redisCpu = async () => {
    const info = await seed.redis.info('cpu');
    const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return field('used_cpu_user') + field('used_cpu_sys');
  };
  const round = (n: number) => Math.round(n * 100) / 100;
  const timed = async (label: string) => {
    const t = performance.now();
    const [cpu, redis] = [process.cpuUsage(), await redisCpu()];
    const report = await cpuProfiled(opt.profile && path.join(opt.profile, `reconcile-${label.split(' ')[0]}.cpuprofile`), () => reconcile(seed.deps));
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = { node: round((used.user + used.system) / 1e6), redis: round((await redisCpu()) - redis) };
    say(`${label}: ${seconds.toFixed(2)} s (CPU s: node ${cpuSeconds.node}, redis ${cpuSeconds.redis}), ${JSON.stringify(report)}`);
    return { seconds: round(seconds), cpuSeconds, ...report };
  };
  const intact = await timed('intact');
  await deleteKeys(`${prefix}:calls-*`);
  await deleteKeys(`${prefix}:ready`);
  const lost = await timed('lost');
  const restored = await timed('after restoring (intact again)');
  const result = {
    bench: 'reconcile',
    cases: clients * perClient,
    clients,
    intact,
    lost,
    restored,
    targetSeconds: TARGET_SECONDS,
    pass: intact.seconds <= TARGET_SECONDS && lost.seconds <= TARGET_SECONDS && lost.added === clients * perClient && restored.added === 0,
  };
  console.log(JSON.stringify(result));
  say(`=> ${result.pass ? 'PASS' : 'FAIL'} (target ≤ ${TARGET_SECONDS} s each; every lost job restored once)`);
} finally {
  await deleteKeys(`${prefix}:*`);
  await seed.close();
  await bench.drop();
}
