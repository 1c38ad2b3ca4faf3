import { privateDirSync } from '../private-dir.js';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.js';
import { refuseNewerSchema } from './schema-version.js';
import { fromRoot } from '../paths.js';

export type Schema = typeof schema;
/** Either driver behind one type: services never know which one runs. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /**
   * Applies the migrations this version has; refuses a database a newer version migrated
   * (`SchemaTooNewError`). Under PostgreSQL a statement waits at most `lockTimeoutMs` (default
   * 10 000; tests shorten it) for a table's lock, then fails with `MigrationLockTimeoutError`.
   */
  migrate(opts?: { lockTimeoutMs?: number }): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The advisory lock a process holds while it migrates (exported for tests). */
export const MIGRATION_LOCK = 7_264_001;
const migrationsFolder = fromRoot('drizzle');

/**
 * A migration that waits for a busy table's lock makes every query on that table queue behind it:
 * all agents would be stuck. It gives up after a while instead; the process exits and the
 * migration runs again when the process is started again.
 */
const MIGRATION_LOCK_TIMEOUT_MS = 10_000;

/**
 * A migration gave up waiting for a table lock. `code` is PostgreSQL's (lock_not_available): the
 * log shows this message with it, not the driver's bare "canceling statement due to lock timeout".
 */
export class MigrationLockTimeoutError extends Error {
  override name = 'MigrationLockTimeoutError';
  readonly code = '55P03';

  constructor(lockTimeoutMs: number, cause: unknown) {
    super(
      `A database migration waited ${lockTimeoutMs / 1000} s for a table lock held by running queries and gave up, so that agents' requests do not queue behind it; ` +
        `nothing was changed, and the migration is tried again at the next start (if this keeps happening, start the new version in a quiet hour)`,
      { cause },
    );
  }
}

/** True when `err` (or what Drizzle wraps in it) is PostgreSQL's lock_not_available: lock_timeout ran out. */
function isLockTimeout(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if ((e as { code?: unknown }).code === '55P03') return true;
  return false;
}

/**
 * Drizzle runs its queries through `sql.unsafe` unprepared, so postgres.js first asks the
 * server to describe every parameterised statement: two round trips, and on this hot path
 * (every pull and outcome) the socket writes are most of the CPU. Preparing them makes a repeat
 * one round trip. Statements with many parameters (`IN` lists of varying length) stay
 * unprepared, so the per-connection statement cache stays small. Transactions use their own
 * client and are unaffected.
 */
function preparedStatements<T extends postgres.Sql | postgres.TransactionSql>(sql: T): T {
  const MAX_PREPARED_PARAMS = 64;
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, args?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, args, { ...options, prepare: (args?.length ?? 0) <= MAX_PREPARED_PARAMS });
      }
      // A transaction runs on a client of its own: it gets the same treatment (Drizzle's
      // transactions would otherwise parse and plan every statement anew).
      if (prop === 'begin' && 'begin' in target) {
        return (...args: unknown[]) => {
          const run = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target as postgres.Sql).begin(...(args as [string]), (tx) => run(preparedStatements(tx)));
        };
      }
      if (prop === 'savepoint' && 'savepoint' in target) {
        return (...args: unknown[]) => {
          const run = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target as postgres.TransactionSql).savepoint(...(args as [string]), (tx) => run(preparedStatements(tx)));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/**
 * How long postgres.js waits before connecting again after a failed connection. Its default grows
 * to 20 s, and a query waits that long for the connection: with PostgreSQL away every request
 * would hang for up to 20 s instead of getting a 503 at once. Capped at 1 s here.
 */
export const reconnectDelaySeconds = (retries: number): number => Math.min(0.05 * 2 ** retries, 1);

/**
 * Set on every connection. A transaction left open by a process that vanished without closing
 * its socket (a host lost power mid-import) holds its locks until TCP gives up, hours later, and
 * the import's re-run waits on its rows: PostgreSQL ends it after 5 idle minutes. No transaction
 * of ours idles that long between two statements.
 */
const SESSION_SETTINGS = { idle_in_transaction_session_timeout: 5 * 60_000 };

/** postgres.js when a URL is given (production, tests); embedded PGlite under `dataDir` otherwise. */
export function openDatabase(opts: { url?: string; dataDir: string; poolSize?: number }): Database {
  if (opts.url) {
    const sql = postgres(opts.url, { max: opts.poolSize ?? 10, onnotice: () => {}, connect_timeout: 5, backoff: reconnectDelaySeconds, connection: SESSION_SETTINGS });
    const db = drizzlePostgres(preparedStatements(sql), { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: async ({ lockTimeoutMs = MIGRATION_LOCK_TIMEOUT_MS } = {}) => {
        const migrator = postgres(opts.url!, { max: 1, onnotice: () => {} });
        try {
          // Several replicas may start at once: one migrates, the others wait and find nothing to do.
          await migrator`select pg_advisory_lock(${MIGRATION_LOCK})`;
          // Only once the advisory lock is held: lock_timeout would also end the wait for that one,
          // and a replica waiting for another's migration must not fail. The migrator's session only.
          await migrator`select set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, false)`;
          const mdb = drizzlePostgres(migrator);
          // Under the advisory lock: a newer replica may be migrating right now.
          await refuseNewerSchema(mdb, migrationsFolder);
          await migratePostgres(mdb, { migrationsFolder }).catch((err: unknown) => {
            throw isLockTimeout(err) ? new MigrationLockTimeoutError(lockTimeoutMs, err) : err;
          });
        } finally {
          await migrator.end();
        }
      },
      ping: async () => {
        await sql`select 1`;
      },
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const dir = path.resolve(opts.dataDir, 'pglite');
  privateDirSync(dir);
  const client = new PGlite(dir);
  const pdb = drizzlePglite(client, { schema });
  return {
    db: pdb as unknown as Db,
    kind: 'pglite',
    // One process has the data directory: no other replica, no other session's locks.
    migrate: async () => {
      await refuseNewerSchema(pdb, migrationsFolder);
      await migratePglite(pdb, { migrationsFolder });
    },
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}
