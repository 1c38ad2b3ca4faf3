import { eq, sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.js';
import { rowsOf } from '../src/db/rows.js';
import { caseQueue, personalQueue } from '../src/dispatch/case-state.js';
import { users } from '../src/db/schema.js';
import { anyLanguageQueue, caseLanguages } from '../src/dispatch/routing.js';

/**
 * Every client, language and second language of the open cases, one index probe each: a loose
 * scan ("skip scan", which PostgreSQL does not plan by itself) over `cases_open_routing`. A plain
 * `select distinct` read every open case — 70–170 ms of PostgreSQL at 200,000 cases, once a
 * minute, growing with the data; this reads as many index entries as there are combinations.
 */
const OPEN_ROUTES = sql`
  with recursive routes (client_id, language, second) as (
    (select client_id, language, coalesce(second_language, '') from cases
     where status = 'open' order by 1, 2, 3 limit 1)
    union all
    select next.* from routes cross join lateral (
      select client_id, language, coalesce(second_language, '') from cases
      where status = 'open' and (client_id, language, coalesce(second_language, '')) > (routes.client_id, routes.language, routes.second)
      order by 1, 2, 3 limit 1
    ) next
  )
  select client_id, language, nullif(second, '') as second_language from routes`;

/** The call queues that can hold a job of an open case: each case's language queues and its client's any-language queue. */
export async function openCaseQueues(db: Db): Promise<Set<string>> {
  const routes = rowsOf<{ client_id: string; language: string; second_language: string | null }>(await db.execute(OPEN_ROUTES));
  const queues = new Set<string>();
  for (const r of routes) {
    for (const language of caseLanguages({ language: r.language, secondLanguage: r.second_language })) queues.add(caseQueue({ clientId: r.client_id, language }));
    queues.add(anyLanguageQueue(r.client_id));
  }
  return queues;
}

/**
 * Every agent's personal-callback queue (`calls-u-<agent>`): a job handed out from one whose
 * holder died before its assignment was written is found nowhere else once the owner's pulls
 * dropped the empty queue from the ready index. One row per agent, deactivated ones included
 * (their callbacks may still wait there).
 */
export async function personalQueues(db: Db): Promise<Set<string>> {
  const agents = await db.select({ id: users.id }).from(users).where(eq(users.role, 'agent'));
  return new Set(agents.map((a) => personalQueue(a.id)));
}
