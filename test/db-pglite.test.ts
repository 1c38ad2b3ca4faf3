import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { clients, users } from '../src/db/schema.js';
import { ensureFirstAdmin } from '../src/auth/bootstrap-admin.js';
import { defaultSchedulingSettings } from '../src/scheduling/settings.js';

/** The newcomer's path: no DATABASE_URL, embedded PGlite under DATA_DIR, same migrations. */
describe('embedded PGlite database', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mahn-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, stores and reads, and keeps the data across a reopen', async () => {
    const first = openDatabase({ dataDir: dir });
    expect(first.kind).toBe('pglite');
    await first.migrate();
    await first.db.insert(clients).values({ code: 'SWM', name: 'Stadtwerke Muster', settings: defaultSchedulingSettings });
    const admin = await ensureFirstAdmin(first.db, 'admin', 'a-long-password');
    expect(admin).toMatchObject({ created: true, generatedPassword: null });
    await first.close();

    const second = openDatabase({ dataDir: dir });
    await second.migrate(); // a second run finds nothing to do
    const [row] = await second.db.select().from(clients).where(eq(clients.code, 'SWM'));
    expect(row?.settings.maxAttempts).toBe(3);
    expect(await ensureFirstAdmin(second.db, 'admin', undefined)).toEqual({ created: false });
    const all = await second.db.select().from(users);
    expect(all.map((u) => u.role)).toEqual(['admin']);
    await second.close();
  });
});
