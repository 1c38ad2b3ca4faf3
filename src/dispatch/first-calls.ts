import { callJobId, type CallJob } from '../queues/registry.js';
import { callPriority } from '../queues/call-queues.js';
import { nextCallableAt, type NextCallable, type SchedulingSettings } from '../scheduling/index.js';
import type { CaseRow } from './case-state.js';
import { caseQueues } from './routing.js';
import type { DispatchDeps } from '../deps.js';

/** When a freshly imported case may first be called (pure; the import stores `at` and `reason`). */
export function planFirstCall(now: Date, settings: SchedulingSettings, c: { postalCode: string | null; country: string | null }): NextCallable {
  return nextCallableAt(now, settings, { postalCode: c.postalCode, country: c.country, attemptsMade: 0, attemptTimes: [] }, { kind: 'first' });
}

/**
 * `planFirstCall` for one `now` and one client's settings, remembered per country and postal
 * code: a first call depends on nothing else, and a list has far fewer places than rows (the
 * search through calling hours and holidays costs tens of µs). The plans returned are shared:
 * do not modify them.
 */
export function firstCallPlanner(now: Date, settings: SchedulingSettings): (c: { postalCode: string | null; country: string | null }) => NextCallable {
  const plans = new Map<string, NextCallable>();
  return (c) => {
    const key = `${c.country ?? ''}\u0000${c.postalCode ?? ''}`;
    let plan = plans.get(key);
    if (!plan) plans.set(key, (plan = planFirstCall(now, settings, c)));
    return plan;
  };
}

/** What enqueueing a first call needs of a case (an inserted `CaseRow` has it). */
export type FirstCallCase = Pick<CaseRow, 'id' | 'listId' | 'clientId' | 'language' | 'secondLanguage' | 'amountCents' | 'nextDueAt'>;

/** Jobs built at a time (a list of 100,000 cases never holds 100,000 jobs at once), two bulks in flight. */
const BULK = 1000;
const BULKS_IN_FLIGHT = 2;

export type FirstCallRow = { case: FirstCallCase; windowEnd: Date | null; window: string | null };

/**
 * Adds the first call job of many new cases, in bulk per queue (`Queues.addCalls`), and refreshes the
 * ready index once. Each case's `nextDueAt` must hold its planned first call; `settings` (the
 * client's) decide the queues (language routing).
 */
export async function enqueueFirstCalls(d: DispatchDeps, rows: FirstCallRow[], now: Date, settings: SchedulingSettings): Promise<void> {
  const queues = await addFirstCalls(d, rows, now, settings);
  await d.calls.ready.refresh([...queues], now.getTime());
}

/**
 * `enqueueFirstCalls` without the ready index's refresh, for a caller that adds in parts and
 * refreshes once (the import); returns the queues it added to. Each bulk also enters its queue
 * in `calls.importQueues` (same script call), where reconcile finds jobs an import added and
 * never committed. Job payloads are built per bulk, so a list of 100,000 cases never holds
 * 100,000 jobs at once.
 */
export async function addFirstCalls(d: DispatchDeps, rows: FirstCallRow[], now: Date, settings: SchedulingSettings): Promise<Set<string>> {
  // Per queue its rows and, alongside, each one's extra delay there (no copy of 100,000 rows).
  const byQueue = new Map<string, { rows: FirstCallRow[]; delays: number[] }>();
  for (const row of rows) {
    for (const { queue, delayMs } of caseQueues(row.case, settings)) {
      let queued = byQueue.get(queue);
      if (!queued) byQueue.set(queue, (queued = { rows: [], delays: [] }));
      queued.rows.push(row);
      queued.delays.push(delayMs);
    }
  }
  for (const [queue, { rows: queued, delays }] of byQueue) {
    let next = 0;
    const sender = async () => {
      while (next < queued.length) {
        const from = next;
        next = Math.min(queued.length, next + BULK);
        const jobs = [];
        for (let i = from; i < next; i++) jobs.push(firstCallJob(queued[i]!, now, delays[i]!));
        await d.queues.addCalls(queue, jobs, { key: d.calls.importQueues.key, member: queue, at: now.getTime() }).catch((err: unknown) => {
          next = queued.length; // the other sender stops after its bulk on the way
          throw err;
        });
      }
    };
    // Settled, not `all`: when one bulk fails, the other's bulk on its way is waited for before
    // the failure surfaces, so a caller removing what was added never races it.
    const sent = await Promise.allSettled(Array.from({ length: BULKS_IN_FLIGHT }, sender));
    const failed = sent.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return new Set(byQueue.keys());
}

/** The job of a case's first attempt (attempt 1), as `callJobData` builds any attempt's. */
function firstCallJob({ case: c, windowEnd, window }: FirstCallRow, now: Date, delayMs: number) {
  const at = c.nextDueAt ?? now;
  const data: CallJob = {
    caseId: c.id,
    listId: c.listId,
    clientId: c.clientId,
    attemptNo: 1,
    slot: { start: at.toISOString(), end: windowEnd?.toISOString() ?? null, window, kind: 'first' },
  };
  return { name: 'call' as const, data, opts: { jobId: callJobId(c.id, 1), delay: Math.max(0, at.getTime() + delayMs - now.getTime()), priority: callPriority(c.amountCents, false) } };
}
