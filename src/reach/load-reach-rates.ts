import type { Db, Tx } from '../db/client.js';
import { reachRates } from '../db/schema.js';
import { addCounts, emptyCounts, type DayType, type ReachCell, type ReachCounts, type ReachRates } from '../scheduling/index.js';

/**
 * The loaded reach rates, held per process for {@link RATES_TTL_MS}: `reach_rates` is small
 * (clients × 2 × windows) and changes only when the maintenance task rebuilds it, so an outcome
 * costs no query for them most of the time.
 */

/** How long a process keeps the table before it reads it again. */
export const RATES_TTL_MS = 60_000;

interface Loaded {
  at: number;
  byClient: Map<string, ReachCell[]>;
  prior: ReachCounts;
  refreshedAt: Date | null;
}

const cache = new WeakMap<Db | Tx, Loaded>();

async function load(db: Db | Tx, now: Date): Promise<Loaded> {
  const rows = await db.select().from(reachRates);
  const byClient = new Map<string, ReachCell[]>();
  const prior = emptyCounts();
  let refreshedAt: Date | null = null;
  for (const r of rows) {
    const cell: ReachCell = { dayType: r.dayType as DayType, window: r.window, attempts: r.attempts, reached: r.reached, rightParty: r.rightParty };
    const cells = byClient.get(r.clientId);
    if (cells) cells.push(cell);
    else byClient.set(r.clientId, [cell]);
    addCounts(prior, cell);
    if (!refreshedAt || r.refreshedAt > refreshedAt) refreshedAt = r.refreshedAt;
  }
  return { at: now.getTime(), byClient, prior, refreshedAt };
}

async function loaded(db: Db | Tx, now: Date): Promise<Loaded> {
  const held = cache.get(db);
  // A clock that went back (tests) reads again too.
  if (held && now.getTime() - held.at < RATES_TTL_MS && now.getTime() >= held.at) return held;
  const fresh = await load(db, now);
  cache.set(db, fresh);
  return fresh;
}

/** One client's rates and the prior pooled over all clients, as of the last refresh. */
export async function loadReachRates(db: Db | Tx, clientId: string, now: Date): Promise<ReachRates & { refreshedAt: Date | null }> {
  const l = await loaded(db, now);
  return { cells: l.byClient.get(clientId) ?? [], prior: l.prior, refreshedAt: l.refreshedAt };
}

/** Drops this process's copy (after a refresh), so the next read sees the new table. */
export function forgetReachRates(db: Db | Tx): void {
  cache.delete(db);
}
