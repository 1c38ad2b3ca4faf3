import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { cases, dunningLists, importFiles } from '../src/db/schema.js';
import { lockImport } from '../src/lists/import-lock.js';
import { runImport } from '../src/lists/run-import.js';
import { importJobId } from '../src/lists/upload.js';
import { createLogger } from '../src/log.js';
import { recover } from '../src/recovery/recover.js';
import { reportProgress } from '../workers/imports.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { largeXlsx, serviceDeps, upload } from './helpers/workbooks.js';

/**
 * Redis losing an import's job while a workers process imports the list (FLUSHALL, a failover to
 * an empty replica): the import finishes from PostgreSQL's side, and `recover`, finding the job
 * gone, does not start a second run beside it.
 */
let t: TestContext;
let admin: string;
beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t?.close());

const listOf = async (id: string) => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, id)))[0]!;
const casesOf = async (id: string) => (await t.db.select({ n: count() }).from(cases).where(eq(cases.listId, id)))[0]!.n;

/** Runs `body` while another "process" holds the list's import lock, in a transaction of its own. */
async function whileImporting<T>(listId: string, body: () => Promise<T>): Promise<T> {
  let result!: T;
  await t.db.transaction(async (tx) => {
    expect(await lockImport(tx, listId)).toBe(true);
    result = await body();
  });
  return result;
}

describe('an import whose job Redis lost', () => {
  it('finishes: its progress, no longer reportable, does not fail it', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const listId = await upload(t, admin, clientId, await largeXlsx(2_500, 'F'));
    const job = (await t.queues.get('imports').getJob(importJobId(listId)))!;
    await job.remove(); // what a flush does to it
    await runImport(serviceDeps(t), listId, reportProgress(job, createLogger('silent')));
    expect((await listOf(listId)).status).toBe('active');
    expect(await casesOf(listId)).toBe(2_500);
  }, 60_000);

  it('is not queued again by recover while a process imports it, and is once none does', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const listId = await upload(t, admin, clientId, await largeXlsx(5, 'G'));
    await (await t.queues.get('imports').getJob(importJobId(listId)))!.remove();
    expect(await whileImporting(listId, () => recover(serviceDeps(t)))).toMatchObject({ imports: 0 });
    expect(await t.queues.get('imports').getJob(importJobId(listId))).toBeUndefined();
    expect(await recover(serviceDeps(t))).toMatchObject({ imports: 1 });
  });

  it('a second run beside the first leaves the list to it, touching nothing', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const listId = await upload(t, admin, clientId, await largeXlsx(5, 'H'));
    await whileImporting(listId, () => runImport(serviceDeps(t), listId));
    expect((await listOf(listId)).status).toBe('importing');
    expect(await casesOf(listId)).toBe(0);
    expect((await t.db.select({ n: count() }).from(importFiles).where(eq(importFiles.listId, listId)))[0]!.n).toBe(1);
    // The lock is the transaction's: gone with it, the next run imports.
    await runImport(serviceDeps(t), listId);
    expect((await listOf(listId)).status).toBe('active');
  });
});
