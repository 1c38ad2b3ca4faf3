import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATION_LOCK, MigrationLockTimeoutError, openDatabase } from '../src/db/client.js';
import { rowsOf } from '../src/db/rows.js';
import { assertSchemaNotNewer, lastAppliedMigration, newestKnownMigration, SchemaTooNewError } from '../src/db/schema-version.js';
import { safeError } from '../src/safe-error.js';
import { createTestDatabase } from './helpers/db.js';
import { ADMIN_DATABASE_URL, databaseUrl, TEST_REDIS_URL } from './helpers/env.js';
import { eventually } from './helpers/eventually.js';
import { runToExit } from './helpers/processes.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MIGRATIONS = path.join(ROOT, 'drizzle');
const NEWEST = newestKnownMigration(MIGRATIONS);
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** An empty database (not the migrated template), named as `createTestDatabase` names its clones so a later run drops a leftover. */
async function createEmptyDatabase(): Promise<string> {
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin<{ epoch: number }[]>`select floor(extract(epoch from now()))::int as epoch`;
    const name = `mahn_t_${row!.epoch}_${randomBytes(4).toString('hex')}`;
    await admin.unsafe(`create database "${name}"`);
    cleanups.push(async () => {
      const a = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`).finally(() => a.end());
    });
    return databaseUrl(name);
  } finally {
    await admin.end();
  }
}

/** A connection of the test's own, ended after the file. */
function connect(url: string): postgres.Sql {
  const conn = postgres(url, { max: 1, onnotice: () => {} });
  cleanups.push(() => conn.end());
  return conn;
}

/** A migrations folder with this version's migrations before `tag`: what an older release had. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mahn-migrations-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThan(0);
  const entries = journal.entries.slice(0, cut);
  mkdirSync(path.join(dir, 'meta'));
  writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const e of entries) copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

/** What `promise` came to within `ms`: its value, the error it rejected with, or a note that it is still pending. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise((resolve) => (timer = setTimeout(() => resolve(`still pending after ${ms} ms`), ms)));
  try {
    return await Promise.race([promise.then((value) => value, (err: unknown) => err), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the comparison', () => {
  it('refuses only a database whose last migration is newer than the newest this version knows', () => {
    expect(() => assertSchemaNotNewer(null, NEWEST)).not.toThrow();
    expect(() => assertSchemaNotNewer(NEWEST - DAY, NEWEST)).not.toThrow();
    expect(() => assertSchemaNotNewer(NEWEST, NEWEST)).not.toThrow();
    expect(() => assertSchemaNotNewer(NEWEST + 1, NEWEST)).toThrow(SchemaTooNewError);
  });

  it('says both dates and what to do, and the log carries the message whole', () => {
    const err = new SchemaTooNewError(Date.UTC(2031, 0, 2, 3, 4, 5), Date.UTC(2030, 5, 6, 7, 8, 9));
    expect(err.message).toBe(
      'The database schema is newer than this version of Mahnanrufe (its last migration is from 2031-01-02T03:04:05.000Z, this version knows migrations up to 2030-06-06T07:08:09.000Z): start the newer version, or restore the backup taken before the upgrade',
    );
    // What a log line shows of it (`logSafeError`): shortened or with values cut, it would say less.
    expect(safeError(err)).toEqual({ name: 'SchemaTooNewError', message: err.message });
  });
});

describe('PostgreSQL', () => {
  it('a database this version migrated migrates again; one a newer version migrated is refused, with both dates', async () => {
    const t = await createTestDatabase();
    cleanups.push(t.drop);
    await t.database.migrate(); // the same migrations: nothing to do
    expect(await lastAppliedMigration(t.database.db)).toBe(NEWEST);

    await t.database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${NEWEST + DAY})`);
    const refused = await t.database.migrate().then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(SchemaTooNewError);
    expect((refused as Error).message).toContain(`its last migration is from ${iso(NEWEST + DAY)}, this version knows migrations up to ${iso(NEWEST)}`);
  });

  it('waits for another replica migrating without a time limit, then checks what that one left', async () => {
    const t = await createTestDatabase();
    cleanups.push(t.drop);
    const replica = connect(t.url);
    await replica`select pg_advisory_lock(${MIGRATION_LOCK})`;

    const lockTimeoutMs = 100;
    const migrating = t.database.migrate({ lockTimeoutMs }).then(() => null, (err: unknown) => err);
    // Waiting on the advisory lock ten times as long as lock_timeout: that wait is not cut short.
    await eventually(async () => {
      const [row] = await replica<{ waitedMs: number }[]>`
        select extract(epoch from clock_timestamp() - a.query_start) * 1000 as "waitedMs"
        from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and not l.granted and l.objid = ${MIGRATION_LOCK} and a.datname = current_database()`;
      return row && row.waitedMs > 10 * lockTimeoutMs;
    }, 10_000, 'the migration waiting for the advisory lock');

    // The other replica, a newer version, finishes its migration and lets go.
    await replica`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${NEWEST + DAY})`;
    await replica`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    expect(await migrating).toBeInstanceOf(SchemaTooNewError);
  });

  it('migrates a fresh database', async () => {
    const url = await createEmptyDatabase();
    const database = openDatabase({ url, dataDir: '/nonexistent', poolSize: 1 });
    cleanups.push(() => database.close());
    expect(await lastAppliedMigration(database.db)).toBeNull();
    await database.migrate();
    expect(await lastAppliedMigration(database.db)).toBe(NEWEST);
  });

  it('a migration waiting for a busy table gives up after lock_timeout, changes nothing, and runs once the table is free', async () => {
    // A database an older release migrated: 0011 (`ALTER TABLE dials …`) and later are still to come.
    const url = await createEmptyDatabase();
    const older = connect(url);
    await migrate(drizzle(older), { migrationsFolder: migrationsBefore('0011_dialled-number') });
    const database = openDatabase({ url, dataDir: '/nonexistent', poolSize: 1 });
    cleanups.push(() => database.close());
    const before = await lastAppliedMigration(database.db);
    expect(before).toBeLessThan(NEWEST);
    const hasDialledNumber = async () => (await older`select 1 from information_schema.columns where table_name = 'dials' and column_name = 'phone_e164'`).length === 1;

    // An agent's long transaction on the table the migration alters.
    const busy = await connect(url).reserve();
    try {
      await busy`begin`;
      await busy`lock table dials in access exclusive mode`;
      const failed = await settledWithin(database.migrate({ lockTimeoutMs: 300 }), 5_000);
      expect(failed).toBeInstanceOf(MigrationLockTimeoutError);
      expect(safeError(failed)).toEqual({ name: 'MigrationLockTimeoutError', code: '55P03', message: (failed as Error).message });
      expect((failed as Error).message).toMatch(/^A database migration waited 0\.3 s for a table lock .* gave up.* tried again at the next start/);
      expect(await hasDialledNumber()).toBe(false);
      expect(await lastAppliedMigration(database.db)).toBe(before);
      // lock_timeout is the migrator's: the application's pool waits for locks as before.
      expect(rowsOf(await database.db.execute(sql`show lock_timeout`))).toEqual([{ lock_timeout: '0' }]);
    } finally {
      await busy`rollback`;
      busy.release();
    }

    await database.migrate({ lockTimeoutMs: 300 });
    expect(await hasDialledNumber()).toBe(true);
    expect(await lastAppliedMigration(database.db)).toBe(NEWEST);
  });

  it('a process started against a newer schema says so in one log line and exits 1', async () => {
    const t = await createTestDatabase();
    cleanups.push(t.drop);
    await t.database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${NEWEST + DAY})`);
    const prefix = `t-schema-${randomUUID().slice(0, 8)}`;
    cleanups.push(async () => {
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    });

    const { code, stdout, stderr } = await runToExit('src/server.ts', { DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, PORT: '0', LOG_LEVEL: 'fatal' });

    expect(code).toBe(1);
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { level: number; err: { type: string; message: string } };
    expect(line.level).toBe(60);
    expect(line.err.type).toBe('SchemaTooNewError');
    expect(line.err.message).toContain(`its last migration is from ${iso(NEWEST + DAY)}, this version knows migrations up to ${iso(NEWEST)}): start the newer version`);
  }, 60_000);
});

describe('npm run db:migrate', () => {
  it('says in one line why it applied nothing and exits 1, without a stack trace', async () => {
    const t = await createTestDatabase();
    cleanups.push(t.drop);
    await t.database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${NEWEST + DAY})`);
    const { code, stdout, stderr } = await runToExit('src/db/migrate-cli.ts', { DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL });

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Migrations not applied: The database schema is newer than this version of Mahnanrufe \(its last migration is from /)]);
  }, 60_000);
});

describe('embedded PGlite', () => {
  it('migrates a fresh and an up-to-date data directory, and refuses one a newer version migrated', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mahn-schema-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const database = openDatabase({ dataDir });
    cleanups.push(() => database.close());
    expect(database.kind).toBe('pglite');

    await database.migrate();
    expect(await lastAppliedMigration(database.db)).toBe(NEWEST);
    await database.migrate(); // equal: nothing to do

    await database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${NEWEST + DAY})`);
    const refused = await database.migrate().then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(SchemaTooNewError);
    expect((refused as Error).message).toContain(`its last migration is from ${iso(NEWEST + DAY)}, this version knows migrations up to ${iso(NEWEST)}`);
  }, 60_000);
});
