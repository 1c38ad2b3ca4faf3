import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf } from './rows.js';

/**
 * This version started against a database a newer version already migrated. Drizzle would find
 * nothing to apply and let it run, writing with an idea of the tables and their values that is
 * no longer true (a column it does not fill, a state it does not know).
 */
export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';

  constructor(lastApplied: number, newestKnown: number) {
    super(
      `The database schema is newer than this version of Mahnanrufe (its last migration is from ${new Date(lastApplied).toISOString()}, ` +
        `this version knows migrations up to ${new Date(newestKnown).toISOString()}): start the newer version, or restore the backup taken before the upgrade`,
    );
  }
}

/**
 * Throws {@link SchemaTooNewError} when the newest migration applied to the database (`created_at`
 * in ms, `null` when none is) is newer than the newest one this version has (a journal `when`).
 * The timestamps are the ones Drizzle itself orders by: it applies what is newer than the last applied.
 */
export function assertSchemaNotNewer(lastApplied: number | null, newestKnown: number): void {
  if (lastApplied !== null && lastApplied > newestKnown) throw new SchemaTooNewError(lastApplied, newestKnown);
}

/** The newest migration of this version: the largest `when` in the journal (Drizzle stores it as `created_at`). */
export function newestKnownMigration(migrationsFolder: string): number {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ when: number }> };
  return Math.max(...journal.entries.map((e) => e.when));
}

/** `created_at` of the newest migration applied to the database; `null` on one never migrated. */
export async function lastAppliedMigration(db: { execute(query: SQL): PromiseLike<unknown> }): Promise<number | null> {
  // to_regclass is null, not an error, while the schema or the table does not exist yet.
  const [table] = rowsOf<{ exists: boolean }>(await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`));
  if (!table?.exists) return null;
  // bigint: postgres.js gives a string, PGlite a bigint.
  const [row] = rowsOf<{ last: string | bigint | null }>(await db.execute(sql`select max(created_at) as last from drizzle.__drizzle_migrations`));
  return row?.last == null ? null : Number(row.last);
}

/** Refuses (with {@link SchemaTooNewError}) a database a newer version of this program has migrated. */
export async function refuseNewerSchema(db: { execute(query: SQL): PromiseLike<unknown> }, migrationsFolder: string): Promise<void> {
  assertSchemaNotNewer(await lastAppliedMigration(db), newestKnownMigration(migrationsFolder));
}
