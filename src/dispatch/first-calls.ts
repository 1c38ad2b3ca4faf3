import { callJobId } from '../queues/registry.js';
import { callPriority } from '../queues/call-queues.js';
import { nextCallableAt, type NextCallable, type SchedulingSettings } from '../scheduling/index.js';
import { caseQueue, type CaseRow } from './case-state.js';
import type { DispatchDeps } from '../deps.js';
import { callJobData } from './enqueue.js';

/** When a freshly imported case may first be called (pure; the import stores `at` and `reason`). */
export function planFirstCall(now: Date, settings: SchedulingSettings, c: { postalCode: string | null; country: string | null }): NextCallable {
  return nextCallableAt(now, settings, { postalCode: c.postalCode, country: c.country, attemptsMade: 0, attemptTimes: [] }, { kind: 'first' });
}

/**
 * Adds the first call job of many new cases, in bulk per queue (`addBulk`), and refreshes the
 * ready index once. Each case's `nextDueAt` must hold its planned first call.
 */
export async function enqueueFirstCalls(d: DispatchDeps, rows: Array<{ case: CaseRow; windowEnd: Date | null; window: string | null }>, now: Date): Promise<void> {
  const byQueue = new Map<string, Array<{ name: string; data: ReturnType<typeof callJobData>; opts: { jobId: string; delay: number; priority: number } }>>();
  for (const { case: c, windowEnd, window } of rows) {
    const at = c.nextDueAt ?? now;
    const data = callJobData(c, { at, windowEnd, window, reason: 'immediate' }, 'first');
    const queue = caseQueue(c);
    const jobs = byQueue.get(queue) ?? [];
    jobs.push({ name: 'call', data, opts: { jobId: callJobId(c.id, 1), delay: Math.max(0, at.getTime() - now.getTime()), priority: callPriority(c.amountCents, false) } });
    byQueue.set(queue, jobs);
  }
  for (const [queue, jobs] of byQueue) {
    for (let i = 0; i < jobs.length; i += 1000) await d.queues.calls(queue).addBulk(jobs.slice(i, i + 1000));
  }
  await d.calls.ready.refresh([...byQueue.keys()], now.getTime());
}
