import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { attempts, cases, dunningLists } from '../src/db/schema.js';
import { caseQueue } from '../src/dispatch/case-state.js';
import type { DispatchDeps } from '../src/deps.js';
import { recordOutcome } from '../src/dispatch/record-outcome.js';
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
});
