import type { Db } from './client.js';

const cache = new WeakMap<Db, Map<string, unknown>>();

/**
 * A Drizzle prepared query, built once per database and reused: building SQL from the query
 * builder on every call is a large share of the CPU on the dispatch hot path. `build` gets the
 * database and returns `db.select(…).where(… sql.placeholder('x') …).prepare(name)`.
 */
export function prepared<T>(db: Db, name: string, build: (db: Db) => T): T {
  let byName = cache.get(db);
  if (!byName) cache.set(db, (byName = new Map()));
  let query = byName.get(name) as T | undefined;
  if (!query) byName.set(name, (query = build(db)));
  return query;
}
