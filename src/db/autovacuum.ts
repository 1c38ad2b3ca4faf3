import { sql } from 'drizzle-orm';
import type { Logger } from '../log.js';
import type { Database } from './client.js';
import { rowsOf } from './rows.js';

/**
 * Dispatch needs current statistics: its statements are prepared, and PostgreSQL keeps a generic
 * plan made while `assignments` and `attempts` were nearly empty — sequential scans of both —
 * until an ANALYZE of the table replaces it. Autovacuum does that after the first few dozen rows;
 * with it off, every pull scans ever larger tables. Warn loudly, as for Redis's eviction policy.
 * Returns the setting (null for the embedded database, which has no autovacuum to speak of).
 */
export async function checkAutovacuum(database: Database, log: Logger): Promise<string | null> {
  if (database.kind !== 'postgres') return null;
  try {
    const [row] = rowsOf<{ setting: string }>(await database.db.execute(sql`select current_setting('autovacuum') as setting`));
    const setting = row?.setting ?? null;
    if (setting === 'off') {
      log.warn({ autovacuum: setting }, 'PostgreSQL autovacuum is off: query plans made on the first, near-empty tables stay; turn it on, or run ANALYZE regularly');
    }
    return setting;
  } catch (err) {
    log.warn({ err }, 'could not read PostgreSQL autovacuum setting');
    return null;
  }
}
