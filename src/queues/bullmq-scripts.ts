import { createRequire } from 'node:module';
import type { JobJson } from 'bullmq';
import { Packr } from 'msgpackr';

/**
 * BullMQ's own Lua scripts and codecs, for the scripts here that run several of BullMQ's steps in
 * one call (`bulk-add.ts`, `pull-script.ts`, `outcome-handover.ts`). BullMQ is pinned to an exact
 * version; what these scripts write is compared with what BullMQ's API writes, key by key, in
 * `test/bulk-add.test.ts`, `test/pull-script.test.ts` and `test/outcome-handover.test.ts`.
 */
type Script = { content: string };
const require = createRequire(import.meta.url);
// BullMQ's compiled scripts (Lua text with its includes resolved). Its ESM build imports them
// without file extensions, which only a bundler or tsx resolves; the CommonJS build loads in Node.
export const scripts = require('bullmq/dist/cjs/scripts/index.js') as Record<'addDelayedJob' | 'addPrioritizedJob' | 'addStandardJob' | 'moveToActive' | 'moveToFinished', Script>;

/** BullMQ's decoding of `moveToActive`'s answer: [job as JSON, id, rate-limit delay, delay until]. */
export const raw2NextJobData = (require('bullmq/dist/cjs/classes/redis-queue-backend.js') as { raw2NextJobData: (raw: unknown[]) => [JobJson | null, string?] }).raw2NextJobData;

/** One of BullMQ's scripts as a Lua function taking its KEYS and ARGV, to call from another script. */
export const asFunction = (name: string, content: string) => `local function ${name}(KEYS, ARGV)\n${content}\nend\n`;

/** BullMQ's packer, configured as it configures its own. */
export const packer = new Packr({ useRecords: false, encodeUndefinedAsNil: true });
