import type { Redis } from 'ioredis';
import { encodeAdd } from './bulk-add.js';
import { asFunction, packer, scripts } from './bullmq-scripts.js';
import { callJobId, defaultJobOptions, type OutcomeJob, type Queues } from './registry.js';

/**
 * An agent's outcome handed to the outcomes worker in one Redis call: the `outcomes` job added
 * (BullMQ's `addStandardJob`, as `Queue.add` runs it) and the call job completed with the
 * agent's token (BullMQ's `moveToFinished`, as `Job.moveToCompleted(null, token, false)` runs it
 * for a job removed on completion), in one script. It was two calls, one after the other, with a
 * crash window between them (outcome queued, call job still held by nobody, until its lock ran
 * out); now both happen or neither. Arguments are built as BullMQ builds them
 * (`test/outcome-handover.test.ts` compares the result with BullMQ's own calls, key by key).
 */
const HANDOVER = `${asFunction('addStandardJob', scripts.addStandardJob.content)}
${asFunction('moveToFinished', scripts.moveToFinished.content)}
local added = addStandardJob({ KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9] }, { ARGV[1], ARGV[2], ARGV[3] })
local finished = moveToFinished({ KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14], KEYS[15], KEYS[16], KEYS[17], KEYS[18], KEYS[19], KEYS[20], KEYS[21], KEYS[22], KEYS[23] },
  { ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12] })
return { added, finished }
`;

/** The outcomes queue's keys for `addStandardJob`, in its order. */
const ADD_KEYS = ['wait', 'paused', 'meta', 'id', 'completed', 'delayed', 'active', 'events', 'marker'] as const;
/** A call queue's keys for `moveToFinished`, in its order (then completed, the job, metrics, marker). */
const FINISH_KEYS = ['wait', 'active', 'prioritized', 'events', 'stalled', 'limiter', 'delayed', 'paused', 'meta', 'pc'] as const;

interface HandoverCommand {
  handOverOutcome(...keysAndArgs: Array<string | Buffer>): Promise<[string | number, number]>;
}

export interface HeldCall {
  queue: string;
  jobId: string;
  token: string;
}

/**
 * Adds the outcome's job and completes the call job `call` holds; returns BullMQ's code for the
 * completion: 0, or negative when the call job was not completed (its lock gone or taken over:
 * -2 missing lock, -6 another token, -1/-3 job gone or not handed out). The outcome job is added
 * either way. `lockMs` is the call Workers' lock duration (part of BullMQ's arguments).
 */
export async function handOverOutcome(queues: Queues, outcome: OutcomeJob, call: HeldCall, lockMs: number): Promise<number> {
  const redis = queues.connection as Redis & HandoverCommand;
  if (!('handOverOutcome' in queues.connection)) queues.connection.defineCommand('handOverOutcome', { numberOfKeys: ADD_KEYS.length + FINISH_KEYS.length + 4, lua: HANDOVER });
  const outcomes = queues.get('outcomes');
  const calls = queues.calls(call.queue);
  const timestamp = Date.now();
  const [kind, ...add] = encodeAdd(outcomes, { name: 'outcome', data: outcome, opts: { jobId: callJobId(outcome.caseId, outcome.attemptNo) } }, timestamp);
  if (kind !== 's') throw new Error(`an outcome job is a standard job, not "${kind}"`);
  const callKeys = [...FINISH_KEYS.map((k) => calls.toKey(k)), calls.toKey('completed'), calls.toKey(call.jobId), calls.toKey('metrics:completed'), calls.toKey('marker')];
  // BullMQ's moveToCompletedArgs for a job removed on completion ({count: 0}), no next job fetched,
  // by a Worker without name, rate limit or metrics.
  const finishOpts = {
    token: call.token,
    name: undefined,
    keepJobs: { count: 0 },
    limiter: undefined,
    lockDuration: lockMs,
    attempts: defaultJobOptions.calls!.attempts,
    maxMetricsSize: '',
    fpof: false,
    cpof: false,
    idof: false,
    rdof: false,
  };
  const finish = [call.jobId, String(timestamp), 'returnvalue', 'null', 'completed', '0', calls.toKey(''), packer.pack(finishOpts), ''];
  const [added, finished] = await redis.handOverOutcome(...ADD_KEYS.map((k) => outcomes.toKey(k)), ...callKeys, ...add, ...finish);
  if (typeof added === 'number' && added < 0) throw new Error(`BullMQ's add script failed with code ${added}`);
  return finished;
}
