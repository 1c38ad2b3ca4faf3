import { eq } from 'drizzle-orm';
import { dunningLists } from '../db/schema.js';
import type { DispatchDeps } from '../deps.js';
import { reconcile } from './reconcile.js';

/** Lists whose reconcile runs in this process, and whether a drop asked for another run meanwhile. */
const running = new Map<string, { again: boolean }>();

/**
 * After a pull dropped a job because it read the job's list as paused. A resume that committed
 * after that read has given the list's cases their jobs back already (`reconcile` for the list),
 * and found this job still there: dropped now, its case would wait for the workers' reconcile (up
 * to 5 minutes). So the list's status is read again after the drop: active means such a resume,
 * and the list is reconciled once more (in the background; drops meanwhile ask for one more run,
 * not one each). A resume committing after this read finds the job gone and adds it itself.
 */
export async function restoreIfResumed(d: DispatchDeps, listId: string): Promise<void> {
  // Never throws: the job is dropped already, and the pull goes on (PostgreSQL failing here, the
  // workers' reconcile restores the job should the list have resumed).
  const list = await d.db
    .select({ status: dunningLists.status })
    .from(dunningLists)
    .where(eq(dunningLists.id, listId))
    .then(([row]) => row)
    .catch((err: unknown) => void d.log.warn({ listId, err }, 'paused list\'s status not read again after a drop'));
  if (list?.status !== 'active') return;
  const run = running.get(listId);
  if (run) {
    run.again = true;
    return;
  }
  const state = { again: true };
  running.set(listId, state);
  void (async () => {
    try {
      while (state.again) {
        state.again = false;
        await reconcile(d, { listId });
      }
    } catch (err) {
      d.log.warn({ listId, err }, 'resumed list\'s dropped job not restored; the workers\' reconcile restores it');
    } finally {
      running.delete(listId);
    }
  })();
}
