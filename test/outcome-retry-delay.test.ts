import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, attempts, cases } from '../src/db/schema.js';
import { defaultOutcomes } from '../src/scheduling/settings.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/** A retry outcome with a delay of its own: „Besetzt“ comes back after 15 minutes, not the client's two hours. */
let t: TestContext;
let admin: string;
beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t?.close());

const withBusy = [...defaultOutcomes, { code: 'busy', label: 'Besetzt', effect: 'retry', retryDelaySeconds: 900 }];

describe('an outcome\'s own retry delay', () => {
  it('brings a busy line back after its delay, a no-answer after the client\'s', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, retryDelaySeconds: 7200, outcomes: withBusy });
    await seedList(t, clientId, 2);
    const agent = await t.userSession('agent', [clientId]);
    const due = async (outcome: string) => {
      const held = await next(t, agent.cookie);
      expect((await postOutcome(t, agent.cookie, held.assignment.id, { outcome })).status).toBe(202);
      await attemptsRecorded(t, held.case.id, 1);
      const [attempt] = await t.db.select().from(attempts).where(eq(attempts.caseId, held.case.id));
      // The call's start is kept with it (the reach rates file the attempt under it).
      const [assignment] = await t.db.select().from(assignments).where(eq(assignments.id, held.assignment.id));
      expect(attempt!.calledAt).toEqual(assignment!.assignedAt);
      const [row] = await t.db.select().from(cases).where(eq(cases.id, held.case.id));
      return (row!.nextDueAt!.getTime() - attempt!.recordedAt.getTime()) / 60_000;
    };
    expect(await due('busy')).toBeCloseTo(15, 1);
    expect(await due('not_reached')).toBeGreaterThanOrEqual(120);
  });

  it('is refused on an outcome that is not a retry, and outside 5 minutes to 7 days', async () => {
    const clientId = await createClient(t, admin, fastRules);
    for (const [outcomes, path, message] of [
      [[...defaultOutcomes.map((o) => (o.code === 'paid' ? { ...o, retryDelaySeconds: 900 } : o))], 'outcomes.0.retryDelaySeconds', /only an outcome with effect "retry" has its own delay/],
      [withBusy.map((o) => (o.code === 'busy' ? { ...o, retryDelaySeconds: 60 } : o)), 'outcomes.7.retryDelaySeconds', /at least 300 seconds/],
      [withBusy.map((o) => (o.code === 'busy' ? { ...o, retryDelaySeconds: 700_000 } : o)), 'outcomes.7.retryDelaySeconds', /at most 604800 seconds/],
    ] as const) {
      const res = await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { outcomes } });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path, message: expect.stringMatching(message) }]);
    }
    const saved = await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { outcomes: withBusy } });
    expect(saved.status).toBe(200);
    expect(saved.body.outcomes.find((o: { code: string }) => o.code === 'busy')).toEqual({ code: 'busy', label: 'Besetzt', effect: 'retry', retryDelaySeconds: 900 });
  });
});
