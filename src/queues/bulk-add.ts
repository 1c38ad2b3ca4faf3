import { optsEncodeMap, type JobsOptions, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { asFunction, packer, scripts } from './bullmq-scripts.js';

/**
 * Adds many jobs to one queue in a single script call: BullMQ's own add scripts (delayed,
 * prioritized, standard), each wrapped as a Lua function, run once per job inside one script.
 * `Queue.addBulk` sends one script call per job through a pipeline; encoding those calls took
 * most of the CPU of an import's enqueue and of reconcile restoring a flushed Redis (~50 µs a
 * job), and Redis's own cost per call on top. What lands in Redis is what BullMQ's scripts
 * write, from the arguments BullMQ's `Job` and `addJobToTransaction` build (mirrored below for
 * a job without parent, repeat or deduplication); `test/bulk-add.test.ts` compares a job added
 * this way with one added by `addBulk`, field by field, so an upgrade that changes either fails.
 */
const { addDelayedJob, addPrioritizedJob, addStandardJob } = scripts;

const BULK_ADD = `${asFunction('addDelayedJob', addDelayedJob.content)}
${asFunction('addPrioritizedJob', addPrioritizedJob.content)}
${asFunction('addStandardJob', addStandardJob.content)}
local marker, meta, id, prioritized, delayed, completed, active, events, pc, wait, paused, ready = unpack(KEYS)
local out = {}
for i = 3, #ARGV, 4 do
  local kind, args = ARGV[i], { ARGV[i + 1], ARGV[i + 2], ARGV[i + 3] }
  if kind == 'd' then
    out[#out + 1] = addDelayedJob({ marker, meta, id, delayed, completed, events }, args)
  elseif kind == 'p' then
    out[#out + 1] = addPrioritizedJob({ marker, meta, id, prioritized, delayed, completed, active, events, pc }, args)
  else
    out[#out + 1] = addStandardJob({ wait, paused, meta, id, completed, delayed, active, events, marker }, args)
  end
end
-- The ready index learns the queue has a job due by then (ZADD LT: only ever earlier).
if ARGV[1] ~= '' then redis.call('ZADD', ready, 'LT', ARGV[1], ARGV[2]) end
return out
`;

/** The queue keys the script takes, in its order (BullMQ's own key names); then the ready index's. */
const KEY_NAMES = ['marker', 'meta', 'id', 'prioritized', 'delayed', 'completed', 'active', 'events', 'pc', 'wait', 'paused'] as const;

interface BulkAddCommand {
  bulkAddJobs(...keysAndArgs: Array<string | Buffer>): Promise<Array<string | number>>;
}

export interface BulkJob<T> {
  name: string;
  data: T;
  opts: JobsOptions & { jobId: string };
}

/**
 * Jobs per script call. A script holds Redis for its whole run (~30 µs a job on a slow core):
 * 250 keep that to a few milliseconds, so agents' pulls wait no longer than behind a pipeline.
 */
const CHUNK = 250;

/** An entry of the ready index to set in the same script call: `member` is due at `at` (ms) at the latest. */
export interface ReadyEntry {
  key: string;
  member: string;
  at: number;
}

/**
 * Adds `jobs` to `queue` (with the queue's default job options, as `addBulk` does) and returns
 * their ids; a job whose id exists already is left as it is (BullMQ's rule for a custom id).
 * `redis` must be the queue's connection. The next chunk is encoded while Redis runs the last.
 * With `ready`, each script call also sets that ready-index entry (`ZADD LT`).
 */
export async function bulkAdd<T>(queue: Queue<T>, redis: Redis, jobs: Array<BulkJob<T>>, ready?: ReadyEntry): Promise<string[]> {
  if (!('bulkAddJobs' in redis)) redis.defineCommand('bulkAddJobs', { numberOfKeys: KEY_NAMES.length + 1, lua: BULK_ADD });
  const ids: string[] = [];
  let running: Promise<string[]> | null = null;
  try {
    for (let i = 0; i < jobs.length; i += CHUNK) {
      const args = encode(queue, jobs.slice(i, i + CHUNK), ready);
      const previous = running;
      running = send(redis as Redis & BulkAddCommand, args);
      running.catch(() => undefined); // awaited below or after the loop
      if (previous) ids.push(...(await previous));
    }
    if (running) ids.push(...(await running));
  } catch (err) {
    // Nothing still on its way when this fails: a caller that removes what it added after a
    // failure (a failed import) must not race a chunk that lands after its removal.
    await running?.catch(() => undefined);
    throw err;
  }
  return ids;
}

function encode<T>(queue: Queue<T>, jobs: Array<BulkJob<T>>, ready: ReadyEntry | undefined): Array<string | Buffer> {
  const args: Array<string | Buffer> = KEY_NAMES.map((k) => queue.toKey(k));
  // Without an entry to set, the key is still declared (its queue's own, unused).
  args.push(ready?.key ?? queue.toKey('meta'), ready ? String(ready.at) : '', ready?.member ?? '');
  const timestamp = Date.now();
  for (const job of jobs) args.push(...encodeAdd(queue, job, timestamp));
  return args;
}

/**
 * One job as BullMQ's add scripts take it: which script (`d` delayed, `p` prioritized, `s`
 * standard), then its three arguments (packed arguments, data as JSON, packed options).
 */
export function encodeAdd<T>(queue: Queue<T>, { name, data, opts: own }: BulkJob<T>, timestamp: number): [string, Buffer, string, Buffer] {
  // The options as `addBulk` merges them ({ ...defaults, ...own }) and BullMQ's Job constructor
  // completes and stores them, built on the queue's encoded defaults: the same keys, values and
  // order, without merging and encoding the defaults again for every job (most of this
  // function's time when it did, ~8 of 11 µs a job).
  const opts: Record<string, unknown> = { ...encodedDefaults(queue) };
  for (const option in own) {
    if (option === 'repeatJobKey' || option === 'telemetry') continue; // Job drops the first; addBulk sets the second undefined
    const value = option === 'backoff' ? completeBackoff(own.backoff) : own[option as keyof JobsOptions];
    const key = encodedName(option);
    if (value === undefined) delete opts[key];
    else opts[key] = value;
  }
  // As BullMQ's addJobToTransaction: no parent, repeat, deduplication or deferred release.
  const scriptArgs = [queue.toKey(''), own.jobId, name, timestamp, null, null, undefined, undefined, null, null];
  const kind = typeof opts.delay === 'number' && opts.delay > 0 ? 'd' : opts.priority ? 'p' : 's';
  return [kind, packer.pack(scriptArgs), JSON.stringify(data === undefined ? {} : data), packer.pack(opts)];
}

/**
 * Per queue: its default job options completed as BullMQ's Job constructor completes them
 * (`attempts` 0 unless set, a numeric backoff as a fixed one) and encoded as BullMQ stores them
 * (`optsAsJSON`: short names, no undefined values). A queue's defaults are set when it is made.
 */
const defaultsByQueue = new WeakMap<Queue<any>, Record<string, unknown>>();

function encodedDefaults(queue: Queue<any>): Record<string, unknown> {
  let encoded = defaultsByQueue.get(queue);
  if (!encoded) {
    const { repeatJobKey: _repeat, telemetry: _telemetry, ...defaults } = queue.defaultJobOptions;
    const opts: JobsOptions = { attempts: 0, ...defaults };
    opts.backoff = completeBackoff(opts.backoff);
    encoded = {};
    for (const [option, value] of Object.entries(opts)) if (value !== undefined) encoded[encodedName(option)] = value;
    defaultsByQueue.set(queue, encoded);
  }
  return encoded;
}

/** BullMQ's Job constructor: a number of milliseconds is a fixed backoff; no backoff is none. */
function completeBackoff(backoff: JobsOptions['backoff']): JobsOptions['backoff'] {
  return typeof backoff === 'number' && Number.isFinite(backoff) ? { type: 'fixed', delay: backoff } : backoff || undefined;
}

/** BullMQ's `optsAsJSON`: long option names to the short ones it stores. */
function encodedName(option: string): string {
  return option in optsEncodeMap ? optsEncodeMap[option as keyof typeof optsEncodeMap] : option;
}

async function send(redis: Redis & BulkAddCommand, args: Array<string | Buffer>): Promise<string[]> {
  const results = await redis.bulkAddJobs(...args);
  return results.map((r) => {
    // Only a missing parent makes BullMQ's add scripts answer with a negative code; these jobs have none.
    if (typeof r === 'number' && r < 0) throw new Error(`BullMQ's add script failed with code ${r}`);
    return String(r);
  });
}
