import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { prepared } from '../src/db/prepared.js';
import { attempts, cases, clients, dunningLists } from '../src/db/schema.js';
import { caseQueue } from '../src/dispatch/case-state.js';
import type { DispatchDeps } from '../src/deps.js';
import { recordOutcome } from '../src/dispatch/record-outcome.js';
import { carriedOutcomeContext, loadOutcomeContext, writeOutcome } from '../src/dispatch/outcome-write.js';
import { rememberRules } from '../src/dispatch/seen-case.js';
import { reconcile } from '../src/dispatch/reconcile.js';
import { callJobId } from '../src/queues/registry.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/** The outcomes worker's function on its own: what a crash and a re-run leave behind. */
let t: TestContext;
let d: DispatchDeps;
beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({}, { clock: systemClock });
  d = { db: t.db, calls: t.calls, queues: t.queues, clock: t.clock, config: t.config, log: t.deps.log };
});
afterAll(() => t.close());

describe('recordOutcome', () => {
  it('keeps a case that stays open on its page (cases leave room on each page for a row\'s next version)', async () => {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, fastRules);
    const { cases: seeded } = await seedList(t, clientId, 80);
    const { user } = await t.userSession('agent', [clientId]);
    const pageOf = async (id: string) => {
      const [row] = await t.db.select({ page: sql<number>`(${cases}.ctid::text::point)[0]::int` }).from(cases).where(eq(cases.id, id));
      return row!.page;
    };
    // The first case on a page that later rows filled (80 cases take several pages).
    const c = seeded[0]!;
    const page = await pageOf(c.id);
    expect(await pageOf(seeded.at(-1)!.id)).toBeGreaterThan(page);

    await recordOutcome(d, { assignmentId: '00000000-0000-4000-8000-000000000002', caseId: c.id, attemptNo: 1, agentId: user.id, recordedAt: new Date().toISOString(), body: { outcome: 'not_reached' } });
    const [after] = await t.db.select().from(cases).where(eq(cases.id, c.id));
    expect([after!.status, after!.attemptsMade]).toEqual(['open', 1]);
    expect(await pageOf(c.id)).toBe(page);
  });

  it('a re-run after a crash between commit and enqueue adds the lost job once and records nothing twice', async () => {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [c] } = await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    const job = { assignmentId: '00000000-0000-4000-8000-000000000001', caseId: c!.id, attemptNo: 1, agentId: user.id, recordedAt: new Date().toISOString(), body: { outcome: 'not_reached' } };

    await recordOutcome(d, job);
    const nextJobKey = `${t.prefix}:${caseQueue(c!)}:${callJobId(c!.id, 2)}`;
    expect(await t.redis.exists(nextJobKey)).toBe(1);
    // The crash: the attempt is committed but the next call job never reached Redis.
    await t.queues.calls(caseQueue(c!)).remove(callJobId(c!.id, 2));
    expect(await t.redis.exists(nextJobKey)).toBe(0);

    await recordOutcome(d, job);
    await recordOutcome(d, job);
    expect(await t.redis.exists(nextJobKey)).toBe(1);
    expect(await t.db.select().from(attempts).where(eq(attempts.caseId, c!.id))).toHaveLength(1);
    const [after] = await t.db.select().from(cases).where(eq(cases.id, c!.id));
    expect(after).toMatchObject({ status: 'open', attemptsMade: 1, waitReason: 'retry_delay' });
  });

  it('between the post and its recording the case is never handed out again, not even after reconcile', async () => {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [c] } = await seedList(t, clientId, 1);
    const anna = await t.userSession('agent', [clientId]);
    const bert = await t.userSession('agent', [clientId]);
    const a = (await t.request('POST', '/api/agent/next', { cookie: anna.cookie })).body;
    // No outcomes worker runs in this file: the outcome stays queued.
    expect((await t.request('POST', `/api/agent/assignments/${a.assignment.id}/outcome`, { cookie: anna.cookie, body: { outcome: 'not_reached' } })).status).toBe(202);
    const report = await reconcile(d);
    expect(report.added).toBe(0);
    // Even a job for the same attempt (as a stale personal-callback copy would be) is held back.
    await t.queues.calls(caseQueue(c!)).add('call', { caseId: c!.id, listId: c!.listId, clientId, attemptNo: 1, slot: { start: new Date().toISOString(), end: null, window: null, kind: 'first' } }, { jobId: callJobId(c!.id, 1) });
    await t.calls.ready.refresh([caseQueue(c!)], Date.now());
    expect((await t.request('POST', '/api/agent/next', { cookie: bert.cookie })).body.assignment).toBeNull();

    const [queued] = await t.queues.get('outcomes').getJobs(['waiting']);
    await recordOutcome(d, queued!.data);
    const [after] = await t.db.select().from(cases).where(eq(cases.id, c!.id));
    expect(after).toMatchObject({ attemptsMade: 1, status: 'open' });
  });

  it('closes at the cap as max_attempts, and a closing outcome completes the list', async () => {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, { ...fastRules, maxAttempts: 1 });
    const { listId, cases: [c] } = await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    await recordOutcome(d, { assignmentId: '00000000-0000-4000-8000-000000000002', caseId: c!.id, attemptNo: 1, agentId: user.id, recordedAt: new Date().toISOString(), body: { outcome: 'not_reached' } });
    const [after] = await t.db.select().from(cases).where(eq(cases.id, c!.id));
    expect(after).toMatchObject({ status: 'closed', finalOutcome: 'max_attempts', attemptsMade: 1 });
    const [list] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId));
    expect(list!.status).toBe('completed');
  });

  it('a re-run after a crash between the closing write and the list completion completes the list', async () => {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, { ...fastRules, maxAttempts: 1 });
    const { listId, cases: [c] } = await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    const job = { assignmentId: '00000000-0000-4000-8000-000000000003', caseId: c!.id, attemptNo: 1, agentId: user.id, recordedAt: new Date().toISOString(), body: { outcome: 'refused' } };
    await recordOutcome(d, job);
    // The crash: the case closed and committed, the list not yet completed.
    await t.db.update(dunningLists).set({ status: 'active', completedAt: null }).where(eq(dunningLists.id, listId));

    await recordOutcome(d, job);
    const [list] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId));
    expect(list!.status).toBe('completed');
    expect(await t.db.select().from(attempts).where(eq(attempts.caseId, c!.id))).toHaveLength(1);
  });

  it('writes nothing on a case that changed since it was read, and reads it again', async () => {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [c] } = await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    const job = { assignmentId: '00000000-0000-4000-8000-000000000004', caseId: c!.id, attemptNo: 1, agentId: user.id, recordedAt: new Date().toISOString(), body: { outcome: 'refused' } };
    const read = (await loadOutcomeContext(t.db, c!.id, 1))!;
    // A lead's edit lands between the read and the write: the write must not undo it.
    await t.db.update(cases).set({ address: 'Neue Straße 1' }).where(eq(cases.id, c!.id));
    expect(await writeOutcome(t.db, read, job, { ...read.case, status: 'closed', finalOutcome: 'refused', attemptsMade: 1 })).toBe('changed');
    expect(await t.db.select().from(attempts).where(eq(attempts.caseId, c!.id))).toHaveLength(0);

    await recordOutcome(d, job);
    const [after] = await t.db.select().from(cases).where(eq(cases.id, c!.id));
    expect(after).toMatchObject({ status: 'closed', finalOutcome: 'refused', attemptsMade: 1, address: 'Neue Straße 1' });
    const fresh = (await loadOutcomeContext(t.db, c!.id, 1))!;
    expect(fresh.recorded).toBe(true);
    expect(await writeOutcome(t.db, fresh, { ...job, assignmentId: '00000000-0000-4000-8000-000000000005' }, fresh.case)).toBe('recorded');
  });
});

