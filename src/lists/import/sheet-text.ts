import { Transform, type TransformCallback } from 'node:stream';

/**
 * How far an incomplete piece of a worksheet's XML (a cell, a row's start) is awaited across
 * chunks: Excel's 32,767 characters a cell, with room for its markup. Longer is no such piece, and
 * waiting on would scan it again with every chunk.
 */
export const MAX_CELL_CHARS = 256 * 1024;

/** One step over the sheet's text: what is rewritten, and the incomplete end kept for the next chunk. */
export type TextStep = (text: string) => { out: string; rest: string };

/** A stream over a worksheet's XML text (utf8 chunks) that applies `step`, carrying each chunk's `rest` into the next. */
export function sheetTextStream(step: TextStep): Transform {
  let carry = '';
  return new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string | Buffer, _enc: BufferEncoding, done: TransformCallback) {
      const { out, rest } = step(carry + String(chunk));
      carry = rest;
      done(null, out);
    },
    flush(done: TransformCallback) {
      done(null, carry);
    },
  });
}
