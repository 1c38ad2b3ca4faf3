import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { attempts, cases } from '../src/db/schema.js';
import { client, freePort, importList, overlappingAssignments, services, team, verifyNothingLost } from './helpers/crash-harness.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';

/**
 * Load: API and workers as real processes; 100 agents over HTTP work a 3,000-case list with
 * random outcomes (closing ones, retries, promises, callbacks for anyone and personal ones)
 * while 10 of them vanish in the middle of a call, until the list is completed. Then, from
 * PostgreSQL: no case ever held by two agents at once, attempts per case as recorded and within
 * the cap, every case closed once, no outcome lost.
 */
const AGENTS = 100;
const CASES = 3_000;
const CAP = 3;

let t: TestContext;
let svc: ReturnType<typeof services>;
let clientId: string;
let lead: string;
let agentCookies: string[];

beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  ({ clientId, lead, cookies: agentCookies } = await team(t, AGENTS, { maxAttempts: CAP, personalCallbackGraceMinutes: 0 }));
  svc = services(t, await freePort());
  await svc.workers.start();
  await svc.api.start();
}, 120_000);
afterAll(async () => {
  await svc?.api.stop();
  await svc?.workers.stop();
  await t?.close();
});

/** A seeded generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function outcomeBody(r: number, now: number): Record<string, unknown> {
  if (r < 0.3) return { outcome: 'paid' };
  if (r < 0.6) return { outcome: 'not_reached' };
  if (r < 0.7) return { outcome: 'promise_to_pay', promise: { amountCents: 5_000, date: new Date(now + 7 * 86_400_000).toISOString().slice(0, 10) } };
  if (r < 0.8) return { outcome: 'callback', callback: { at: new Date(now + 2_000).toISOString(), owner: 'anyone' } };
  if (r < 0.9) return { outcome: 'callback', callback: { at: new Date(now + 2_000).toISOString(), owner: 'me' } };
  return { outcome: 'refused' };
}

describe('load', () => {
  it('100 agents (10 vanishing mid-call) work a 3,000-case list to its end: no double holding, attempts as recorded and within the cap, nothing lost', async () => {
    const call = client(svc.base);
    const { listId, status } = await importList(t, call, lead, clientId, CASES, 'Last', 'L');

    const accepted: Array<{ assignmentId: string }> = [];
    let stop = false;
    const rand = random(20261130);
    const vanishing = new Set(Array.from({ length: AGENTS / 10 }, (_, k) => k * 10));
    const work = async (cookie: string, k: number) => {
      let calls = 0;
      while (!stop) {
        const next = await call('POST', '/api/agent/next', cookie);
        const a = next?.status === 200 ? next.body.assignment : null;
        if (!a) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        // A tenth of the agents walk away in their third call: no outcome, no heartbeat.
        if (vanishing.has(k) && ++calls === 3) return;
        const res = await call('POST', `/api/agent/assignments/${a.id}/outcome`, cookie, outcomeBody(rand(), Date.now()));
        if (res?.status === 202) accepted.push({ assignmentId: a.id });
        else if (res && res.status !== 409) throw new Error(`outcome answered ${res.status}: ${JSON.stringify(res.body)}`);
      }
    };
    const running = agentCookies.map((c, k) => work(c, k));
    try {
      await eventually(async () => (await status()) === 'completed', 240_000, 'the list completed');
    } finally {
      stop = true;
      await Promise.all(running);
    }

    await verifyNothingLost(t, listId, accepted);
    // No case ever held by two agents at once: assignments of a case never overlap in time (an
    // expired one ended when its lock ran out).
    expect(await overlappingAssignments(t, listId)).toEqual([]);
    const overCap = await t.db.select({ id: cases.id }).from(cases).where(and(eq(cases.listId, listId), sql`${cases.attemptsMade} > ${CAP}`));
    expect(overCap).toEqual([]);
    const [{ closed }] = (await t.db.select({ closed: sql<number>`count(*) filter (where ${cases.closedAt} is not null)::int` }).from(cases).where(eq(cases.listId, listId))) as [{ closed: number }];
    expect(closed).toBe(CASES);
    const [{ n }] = (await t.db.select({ n: sql<number>`count(*)::int` }).from(attempts).innerJoin(cases, eq(cases.id, attempts.caseId)).where(eq(cases.listId, listId))) as [{ n: number }];
    expect(n).toBe(accepted.length);
  }, 420_000);
});
