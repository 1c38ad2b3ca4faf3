import { count, eq } from 'drizzle-orm';
import { vi } from 'vitest';
import { attempts, cases } from '../../src/db/schema.js';
import { caseQueue } from '../../src/dispatch/case-state.js';
import { callJobId } from '../../src/queues/registry.js';
import type { TestContext } from './context.js';
import { eventually } from './eventually.js';

/** A client whose rules let a whole list run in seconds: all-day hours, one window, short delays. */
export const fastRules = {
  holidays: null,
  callingHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])),
  windows: { ganztags: ['00:00', '24:00'] },
  retryDelaySeconds: 1,
  maxAttemptsPerDay: 20,
};

/**
 * Dispatch tests run BullMQ for real, and BullMQ takes its time from `Date.now()` in this
 * process; so these tests move time with vitest's fake Date (it keeps running from where it
 * is set) instead of a manual clock. Nothing else is faked: timers and sockets stay real.
 */
export function useFakeDate(at: string): void {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(new Date(at));
}

export const setTime = (at: string | number | Date) => vi.setSystemTime(new Date(at));

export async function createClient(t: TestContext, admin: string, body: Record<string, unknown>): Promise<string> {
  const res = await t.request('POST', '/api/clients', { cookie: admin, body: { code: `C${Math.random().toString(36).slice(2, 8)}`, name: 'Mandant', ...body } });
  if (res.status !== 201) throw new Error(`client: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function next(t: TestContext, cookie: string) {
  const res = await t.request('POST', '/api/agent/next', { cookie });
  if (res.status !== 200) throw new Error(`next: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function postOutcome(t: TestContext, cookie: string, assignmentId: string, body: Record<string, unknown>) {
  return t.request('POST', `/api/agent/assignments/${assignmentId}/outcome`, { cookie, body });
}

/** Waits until the outcomes worker has recorded `n` attempts of the case. */
export async function attemptsRecorded(t: TestContext, caseId: string, n: number): Promise<void> {
  await eventually(async () => {
    const [row] = await t.db.select({ n: count() }).from(attempts).where(eq(attempts.caseId, caseId));
    const [c] = await t.db.select().from(cases).where(eq(cases.id, caseId));
    if (row!.n < n || c!.attemptsMade < n) return false;
    if (c!.status === 'closed') return true;
    // Rescheduled: the next call job is added right after the commit.
    return (await t.redis.exists(`${t.prefix}:${caseQueue(c!)}:${callJobId(caseId, n + 1)}`)) === 1;
  }, 20_000, `${n} attempts of case ${caseId}`);
}
