import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import { safeError, safeStack } from '../safe-error.js';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cases } from '../db/schema.js';
import type { Queues } from './registry.js';

/**
 * Whether retrying cannot fix `err`: PostgreSQL refused the data itself (class 22, data
 * exception: a date that does not exist, a value out of range; class 23, integrity: a row the
 * job points at is gone) or the job's payload does not have the shape the code expects. A
 * database that is down, restarting, timing out or in a deadlock is transient.
 */
export function isPermanentFailure(err: unknown): boolean {
  const { code, name } = safeError(err);
  if (code) return code.startsWith('22') || code.startsWith('23');
  return name === 'ZodError' || name === 'TypeError' || name === 'RangeError' || name === 'SyntaxError';
}

/** Message of a poison job: the safe part of the error (no SQL parameters, no quoted values). */
export const POISON_PREFIX = 'permanent failure: ';

/**
 * A BullMQ processor whose permanent failures end the job at once (`UnrecoverableError`, no
 * further tries, left in the failed set for admins) instead of retrying it for days.
 */
export function stopOnPermanentFailure<T, R>(processor: Processor<T, R>): Processor<T, R> {
  return async (job: Job<T, R>, token?: string, signal?: AbortSignal) => {
    try {
      return await processor(job, token, signal);
    } catch (err) {
      // BullMQ keeps what is thrown (message and stack) on the job in Redis, shows it to admins
      // and writes it to the queue's event stream: only the safe part (a query's parameters
      // hold names, numbers and notes), the call sites without the message.
      const { code, message, name } = safeError(err);
      const reason = `${message}${code ? ` (${code})` : ''}`;
      const thrown = isPermanentFailure(err) ? new UnrecoverableError(`${POISON_PREFIX}${reason}`) : Object.assign(new Error(reason), { name });
      const stack = err instanceof Error ? safeStack(err) : undefined;
      thrown.stack = `${thrown.name}: ${thrown.message}${stack ? `\n${stack}` : ''}`;
      throw thrown;
    }
  };
}

/** A job that ended as failed for good, as admins see it: ids and the safe reason only. */
export interface FailedJob {
  queue: 'outcomes' | 'imports' | 'delivery';
  jobId: string;
  failedAt: string | null;
  tries: number;
  permanent: boolean;
  reason: string;
  listId: string | null;
  caseId: string | null;
}

/** Failed jobs of the background queues an agent's or lead's work depends on, newest first. */
export async function failedJobs(queues: Queues, limit = 200): Promise<FailedJob[]> {
  const out: FailedJob[] = [];
  for (const queue of ['outcomes', 'imports', 'delivery'] as const) {
    for (const job of await queues.get(queue).getFailed(0, limit - 1)) {
      const data = (job.data ?? {}) as { listId?: string; caseId?: string };
      const reason = job.failedReason ?? '';
      out.push({
        queue,
        jobId: job.id ?? '',
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        tries: job.attemptsMade,
        permanent: reason.startsWith(POISON_PREFIX),
        // BullMQ keeps the error's message: cut as logs cut it (no quoted values, no parameters).
        reason: safeError(new Error(reason)).message.replace(/:\s*".*$/s, ''),
        listId: data.listId ?? null,
        caseId: data.caseId ?? null,
      });
    }
  }
  return out.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? '')).slice(0, limit);
}

/** A failed job of one list as its lead sees it: an outcome's case named as the lead knows it. */
export interface ListFailedJob extends FailedJob {
  customerNo: string | null;
  customerName: string | null;
}

/**
 * The failed outcome and import jobs of one list (few: failed jobs are the exception), an
 * outcome's with its case's customer number and name: the lead finds a case by those, not by its id.
 */
export async function failedJobsOfList(queues: Queues, db: Db, listId: string): Promise<ListFailedJob[]> {
  const all = (await failedJobs(queues)).filter((j) => j.queue !== 'delivery');
  const caseIds = all.flatMap((j) => (j.caseId ? [j.caseId] : []));
  const ofList = new Map(
    caseIds.length
      ? (
          await db
            .select({ id: cases.id, customerNo: cases.customerNo, name: cases.name })
            .from(cases)
            .where(and(eq(cases.listId, listId), inArray(cases.id, caseIds)))
        ).map((r) => [r.id, r])
      : [],
  );
  return all.flatMap((j) => {
    const c = j.caseId === null ? undefined : ofList.get(j.caseId);
    return j.listId === listId || c ? [{ ...j, customerNo: c?.customerNo ?? null, customerName: c?.name ?? null }] : [];
  });
}

/** Failed jobs per background queue, for the `mahn_failed_jobs` gauge. */
export async function failedJobCounts(queues: Queues): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const queue of ['outcomes', 'imports', 'delivery'] as const) counts[queue] = (await queues.get(queue).getJobCounts('failed')).failed ?? 0;
  return counts;
}
