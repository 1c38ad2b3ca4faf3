import { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { handOverOutcome, type HeldCall } from './outcome-handover.js';
import { callJobId, defaultJobOptions, type CallJob, type OutcomeJob, type Queues } from './registry.js';
import { pullCall, type Pulled } from './pull-script.js';
import { JobPresence } from './job-presence.js';
import { ReadyIndex } from './ready-index.js';
import { sharedConnectionBackend } from './shared-connection.js';

/** Customer-requested callbacks first, then higher amounts (BullMQ: lower number = sooner). */
export function callPriority(amountCents: number, isCallback: boolean): number {
  if (isCallback) return 1;
  const MAX = 2_097_152; // BullMQ's priority range is 0..2^21
  return Math.max(2, MAX - 1 - Math.floor(amountCents / 100));
}

/**
 * Producer and manual consumer of the per-client call queues. Consumption is BullMQ manual
 * processing: a `Worker` without processor per queue, created on first use, never running a
 * loop; `pull` hands out one job locked with the caller's token (BullMQ's `moveToActive`, as
 * `getNextJob(token, {block:false})` runs it, inside one script with the ready index). The
 * Workers give the jobs their operations (move to delayed, complete) and share one connection,
 * however many queues there are.
 */
export class CallQueues {
  readonly #workers = new Map<string, Worker<CallJob>>();
  readonly ready: ReadyIndex;
  /**
   * The queues imports added first calls to (`<prefix>:import-queues`), kept as the ready index
   * keeps its queues, until reconcile finds one empty. An import adds its jobs before it commits
   * their cases, and a crash before the commit leaves jobs of cases that never existed, possibly
   * in a queue no active list uses and the ready index does not name: reconcile looks at these
   * queues too. Pulls never read it.
   */
  readonly importQueues: ReadyIndex;
  /**
   * Which jobs exist, by queue and id (reconcile: call and outcome jobs). On the Workers'
   * connection, not the queues': reconcile asks between its own bulk adds, which go over the
   * queues' connection, and on one connection each check waited behind all the adds sent before
   * it, so Node and Redis took turns instead of working at once (docs/decisions.md, Reconcile).
   */
  readonly presence: JobPresence;

  constructor(
    private readonly queues: Queues,
    /** Connection for the manual Workers: `maxRetriesPerRequest: null` as BullMQ demands. */
    private readonly workerConnection: Redis,
    private readonly lockMs: number,
    private readonly log: Logger,
  ) {
    this.ready = new ReadyIndex(queues.connection, queues.prefix);
    this.importQueues = new ReadyIndex(queues.connection, queues.prefix, 'import-queues');
    this.presence = new JobPresence(workerConnection, queues.prefix);
  }

  get prefix(): string {
    return this.queues.prefix;
  }

  worker(queueName: string): Worker<CallJob> {
    let w = this.#workers.get(queueName);
    if (!w) {
      w = new Worker<CallJob>(queueName, null, {
        connection: this.workerConnection,
        prefix: this.queues.prefix,
        lockDuration: this.lockMs,
        autorun: false,
        // The API only hands out jobs; lost locks are found by the lock watch in workers/.
        skipStalledCheck: true,
        skipLockRenewal: true,
      }, sharedConnectionBackend);
      w.on('error', (err) => this.log.warn({ err, queue: queueName }, 'call worker error'));
      this.#workers.set(queueName, w);
    }
    return w;
  }

  /**
   * One job for an agent, locked with `token`: from `first` if it is due, else from the due
   * queue of `eligible` waiting longest, those of `preferred` first (`pull-script.ts`); null when
   * none has one due at `now`.
   */
  async pull(eligible: readonly string[], first: string | null, token: string, now: number, preferred: readonly string[] = []): Promise<Pulled | null> {
    const o = { readyKey: this.ready.key, prefix: this.queues.prefix, now, token, lockMs: this.lockMs, first, eligible, preferred };
    return pullCall(this.workerConnection, o, (queue) => this.worker(queue));
  }

  /** Queues `outcome` and completes the call job `call` holds, in one Redis call (`outcome-handover.ts`); BullMQ's code for the completion. */
  async handOverOutcome(outcome: OutcomeJob, call: HeldCall): Promise<number> {
    return handOverOutcome(this.queues, outcome, call, this.lockMs);
  }

  /**
   * Adds the call job for `data` due at `dueAt` (a no-op if that attempt's job exists), and tells
   * the ready index the queue is ready from then at the latest, in the same script call (an
   * entry that says too early, after a no-op add, is corrected by the pull that finds nothing).
   */
  async schedule(queueName: string, data: CallJob, dueAt: Date, opts: { priority: number; now: Date }): Promise<void> {
    const delay = Math.max(0, dueAt.getTime() - opts.now.getTime());
    const job = { name: 'call', data, opts: { jobId: callJobId(data.caseId, data.attemptNo), delay, priority: opts.priority } };
    await this.queues.addCalls(queueName, [job], { key: this.ready.key, member: queueName, at: Math.max(dueAt.getTime(), opts.now.getTime()) });
  }

  /**
   * A handle on a job an agent holds, for its lock operations (extend, complete): built from
   * what PostgreSQL knows (queue, id) instead of read from Redis. A lock that is gone makes
   * those operations fail, which their callers handle.
   */
  heldJob(queueName: string, jobId: string): Job<CallJob> {
    return new Job<CallJob>(this.worker(queueName), 'call', {} as CallJob, defaultJobOptions.calls, jobId);
  }

  async getJob(queueName: string, jobId: string): Promise<Job<CallJob> | undefined> {
    return Job.fromId<CallJob>(this.worker(queueName), jobId);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#workers.values()].map((w) => w.close(true)));
    this.#workers.clear();
  }
}
