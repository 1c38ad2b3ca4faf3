/**
 * Everything this project reads of BullMQ's own Redis layout, in one place. BullMQ's API has no
 * bulk reads for what the ready index, reconcile and the lock watch need (is a queue's next job
 * waiting, when is its earliest delayed job due, does a job id exist, which handed-out job has
 * lost its lock), so they read its keys directly. bullmq is
 * pinned to an exact version in package.json; `test/bullmq-contract.test.ts` fails when an
 * upgrade changes any of this.
 */

/** The hash of one job: `<prefix>:<queue>:<jobId>`. */
export const jobKey = (prefix: string, queue: string, jobId: string): string => `${prefix}:${queue}:${jobId}`;

/** Suffixes of a queue's job sets: a list of waiting ids and two sorted sets. */
export const WAIT = 'wait';
export const PRIORITIZED = 'prioritized';
export const DELAYED = 'delayed';
/** A queue's list of the ids of jobs handed out (locked or not). */
export const ACTIVE = 'active';
/** Suffix of a handed-out job's lock: `<jobKey>:lock` holds the holder's token until it expires. */
export const LOCK = 'lock';

/** The lock key of one job. */
export const lockKey = (prefix: string, queue: string, jobId: string): string => `${jobKey(prefix, queue, jobId)}:${LOCK}`;

/** The keys of a queue's waiting (list), prioritized and delayed (sorted sets) jobs. */
export function jobSetKeys(prefix: string, queue: string): { wait: string; prioritized: string; delayed: string } {
  const base = `${prefix}:${queue}:`;
  return { wait: base + WAIT, prioritized: base + PRIORITIZED, delayed: base + DELAYED };
}

/** BullMQ scores a delayed job `timestamp * 0x1000 + counter`. */
export const DELAYED_SCORE_FACTOR = 0x1000;

/** When a delayed job with this score is due (ms since the epoch). */
export const delayedDueMs = (score: number): number => Math.floor(score / DELAYED_SCORE_FACTOR);
