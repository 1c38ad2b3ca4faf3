import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { SourceCell, SourceColumn } from '../lists/import/index.js';

/** One sheet of a result list: its columns and its rows, read page by page when written. */
export interface ResultSheet {
  name: string;
  columns: SourceColumn[];
  rows: () => AsyncIterable<SourceCell[][]>;
}

/**
 * Waits while the consumer (a slow download, a file) is behind, so memory stays flat; throws
 * when the consumer went away (a cancelled download), which ends the writing.
 */
export async function drained(out: Writable): Promise<void> {
  if (out.writableNeedDrain && !out.destroyed) {
    const ac = new AbortController();
    await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal })]).finally(() => ac.abort());
  }
  if (out.destroyed) throw new Error('the download was cancelled');
}
