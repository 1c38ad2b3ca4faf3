import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SeenCase } from '../dispatch/seen-case.js';
import { bulkAdd, type BulkJob, type ReadyEntry } from './bulk-add.js';

/**
 * Queue names and their job payloads, shared by producers (API) and consumers (workers/).
 * BullMQ names and ids may not contain ":"; job ids may not be all digits.
 */

/** One delayed job per open case: "call this case, attempt n, not before its delay". */
export interface CallJob {
  caseId: string;
  listId: string;
  clientId: string;
  attemptNo: number;
  /**
   * The slot the job was scheduled into (ISO times); a pull after `end` reschedules. `since`: when
   * this attempt first became callable, kept when a pull moves the job to a later slot — the
   * `prefer` fallback counts from it when a slot is shorter than the fallback, so a customer's
   * window of 45 minutes does not restart the wait every day (`fallbackCountsFrom`).
   */
  slot: { start: string; end: string | null; window: string | null; kind: 'first' | 'retry' | 'callback'; since?: string };
  /** Set by a release: the agent who gave the case back, and when (ms); see `released-by.ts`. */
  releasedBy?: { agentId: string; at: number };
}

export interface OutcomeJob {
  assignmentId: string;
  caseId: string;
  attemptNo: number;
  agentId: string;
  recordedAt: string;
  /** When the case was handed out for this attempt: the call's time (its window), not the save's. Absent in jobs of older releases. */
  calledAt?: string;
  body: Record<string, unknown>;
  /** The case as the pull read it (`seen-case.ts`); only in the Redis job of an outcome claimed on the pull's copy. */
  seen?: SeenCase;
}

export interface ImportJob {
  listId: string;
  /** How often `recover` queued it again after its job failed or was lost (absent: never). */
  requeued?: number;
}

/** Send one result-list delivery (a `deliveries` row, which holds everything else). */
export interface DeliveryJob {
  deliveryId: string;
}

export interface MaintenanceJob {
  task: 'reconcile' | 'retention' | 'deliver-due' | 'recover' | 'reach-rates';
}

export interface JobRegistry {
  calls: CallJob;
  outcomes: OutcomeJob;
  imports: ImportJob;
  delivery: DeliveryJob;
  maintenance: MaintenanceJob;
}

export type FixedQueueName = Exclude<keyof JobRegistry, 'calls'>;

/** A client's call queue (per language when language routing is on). */
export function callQueueName(clientId: string, language?: string): string {
  return language ? `calls-${clientId}-${language}` : `calls-${clientId}`;
}

/** `<caseId>-a<attemptNo>`: adding twice is a no-op; an older attempt's job is recognisably stale. */
export function callJobId(caseId: string, attemptNo: number): string {
  return `${caseId}-a${attemptNo}`;
}

export const defaultJobOptions: Partial<Record<keyof JobRegistry, JobsOptions>> = {
  // Completed call jobs must go, or re-adding the same id later would be a silent no-op.
  calls: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
  // An outcome is what an agent entered: retried for days (0.5 s doubling, 20 tries), and
  // failed ones are retried again by maintenance, never dropped.
  // A recorded outcome is gone from Redis at once: it holds an agent's note (personal data, see
  // retention), and PostgreSQL has it. (Keeping the last 1,000 for a day cost each completion
  // a trim of the completed set.) A repeated post is refused by its claim; a job added again
  // all the same finds its attempt recorded and changes nothing (`recordOutcome`).
  outcomes: { removeOnComplete: true, removeOnFail: false, attempts: 20, backoff: { type: 'exponential', delay: 500 } },
  imports: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 1 },
  // Tries and backoff come from the configuration when a delivery is queued (DELIVERY_ATTEMPTS).
  delivery: { removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } },
  maintenance: { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
};

/** Lazily created BullMQ `Queue`s sharing one connection and prefix. */
export class Queues {
  readonly #queues = new Map<string, Queue>();
  constructor(
    readonly connection: Redis,
    readonly prefix: string,
  ) {}

  get<K extends FixedQueueName>(name: K): Queue<JobRegistry[K]> {
    return this.#get(name, defaultJobOptions[name]) as Queue<JobRegistry[K]>;
  }

  calls(queueName: string): Queue<CallJob> {
    return this.#get(queueName, defaultJobOptions.calls) as Queue<CallJob>;
  }

  /** Adds call jobs to one call queue, many per Redis script call (`bulk-add.ts`), and sets `ready` with them. */
  async addCalls(queueName: string, jobs: Array<BulkJob<CallJob>>, ready?: ReadyEntry): Promise<void> {
    await bulkAdd(this.calls(queueName), this.connection, jobs, ready);
  }

  /**
   * Removes call jobs (waiting, prioritized or delayed; a job handed out is left), 500 at a time
   * through the shared connection's pipeline; a job already gone is no error.
   */
  async removeCalls(jobs: Array<{ queue: string; id: string }>): Promise<void> {
    for (let i = 0; i < jobs.length; i += 500) {
      await Promise.all(jobs.slice(i, i + 500).map((j) => this.calls(j.queue).remove(j.id).catch(() => 0)));
    }
  }

  #get(name: string, defaults: JobsOptions | undefined): Queue {
    let q = this.#queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix, defaultJobOptions: defaults });
      q.on('error', () => {}); // connection errors surface on the shared connection's own listener
      this.#queues.set(name, q);
    }
    return q;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#queues.values()].map((q) => q.close()));
    this.#queues.clear();
  }
}