describe('an outcome claimed on the pull\'s copy carries what the pull read', () => {
  /** One agent's call through the API: pulled, and an outcome posted (queued; no worker runs here). */
  async function postedOutcome(maxAttempts = 3) {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, { ...fastRules, maxAttempts });
    const { cases: [c] } = await seedList(t, clientId, 1);
    const agent = await t.userSession('agent', [clientId]);
    const a = (await t.request('POST', '/api/agent/next', { cookie: agent.cookie })).body;
    expect((await t.request('POST', `/api/agent/assignments/${a.assignment.id}/outcome`, { cookie: agent.cookie, body: { outcome: 'not_reached' } })).status).toBe(202);
    const job = (await t.queues.get('outcomes').getJob(callJobId(c!.id, 1)))!.data;
    return { clientId, c: c!, job };
  }

  it('is recorded on that copy, without reading the case, as a read would record it', async () => {
    const { clientId, c, job } = await postedOutcome();
    expect(job.seen).toMatchObject({ case: { id: c.id, attemptsMade: 0, status: 'open' }, attemptTimes: [], attemptOutcomes: [] });
    // A database handle of its own (its prepared statements and known rules are its own): it
    // knows the client's rules at the version the pull read, and its read of a case fails.
    const db = Object.create(t.db) as typeof t.db;
    const read = (await loadOutcomeContext(t.db, c.id, 1))!;
    expect(read.clientVersion).toBe(job.seen!.clientVersion);
    rememberRules(db, clientId, read.clientVersion, read.settings);
    prepared(db, 'outcome_context', () => ({ execute: () => Promise.reject(new Error('the case was read')) }));
    expect(carriedOutcomeContext(db, { ...job, seen: undefined })).toBeNull();
    expect(carriedOutcomeContext(db, { ...job, seen: { ...job.seen!, clientVersion: '1' } })).toBeNull();
    // A copy without a column this process writes (queued by an older release) is not used either.
    const { phoneRaw: _dropped, ...olderCase } = job.seen!.case;
    expect(carriedOutcomeContext(db, { ...job, seen: { ...job.seen!, case: olderCase as NonNullable<typeof job.seen>["case"] } })).toBeNull();
    expect(carriedOutcomeContext(db, job)).not.toBeNull();

    await recordOutcome({ ...d, db }, job);
    const [after] = await t.db.select().from(cases).where(eq(cases.id, c.id));
    expect(after).toMatchObject({ status: 'open', attemptsMade: 1, waitReason: 'retry_delay', lastWindow: 'ganztags' });
    expect(await t.db.select().from(attempts).where(eq(attempts.caseId, c.id))).toHaveLength(1);
    expect(await t.redis.exists(`${t.prefix}:${caseQueue(c)}:${callJobId(c.id, 2)}`)).toBe(1);
  });

  it('is claimed on that copy also when the pull took a do-not-call number off the case (the row it wrote is the version kept)', async () => {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, fastRules);
    expect((await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { doNotCall: ['+41223102222'] } })).status).toBe(200);
    const { cases: [c] } = await seedList(t, clientId, [{ phones: ['+41223102222', '+41791234567'] }]);
    const agent = await t.userSession('agent', [clientId]);
    const a = (await t.request('POST', '/api/agent/next', { cookie: agent.cookie })).body;
    expect(a.case.phone).toBe('+41791234567');
    expect((await t.request('POST', `/api/agent/assignments/${a.assignment.id}/outcome`, { cookie: agent.cookie, body: { outcome: 'not_reached' } })).status).toBe(202);
    const job = (await t.queues.get('outcomes').getJob(callJobId(c!.id, 1)))!.data;
    // Only an outcome claimed on the kept copy carries it.
    expect(job.seen?.case.phones.map((p) => [p.e164, p.status])).toEqual([['+41223102222', 'do_not_call'], ['+41791234567', 'active']]);
  });

  it('is not decided on when the client\'s rules changed since the pull: the rules as they are decide', async () => {
    const { clientId, c, job } = await postedOutcome(3);
    // The worker knows the rules at the version the pull read them…
    expect((await loadOutcomeContext(t.db, c.id, 1))!.clientVersion).toBe(job.seen!.clientVersion);
    expect(carriedOutcomeContext(t.db, job)).not.toBeNull();
    // …and a lead lowers the cap before the outcome is recorded: one attempt closes the case.
    await t.db.update(clients).set({ settings: sql`jsonb_set(${clients.settings}, '{maxAttempts}', '1')` }).where(eq(clients.id, clientId));

    await recordOutcome(d, job);
    const [after] = await t.db.select().from(cases).where(eq(cases.id, c.id));
    expect(after).toMatchObject({ status: 'closed', finalOutcome: 'max_attempts', attemptsMade: 1 });
  });

  it('is not decided on when the case changed since the pull: the case as it is decides', async () => {
    const { c, job } = await postedOutcome();
    await loadOutcomeContext(t.db, c.id, 1); // the rules are known at the pull's version
    expect(carriedOutcomeContext(t.db, job)).not.toBeNull();
    // A lead edits the case during the call: the write on the pull's copy would undo it.
    await t.db.update(cases).set({ address: 'Neue Straße 2' }).where(eq(cases.id, c.id));

    await recordOutcome(d, job);
    const [after] = await t.db.select().from(cases).where(eq(cases.id, c.id));
    expect(after).toMatchObject({ status: 'open', attemptsMade: 1, address: 'Neue Straße 2' });
    expect(await t.db.select().from(attempts).where(eq(attempts.caseId, c.id))).toHaveLength(1);
  });
});

