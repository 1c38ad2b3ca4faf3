import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database, type Db } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';
import { ADMIN_DATABASE_URL, databaseUrl } from './env.js';

/** A fresh database cloned from the migrated template; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; database: Database; drop: () => Promise<void> }> {
  // The creation time in the name lets a later run drop leftovers without touching a running
  // one: PostgreSQL's clock, as tests fake this process's.
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  let name = '';
  try {
    const [row] = await admin<{ epoch: number }[]>`select floor(extract(epoch from now()))::int as epoch`;
    name = `mahn_t_${row!.epoch}_${randomBytes(4).toString('hex')}`;
    await admin.unsafe(`create database "${name}" template "${inject('templateDb')}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const database = openDatabase({ url, dataDir: '/nonexistent', poolSize: 5 });
  return {
    url,
    database,
    drop: async () => {
      await database.close();
      const a = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

/**
 * Whether a connection to `db`'s database waits for a lock (a row's, an index entry's) — one
 * running a statement `like` the pattern, when given (workers running beside may wait for their
 * own): the moment a race test commits.
 */
export async function waitingForALock(db: Db, like = '%'): Promise<boolean> {
  return rowsOf(await db.execute(sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like ${like}`)).length > 0;
}
