import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { clients, reachRates } from '../db/schema.js';
import { foldAttempts, schedulingSettingsSchema, type AttemptGroup, type DayType } from '../scheduling/index.js';
import { forgetReachRates } from './load-reach-rates.js';

/**
 * Rebuilds `reach_rates` from `attempts`: per client, the attempts of its last `learningDays`
 * grouped by weekday type and window (both on the client's wall clock, a window being the
 * narrowest one holding the attempt's minute, as `windowAt` decides), outcome, right party and
 * the outcome of the case's attempt before (a call back is left out by `foldAttempts`);
 * folded into counts by each client's current outcome effects. Runs as the `reach-rates`
 * maintenance task; a retry reads the table, never the attempts.
 */

interface GroupRow {
  client_id: string;
  day_type: DayType;
  window: string | null;
  outcome: string;
  right_party: boolean | null;
  previous_outcome: string | null;
  count: number;
}

/** `"HH:MM"` (a jsonb text element) as minutes of the day. */
const minutes = (element: 0 | 1) => sql.raw(`(split_part(w.value->>${element}, ':', 1)::int * 60 + split_part(w.value->>${element}, ':', 2)::int)`);

async function attemptGroups(db: Db, now: Date): Promise<GroupRow[]> {
  const result: unknown = await db.execute(sql`
    with scope as materialized (
      select id, coalesce(settings->>'timezone', 'Europe/Berlin') as tz, settings->'windows' as windows,
             ${now.toISOString()}::timestamptz - make_interval(days => coalesce((settings->>'learningDays')::int, 90)) as since
      from clients
    ),
    local as (
      select a.client_id, a.outcome, a.right_party, s.windows, coalesce(a.called_at, a.recorded_at) at time zone s.tz as at,
             (select p.outcome from attempts p where p.case_id = a.case_id and p.attempt_no = a.attempt_no - 1) as previous_outcome
      from scope s
      join attempts a on a.client_id = s.id and a.recorded_at >= s.since and a.recorded_at <= ${now.toISOString()}::timestamptz
    )
    select l.client_id::text as client_id,
           case when extract(isodow from l.at) >= 6 then 'weekend' else 'weekday' end as day_type,
           win.name as window, l.outcome, l.right_party, l.previous_outcome, count(*)::int as count
    from local l
    left join lateral (
      select w.key as name
      from jsonb_each(coalesce(l.windows, '{}'::jsonb)) w
      where (extract(hour from l.at) * 60 + extract(minute from l.at))::int >= ${minutes(0)}
        and (extract(hour from l.at) * 60 + extract(minute from l.at))::int < ${minutes(1)}
      order by ${minutes(1)} - ${minutes(0)}, ${minutes(0)} desc, w.key collate "C"
      limit 1
    ) win on true
    group by 1, 2, 3, 4, 5, 6`);
  return rowsOf<GroupRow>(result);
}

/** Recomputes every client's rates as of `now`; answers how many cells were written. */
export async function refreshReachRates(db: Db, now: Date): Promise<{ clients: number; cells: number }> {
  const groups = await attemptGroups(db, now);
  const byClient = new Map<string, AttemptGroup[]>();
  for (const g of groups) {
    const list = byClient.get(g.client_id) ?? [];
    list.push({ dayType: g.day_type, window: g.window, outcome: g.outcome, rightParty: g.right_party, previousOutcome: g.previous_outcome, count: g.count });
    byClient.set(g.client_id, list);
  }
  const settingsRows = await db.select({ id: clients.id, settings: clients.settings }).from(clients);
  const rows = settingsRows.flatMap(({ id, settings }) => {
    const parsed = schedulingSettingsSchema.safeParse(settings);
    if (!parsed.success) return [];
    return foldAttempts(byClient.get(id) ?? [], parsed.data.outcomes).map((cell) => ({ clientId: id, ...cell, refreshedAt: now }));
  });
  await db.transaction(async (tx) => {
    // Two workers starting together both rebuild: one after the other, not interleaved.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('reach_rates'))`);
    await tx.delete(reachRates);
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(reachRates).values(rows.slice(i, i + 1000));
  });
  forgetReachRates(db);
  return { clients: byClient.size, cells: rows.length };
}
