import { loadSettings } from '../clients/clients.service.js';
import type { ServiceDeps } from '../deps.js';
import { caseQueues } from '../dispatch/routing.js';
import type { CaseRow } from '../dispatch/case-state.js';
import { callJobId } from '../queues/registry.js';

/** What of a case names its call jobs: its queues (language routing) and its current attempt. */
export type JobsOfCase = Pick<CaseRow, 'id' | 'clientId' | 'language' | 'secondLanguage' | 'attemptsMade'>;

/**
 * Removes the current attempt's call job of each case from every queue the client's routing puts
 * it in (copies queued under an older policy are dropped at their pull, or by reconcile), and
 * tells the ready index. For a list's cases that are no longer to be called (cancelled, paused).
 */
export async function removeCaseJobs(d: ServiceDeps, clientId: string, rows: JobsOfCase[], now: Date): Promise<void> {
  const settings = await loadSettings(d.db, clientId);
  const jobs = rows.flatMap((c) => caseQueues(c, settings).map(({ queue }) => ({ queue, id: callJobId(c.id, c.attemptsMade + 1) })));
  await d.queues.removeCalls(jobs);
  await d.calls.ready.refresh([...new Set(jobs.map((j) => j.queue))], now.getTime());
}
