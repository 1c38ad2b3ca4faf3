import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, attempts, cases, dunningLists, importFiles } from '../src/db/schema.js';
import { endAssignment } from '../src/dispatch/assignment-end.js';
import { closeCase } from '../src/dispatch/close-case.js';
import { importJobId } from '../src/lists/upload.js';
import { recover } from '../src/recovery/recover.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome, setTime, useFakeDate } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';
import { serviceDeps, upload, xlsx } from './helpers/workbooks.js';

/** What a process killed between its PostgreSQL and its Redis write leaves, and how it is found again. */
let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({ LOCK_SECONDS: '30' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t.close());

describe('the outbox', () => {
  it('records an outcome that was claimed but never queued (the API died), once, from PostgreSQL alone', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [seeded] } = await seedList(t, clientId, 1);
    const { cookie, user } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    // What submitOutcome does up to `outcome.afterClaim`: the assignment ends with the outcome in it.
    const outcome = { assignmentId: a.assignment.id, caseId: seeded!.id, attemptNo: 1, agentId: user.id, recordedAt: new Date().toISOString(), body: { outcome: 'paid', note: 'zahlt heute' } };
    expect(await endAssignment(t.db, a.assignment.id, 'outcome', new Date(), outcome)).toBe(true);
    // Meanwhile nobody gets the case again: its outcome is pending.
    setTime(Date.now() + 60_000);
    expect((await next(t, (await t.userSession('agent', [clientId])).cookie)).assignment).toBeNull();

    expect((await recover(serviceDeps(t))).outcomes).toBe(1);
    await attemptsRecorded(t, seeded!.id, 1);
    const [row] = await t.db.select().from(assignments).where(eq(assignments.id, a.assignment.id));
    expect(row!.outcome).toBeNull();
    expect((await recover(serviceDeps(t))).outcomes).toBe(0);
    const [{ n }] = (await t.db.select({ n: count() }).from(attempts).where(eq(attempts.caseId, seeded!.id))) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('queues an import whose job was lost, and fails one whose file is gone', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const imports = t.queues.get('imports');
    // The upload stores the list; then Redis loses the job (or the API dies before queueing it).
    await imports.pause();
    const listId = await upload(t, admin, clientId, await xlsx([['Kundennummer', 'Name', 'Telefon', 'Betrag'], ['R1', 'Anna', '0721 1234567', 10]]));
    const orphan = await upload(t, admin, clientId, await xlsx([['Kundennummer', 'Name', 'Telefon', 'Betrag'], ['R2', 'Bea', '0721 7654321', 10]]));
    for (const id of [listId, orphan]) await (await imports.getJob(importJobId(id)))!.remove();
    await t.db.delete(importFiles).where(eq(importFiles.listId, orphan));
    await imports.resume();
    setTime(Date.now() + 60_000);
    expect(await recover(serviceDeps(t))).toMatchObject({ imports: 1, failedImports: 1 });
    await eventually(async () => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]!.status === 'active', 20_000, 'the import');
    const [list] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, orphan));
    expect(list).toMatchObject({ status: 'failed', errorCode: 'interrupted', error: expect.stringMatching(/upload the list again/) });
  });
});

describe('a list cancelled during its import', () => {
  it('loses the cases its import committed before dying, when Redis lost the import job too', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId } = await seedList(t, clientId, 2);
    // As the import left it: committed, never activated, cancelled meanwhile; no job left to re-run.
    await t.db.update(dunningLists).set({ status: 'cancelled', activatedAt: null }).where(eq(dunningLists.id, listId));
    expect((await recover(serviceDeps(t))).failedImports).toBeGreaterThanOrEqual(1);
    expect((await t.db.select({ n: count() }).from(cases).where(eq(cases.listId, listId)))[0]!.n).toBe(0);
    expect((await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]!.status).toBe('cancelled');
  });
});

describe('list completion', () => {
  it('completes a list whose last case closed when the process died before completing it', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId, cases: [seeded] } = await seedList(t, clientId, 1);
    // What recordOutcome commits before it completes the list: the last case closed.
    await closeCase(t.db, seeded!, 'paid', new Date());
    const status = async () => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]!.status;
    expect(await status()).toBe('active');
    expect((await recover(serviceDeps(t))).completedLists).toBeGreaterThanOrEqual(1);
    expect(await status()).toBe('completed');
  });

  it('of two last cases closing at once, the list is completed (whichever commits last completes it)', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId, cases: seeded } = await seedList(t, clientId, 2);
    const agents = await Promise.all([0, 1].map(() => t.userSession('agent', [clientId])));
    const held = await Promise.all(agents.map((a) => next(t, a.cookie)));
    expect(new Set(held.map((h) => h.case.id)).size).toBe(2);
    await Promise.all(held.map((h, i) => postOutcome(t, agents[i]!.cookie, h.assignment.id, { outcome: 'paid' })));
    for (const c of seeded) await attemptsRecorded(t, c.id, 1);
    await eventually(async () => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]!.status === 'completed', 20_000, 'the list completed');
  });
});
