import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { attempts, cases, clients, dunningLists, users } from '../src/db/schema.js';
import { systemClock } from '../src/clock.js';
import type { DispatchDeps } from '../src/deps.js';
import { recordOutcome } from '../src/dispatch/record-outcome.js';
import { ensureFirstAdmin } from '../src/auth/bootstrap-admin.js';
import { defaultSchedulingSettings } from '../src/scheduling/settings.js';

/** The newcomer's path: no DATABASE_URL, embedded PGlite under DATA_DIR, same migrations. */
describe('embedded PGlite database', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mahn-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, stores and reads, and keeps the data across a reopen', async () => {
    const first = openDatabase({ dataDir: dir });
    expect(first.kind).toBe('pglite');
    // The database's files: the service's own user only.
    expect(statSync(path.join(dir, 'pglite')).mode & 0o777).toBe(0o700);
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

  it('records an outcome: the attempt, the case closed and the list completed, in one statement', async () => {
    const database = openDatabase({ dataDir: path.join(dir, 'outcome') });
    await database.migrate();
    const { db } = database;
    const [client] = await db.insert(clients).values({ code: 'EWB', name: 'Energie West', settings: defaultSchedulingSettings }).returning();
    const [list] = await db.insert(dunningLists).values({ clientId: client!.id, name: 'Liste', status: 'active', fileName: 'l.xlsx', fileSha256: 'x', fileBytes: 1 }).returning();
    const phones = [{ raw: '089 1234567', e164: '+49891234567', kind: 'phone', status: 'active' }];
    const [c] = await db
      .insert(cases)
      .values({ listId: list!.id, clientId: client!.id, rowNumber: 2, customerNo: 'K1', name: 'Erika Muster', phoneRaw: '089 1234567', phoneE164: '+49891234567', phones: phones as never, country: 'DE', amountCents: 12_000 })
      .returning();
    const d = { db, clock: systemClock, config: {}, log: { debug() {}, info() {}, warn() {} } } as unknown as DispatchDeps;
    const job = { assignmentId: '00000000-0000-4000-8000-000000000003', caseId: c!.id, attemptNo: 1, agentId: null as unknown as string, recordedAt: new Date().toISOString(), body: { outcome: 'promise_to_pay', promise: { amountCents: 5_000, date: '2099-01-31' } } };
    await recordOutcome(d, job);
    await recordOutcome(d, job); // a re-run records nothing twice

    const [after] = await db.select().from(cases).where(eq(cases.id, c!.id));
    expect(after).toMatchObject({ status: 'closed', finalOutcome: 'promise_to_pay', attemptsMade: 1, promiseAmountCents: 5_000, promiseDate: '2099-01-31', phones });
    expect(await db.select().from(attempts).where(eq(attempts.caseId, c!.id))).toMatchObject([{ attemptNo: 1, outcome: 'promise_to_pay', phoneE164: '+49891234567' }]);
    const [done] = await db.select().from(dunningLists).where(eq(dunningLists.id, list!.id));
    expect(done!.status).toBe('completed');
    await database.close();
  });
});
