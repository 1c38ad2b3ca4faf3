import { asc, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { clients } from '../db/schema.js';
import { notFound } from '../http/errors.js';
import type { OutcomeEffect } from '../scheduling/settings.js';
import type { LeClient, LeCounts, LeQuery, LeReport, LeRow, OutcomeColumn } from './le.schemas.js';

/**
 * The LE report: attempts per client and day (in the client's time zone) or per agent, with
 * counts by outcome, reached, right-party contacts and payment promises.
 *
 * It reads `attempts` (with `clients` for zone and outcome labels, `users` for agent names), and
 * of `cases` only the currency of an attempt with a promise: retention blanks the personal data
 * of cases and the notes of attempts of delivered lists, but keeps every attempt row and each
 * case's currency, so the billed counts stay reproducible after retention. Keep it that way —
 * nothing personal of `cases`, no use of `attempts.note`.
 */

/** Client ids the caller may see; null: every client (admins). */
export type ClientScope = readonly string[] | null;

interface Group {
  client_id: string;
  /** The day `YYYY-MM-DD` or the agent id, by `groupBy`; null for attempts without agent. */
  key: string | null;
  outcome: string;
  attempts: number;
  right_party: number;
  promises: number;
  /** The currency of the promises' cases; null for a group without promises. */
  currency: string | null;
  /** The sum of a bigint column is numeric, which the drivers may hand over as text. */
  promise_cents: string | number;
  username?: string | null;
  display_name?: string | null;
}

/**
 * The report for `query` within `scope`. A `clientId` outside the scope reads as unknown (404);
 * routes check it first, to answer 403 like everywhere else.
 */
export async function leReport(db: Db, scope: ClientScope, query: LeQuery): Promise<LeReport> {
  const wanted = query.clientId;
  const ids = wanted ? (scope === null || scope.includes(wanted) ? [wanted] : []) : scope;
  const report: LeReport = { from: query.from, to: query.to, groupBy: query.groupBy, clients: [], totals: emptyCounts() };
  if (wanted && ids?.length === 0) throw notFound('Client');
  if (ids && ids.length === 0) return report;

  const clientRows = await db
    .select({ id: clients.id, code: clients.code, name: clients.name, settings: clients.settings })
    .from(clients)
    .where(ids ? inArray(clients.id, [...ids]) : undefined)
    .orderBy(asc(clients.code));
  if (wanted && clientRows.length === 0) throw notFound('Client');

  const groups = await aggregate(db, ids, query);
  const byClient = new Map(clientRows.map((c) => [c.id, new ClientReport(c, query.groupBy)]));
  for (const g of groups) {
    const client = byClient.get(g.client_id);
    if (!client) continue; // a client created between the two queries cannot have attempts in it
    client.add(g);
    addGroup(report.totals, g, client.reached(g.outcome));
  }
  report.clients = [...byClient.values()].filter((c) => c.hasAttempts() || c.id === wanted).map((c) => c.view());
  return report;
}

/**
 * The one aggregate query: attempts grouped by client, day-in-the-client's-zone or agent, and
 * outcome. Each client's period is its own: `from` 00:00 to `to` 24:00 on its wall clock, so an
 * attempt at 23:30 UTC on 31 Oct is 1 Nov for a Berlin client. The bounds are computed once per
 * client (a materialised CTE; inlined, PostgreSQL re-reads the settings jsonb for every attempt)
 * and are a plain range on `attempts_client_time`. Grouping by the `date` rather than its text
 * keeps the hash keys small. A year of 2.5 million attempts over 100 clients takes 4–6 s on
 * the 2-core development VM; one client's year about 0.2 s.
 */
async function aggregate(db: Db, ids: ClientScope, query: LeQuery): Promise<Group[]> {
  const inScope = ids ? sql`where id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``;
  const byAgent = query.groupBy === 'agent';
  const key: SQL = byAgent ? sql`a.agent_id` : sql`(a.recorded_at at time zone s.tz)::date`;
  // to_char, not ::text: the text form of a date follows the server's DateStyle.
  const keyText: SQL = byAgent ? sql`g.key::text` : sql`to_char(g.key, 'YYYY-MM-DD')`;
  const result: unknown = await db.execute(sql`
    with scope as materialized (
      select id, tz,
             (${query.from}::date)::timestamp at time zone tz as start_at,
             (${query.to}::date + 1)::timestamp at time zone tz as end_at
      from (select id, coalesce(settings->>'timezone', 'Europe/Berlin') as tz from clients ${inScope}) c
    ),
    grouped as (
      select a.client_id, ${key} as key, a.outcome,
             -- Looked up for the few attempts with a promise only: amounts of EUR and CHF are never added up.
             case when a.promise_amount_cents is not null then (select c.currency from cases c where c.id = a.case_id) end as currency,
             count(*)::int as attempts,
             count(*) filter (where a.right_party)::int as right_party,
             count(a.promise_amount_cents)::int as promises,
             coalesce(sum(a.promise_amount_cents), 0) as promise_cents
      from scope s
      join attempts a on a.client_id = s.id and a.recorded_at >= s.start_at and a.recorded_at < s.end_at
      group by 1, 2, 3, 4
    )
    select g.client_id::text as client_id, ${keyText} as key, g.outcome, g.currency, g.attempts, g.right_party, g.promises, g.promise_cents
           ${byAgent ? sql`, u.username, u.display_name` : sql``}
    from grouped g ${byAgent ? sql`left join users u on u.id = g.key` : sql``}`);
  return rowsOf<Group>(result);
}

type ClientRow = Pick<typeof clients.$inferSelect, 'id' | 'code' | 'name' | 'settings'>;

/** One client's part of the report, folded from its groups (a few per day or agent, not per attempt). */
class ClientReport {
  readonly id: string;
  readonly #client: ClientRow;
  readonly #effects: Map<string, OutcomeEffect>;
  readonly #rows = new Map<string, LeRow>();
  readonly #totals = emptyCounts();
  readonly #groupBy: LeQuery['groupBy'];

  constructor(client: ClientRow, groupBy: LeQuery['groupBy']) {
    this.id = client.id;
    this.#client = client;
    this.#groupBy = groupBy;
    this.#effects = new Map(client.settings.outcomes.map((o) => [o.code, o.effect]));
  }

  /**
   * Reached = somebody answered: the outcome's effect in the client's *current* settings is not
   * `retry` (close and callback both mean a conversation). A code the settings no longer know
   * counts as not reached, since nothing says what it meant.
   */
  reached(outcome: string): boolean {
    const effect = this.#effects.get(outcome);
    return effect !== undefined && effect !== 'retry';
  }

  add(g: Group): void {
    const rowKey = g.key ?? '';
    let row = this.#rows.get(rowKey);
    if (!row) {
      row = { ...emptyCounts(), date: null, agent: null };
      if (this.#groupBy === 'day') row.date = g.key;
      else if (g.key) row.agent = { id: g.key, username: g.username ?? '', displayName: g.display_name ?? '' };
      this.#rows.set(rowKey, row);
    }
    const reached = this.reached(g.outcome);
    addGroup(row, g, reached);
    addGroup(this.#totals, g, reached);
  }

  hasAttempts(): boolean {
    return this.#totals.attempts > 0;
  }

  view(): LeClient {
    const known: OutcomeColumn[] = this.#client.settings.outcomes.map((o) => ({ code: o.code, label: o.label, effect: o.effect }));
    const unknown: OutcomeColumn[] = Object.keys(this.#totals.byOutcome)
      .filter((code) => !this.#effects.has(code))
      .sort()
      .map((code) => ({ code, label: code, effect: null }));
    return {
      clientId: this.id,
      code: this.#client.code,
      name: this.#client.name,
      timezone: this.#client.settings.timezone,
      outcomes: [...known, ...unknown],
      rows: [...this.#rows.values()].sort(this.#groupBy === 'day' ? byDate : byAgentName),
      totals: this.#totals,
    };
  }
}

function emptyCounts(): LeCounts {
  return { attempts: 0, reached: 0, rightParty: 0, promises: 0, promiseAmountCents: 0, promiseAmountsCents: {}, byOutcome: {} };
}

function addGroup(into: LeCounts, g: Group, reached: boolean): void {
  into.attempts += g.attempts;
  if (reached) into.reached += g.attempts;
  into.rightParty += g.right_party;
  into.promises += g.promises;
  if (g.currency !== null) into.promiseAmountsCents[g.currency] = (into.promiseAmountsCents[g.currency] ?? 0) + Number(g.promise_cents);
  if (g.currency === 'EUR') into.promiseAmountCents += Number(g.promise_cents);
  into.byOutcome[g.outcome] = (into.byOutcome[g.outcome] ?? 0) + g.attempts;
}

const byDate = (a: LeRow, b: LeRow) => (a.date ?? '').localeCompare(b.date ?? '');

/** By display name as a German reader sorts; attempts without agent last. */
function byAgentName(a: LeRow, b: LeRow): number {
  if (!a.agent || !b.agent) return a.agent ? -1 : b.agent ? 1 : 0;
  return a.agent.displayName.localeCompare(b.agent.displayName, 'de') || a.agent.username.localeCompare(b.agent.username, 'de');
}
