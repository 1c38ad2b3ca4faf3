import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import postgres from 'postgres';
import { Latencies, round } from './stats.js';

/**
 * The two reference loops of DESIGN.md section 13, run in the same bench run as the API:
 * what BullMQ alone can hand out, and what a naive Postgres queue can.
 */

export interface BaselineResult {
  pullsPerSec: number;
  pulls: number;
  seconds: number;
  p50: number;
  p99: number;
}

/**
 * The bare BullMQ loop: `jobs` jobs in one queue, one processor-less Worker, `loops` concurrent
 * loops of `getNextJob(token, {block:false})` + `moveToCompleted(null, token, false)`.
 */
export async function bareBullmqLoop(connection: Redis, prefix: string, opts: { jobs: number; loops: number; seconds: number }): Promise<BaselineResult> {
  const name = 'bare-baseline';
  const queue = new Queue(name, { connection, prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: true } });
  for (let i = 0; i < opts.jobs; i += 1_000) {
    await queue.addBulk(Array.from({ length: Math.min(1_000, opts.jobs - i) }, (_, k) => ({ name: 'call', data: { n: i + k } })));
  }
  // Options as the API's call workers (src/queues/call-queues.ts): no lock renewal, no stalled check.
  const worker = new Worker(name, null, { connection, prefix, autorun: false, skipLockRenewal: true, skipStalledCheck: true, lockDuration: 300_000 });
  worker.on('error', () => {});
  const latencies = new Latencies();
  let pulls = 0;
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const token = randomUUID();
      const job = await worker.getNextJob(token, { block: false });
      if (!job) return; // drained
      await job.moveToCompleted(null, token, false);
      latencies.add(performance.now() - t0);
      pulls++;
    }
  };
  await Promise.all(Array.from({ length: opts.loops }, loop));
  const seconds = (performance.now() - start) / 1000;
  await worker.close(true);
  await queue.obliterate({ force: true });
  await queue.close();
  const s = latencies.summary();
  return { pullsPerSec: round(pulls / seconds), pulls, seconds: round(seconds, 2), p50: s.p50, p99: s.p99 };
}

/**
 * The naive Postgres pull: a job table with a plain index on priority, `loops` concurrent
 * loops of one `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING id` each, over
 * a pool of `connections`.
 */
export async function skipLockedLoop(
  databaseUrl: string,
  opts: { jobs: number; loops: number; connections: number; seconds: number; index?: boolean },
): Promise<BaselineResult> {
  const sql = postgres(databaseUrl, { max: opts.connections, onnotice: () => {} });
  try {
    await sql`create table bench_pull_jobs (id bigserial primary key, priority int not null, taken boolean not null default false)`;
    await sql`insert into bench_pull_jobs (priority) select (random() * 2000000)::int from generate_series(1, ${opts.jobs})`;
    if (opts.index ?? true) await sql`create index bench_pull_jobs_priority on bench_pull_jobs (priority)`;
    await sql`analyze bench_pull_jobs`;
    const latencies = new Latencies();
    let pulls = 0;
    const start = performance.now();
    const end = start + opts.seconds * 1000;
    const loop = async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const rows = await sql`
          update bench_pull_jobs set taken = true
          where id = (select id from bench_pull_jobs where not taken order by priority limit 1 for update skip locked)
          returning id`;
        if (rows.length === 0) continue; // every candidate locked by the others at that moment
        latencies.add(performance.now() - t0);
        pulls++;
      }
    };
    await Promise.all(Array.from({ length: opts.loops }, loop));
    const seconds = (performance.now() - start) / 1000;
    await sql`drop table bench_pull_jobs`;
    const s = latencies.summary();
    return { pullsPerSec: round(pulls / seconds), pulls, seconds: round(seconds, 2), p50: s.p50, p99: s.p99 };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
