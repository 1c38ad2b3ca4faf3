import type { Logger } from '../log.js';
import { safeError } from '../safe-error.js';

/**
 * Removes a finished job read a moment ago, for a sweep that queues its work anew; false when
 * it cannot be removed (another process's sweep queued it again meanwhile and a worker holds
 * it: "locked by another worker"). The sweep then leaves that item to the job and goes on with
 * the rest, instead of ending there.
 */
export async function removed(d: { log: Logger }, job: { id?: string; remove: () => Promise<void> }): Promise<boolean> {
  try {
    await job.remove();
    return true;
  } catch (err) {
    // BullMQ's words (classes/job.js); anything else (Redis away) is the sweep's failure.
    if (!(err instanceof Error && err.message.includes('locked by another worker'))) throw err;
    d.log.info({ jobId: job.id, err: safeError(err) }, 'job taken up again meanwhile; left to it');
    return false;
  }
}
