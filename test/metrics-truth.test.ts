import { count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, attempts, dunningLists } from '../src/db/schema.js';
import { caseQueue } from '../src/dispatch/case-state.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next, postOutcome } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';

/** `/metrics` after a list worked to its end says what PostgreSQL says. */
const METRICS_TOKEN = 'scrape-token-truth-0123456789';
let t: TestContext;
let admin: string;

beforeAll(async () => {
  t = await createTestContext({ METRICS_TOKEN, LOCK_SECONDS: '2' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t.close());

const scrape = async () => (await t.request('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body as string;
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('metrics that tell the truth', () => {
  it('counts, gauges and PostgreSQL agree after a list is worked to its end', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId, cases: seeded } = await seedList(t, clientId, 4);
    const queue = caseQueue(seeded[0]!);
    const first = await scrape();
    expect(value(first, `mahn_call_queue_jobs{queue="${queue}",state="waiting"}`)).toBe(4);
    expect(value(first, 'mahn_lists{status="active"}')).toBe(1);
    expect(value(first, 'mahn_lists{status="importing"}')).toBe(0);

    // One agent walks away from a case (its lock runs out), another works the list to its end.
    const gone = (await t.userSession('agent', [clientId])).cookie;
    await eventually(async () => (await next(t, gone)).assignment, 10_000, 'a case for the agent who walks away');
    const agent = (await t.userSession('agent', [clientId])).cookie;
    await eventually(async () => {
      const a = await next(t, agent);
      if (a.assignment) expect((await postOutcome(t, agent, a.assignment.id, { outcome: 'paid' })).status).toBe(202);
      return (await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]!.status === 'completed';
    }, 30_000, 'the list completed');

    const text = await scrape();
    const [handedOut] = await t.db.select({ n: count() }).from(assignments);
    const [expired] = await t.db.select({ n: count() }).from(assignments).where(eq(assignments.endReason, 'expired'));
    const [recorded] = await t.db.select({ n: count() }).from(attempts).where(inArray(attempts.outcome, ['paid']));
    expect(value(text, 'mahn_assignments_total')).toBe(handedOut!.n);
    expect(value(text, 'mahn_assignments_expired')).toBe(expired!.n);
    expect(expired!.n).toBeGreaterThanOrEqual(1);
    expect(value(text, 'mahn_outcomes_total{effect="close"}')).toBe(recorded!.n);
    expect(value(text, 'mahn_lists{status="completed"}')).toBe(1);
    // The status the list left reads 0, not its last count.
    expect(value(text, 'mahn_lists{status="active"}')).toBe(0);
    expect(value(text, `mahn_call_queue_jobs{queue="${queue}",state="waiting"}`) ?? 0).toBe(0);
  });
});
