/**
 * Live-progress benchmark: what one poll of the lead's list page (`GET /api/lists/:id/progress`,
 * `listProgress`) costs on a large list. No target in DESIGN.md; leads poll it while the page
 * is open, and its PostgreSQL time competes with dispatch on the same cores.
 *
 *   npm run bench:progress                    # 100,000 cases, half of them open again
 *   npm run bench:progress -- --cases 20000
 *
 * A scratch database gets the result-list bench's completed list (`bench/results/seed.ts`); half
 * its cases are opened again and due, and one open case in a hundred gets a live assignment
 * (agents in a call). Ten polls after two warm-up ones; prints one JSON line, then a summary.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.js';
import { listProgress } from '../src/lists/progress.js';
import { createScratchDatabase, dropScratch, newScratch } from './import/scratch.js';
import { seedBenchList } from './results/seed.js';

const { values: args } = parseArgs({ options: { cases: { type: 'string', default: '100000' } } });
const n = Number(args.cases);
if (!Number.isInteger(n) || n < 1) throw new Error(`--cases must be a positive whole number, got "${args.cases}"`);

const POLLS = 10;
const scratch = newScratch('progress');
try {
  const database = openDatabase({ url: await createScratchDatabase(scratch), dataDir: '/nonexistent', poolSize: 2 });
  try {
    const { db } = database;
    const { listId } = await seedBenchList(db, n);
    await db.execute(sql`update cases set status = 'open', final_outcome = null, closed_at = null, next_due_at = now() - interval '1 hour' where list_id = ${listId} and row_number % 2 = 0`);
    // Agents in a call: one open case in a hundred held, each by an agent of its own.
    await db.execute(sql`
      with held as (select id, attempts_made, row_number() over (order by row_number) as k from cases where list_id = ${listId} and status = 'open' and row_number % 200 = 0),
      agents as (insert into users (username, password_hash, display_name, role) select 'bench-agent-' || k, 'x', 'Agent ' || k, 'agent' from held returning id, username)
      insert into assignments (case_id, agent_id, attempt_no, queue, job_id, lock_token, assigned_at, expires_at)
      select held.id, agents.id, held.attempts_made + 1, 'bench', held.id::text, held.id::text, now(), now() + interval '1 hour'
      from held join agents on agents.username = 'bench-agent-' || held.k`);
    await db.execute(sql`analyze`);
    for (let i = 0; i < 2; i++) await listProgress(db, listId, new Date());
    const ms: number[] = [];
    let last: Awaited<ReturnType<typeof listProgress>> | undefined;
    for (let i = 0; i < POLLS; i++) {
      const start = performance.now();
      last = await listProgress(db, listId, new Date());
      ms.push(performance.now() - start);
    }
    ms.sort((a, b) => a - b);
    const median = Math.round(ms[POLLS / 2]! * 10) / 10;
    const max = Math.round(ms.at(-1)! * 10) / 10;
    const counts = { total: last!.total, callableNow: last!.callableNow, inCall: last!.inCall, closed: last!.closed };
    console.log(JSON.stringify({ bench: 'progress', cases: n, polls: POLLS, medianMs: median, maxMs: max, counts }));
    console.log(`\nprogress bench, ${n.toLocaleString('en')} cases: one poll ${median} ms (median of ${POLLS}, max ${max} ms); ${JSON.stringify(counts)}`);
  } finally {
    await database.close();
  }
} finally {
  await dropScratch(scratch);
}
