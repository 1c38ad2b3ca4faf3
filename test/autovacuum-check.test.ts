import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAutovacuum } from '../src/db/autovacuum.js';
import { openDatabase, type Database } from '../src/db/client.js';
import type { createLogger } from '../src/log.js';
import { createTestDatabase } from './helpers/db.js';

function recordingLog() {
  const warnings: unknown[][] = [];
  const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as ReturnType<typeof createLogger>;
  return { log, warnings };
}

describe('the autovacuum check at start-up', () => {
  it("reads the server's setting and warns exactly when it is off", async () => {
    const t = await createTestDatabase();
    const direct = postgres(t.url, { max: 1 });
    try {
      const [{ autovacuum }] = (await direct`show autovacuum`) as unknown as [{ autovacuum: string }];
      const { log, warnings } = recordingLog();
      expect(await checkAutovacuum(t.database, log)).toBe(autovacuum);
      expect(warnings.length).toBe(autovacuum === 'off' ? 1 : 0);
    } finally {
      await direct.end();
      await t.drop();
    }
  });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'mahn-autovacuum-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stays silent on the embedded database, without asking it', async () => {
    // PGlite runs no autovacuum worker; the check must not even query it.
    const untouchable = new Proxy({}, { get: () => { throw new Error('the embedded database was queried'); } });
    const database = { kind: 'pglite', db: untouchable } as unknown as Database;
    const { log, warnings } = recordingLog();
    expect(await checkAutovacuum(database, log)).toBeNull();
    expect(warnings).toEqual([]);
  });

  it('warns and goes on when the setting cannot be read', async () => {
    const t = await createTestDatabase();
    const url = t.url;
    await t.drop();
    // A database that is gone: the query fails, start-up must not.
    const database = openDatabase({ url, dataDir: dir, poolSize: 1 });
    try {
      const { log, warnings } = recordingLog();
      expect(await checkAutovacuum(database, log)).toBeNull();
      expect(warnings.length).toBe(1);
    } finally {
      await database.close();
    }
  });
});
