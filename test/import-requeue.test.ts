import { UnrecoverableError, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { dunningLists } from '../src/db/schema.js';
import { importJobId } from '../src/lists/upload.js';
import { recover } from '../src/recovery/recover.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { serviceDeps, upload, xlsx } from './helpers/workbooks.js';

let t: TestContext;
let admin: string;

beforeAll(async () => {
  // No workers: the test takes the import job itself, as a worker that then died would.
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t?.close());

describe('an import that keeps failing', () => {
  it('is queued again a few times, then its list fails (a file that kills the worker is not retried for ever)', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const imports = t.queues.get('imports');
    const listId = await upload(t, admin, clientId, await xlsx([['Kundennummer', 'Name', 'Telefon', 'Betrag'], ['F1', 'Anna', '0721 1234567', 10]]));
    /** The list's import job, taken and failed as a worker that died on it too often leaves it. */
    const failJob = async () => {
      const taker = new Worker('imports', null, { connection: t.redis.duplicate({ maxRetriesPerRequest: null }), prefix: t.prefix, autorun: false });
      try {
        const job = await taker.getNextJob('dead-worker');
        expect(job?.id).toBe(importJobId(listId));
        await job!.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'dead-worker');
      } finally {
        await taker.close();
      }
    };
    const status = async () => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]!;
    for (let round = 1; round <= 3; round++) {
      await failJob();
      expect((await recover(serviceDeps(t))).imports).toBeGreaterThanOrEqual(1);
      expect((await imports.getJob(importJobId(listId)))!.data).toEqual({ listId, requeued: round });
    }
    await failJob();
    expect((await recover(serviceDeps(t))).failedImports).toBeGreaterThanOrEqual(1);
    expect(await status()).toMatchObject({ status: 'failed', error: expect.stringMatching(/stopped several times/) });
    expect(await imports.getJob(importJobId(listId))).toBeUndefined();
  });
});
