import { Transform, type TransformCallback } from 'node:stream';

/**
 * A worksheet's rows and cells may leave out their position (`r`, optional in the standard):
 * a row is then the one after the previous, a cell the one right of the previous. Exports
 * written with the Open XML SDK and similar libraries often do; exceljs' reader needs it (such a
 * file was refused as damaged). This stream, between the inflated worksheet text and the reader,
 * writes the missing positions in. It decides on the first row: when that row and its first cell
 * have theirs, the sheet passes unchanged (generators write all or none; a sheet mixing them
 * after its first row is still refused as damaged, nothing read wrongly).
 */
export function fillMissingRefs(): Transform {
  const state: RefState = { mode: 'undecided', row: 0, col: 0 };
  let carry = '';
  return new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string | Buffer, _enc: BufferEncoding, done: TransformCallback) {
      const text = carry + String(chunk);
      if (state.mode === 'pass') {
        carry = '';
        return done(null, text);
      }
      const { out, rest } = fillRefs(text, state);
      carry = rest;
      done(null, out);
    },
    flush(done: TransformCallback) {
      done(null, carry);
    },
  });
}

export interface RefState {
  /** `pass`: the sheet has its positions; `fill`: it lacks them (or some), written in. */
  mode: 'undecided' | 'pass' | 'fill';
  /** The current row's number and the last cell's column (1 = A). */
  row: number;
  col: number;
}

const TAG = /<(row|c)(?=[\s/>])([^>]*)>/g;
const REF_ATTR = /\sr\s*=\s*["']([A-Z]*)(\d+)["']/;

/** The text with positions written in, up to a tag cut by the chunk's end (`rest`, kept for the next chunk). */
export function fillRefs(text: string, state: RefState): { out: string; rest: string } {
  const lastOpen = text.lastIndexOf('<');
  const cut = lastOpen >= 0 && text.indexOf('>', lastOpen) < 0 ? lastOpen : text.length;
  const whole = text.slice(0, cut);
  const out = whole.replace(TAG, (tag: string, name: string, attrs: string) => {
    if (state.mode === 'pass') return tag;
    const ref = REF_ATTR.exec(attrs);
    if (name === 'row') {
      state.row = ref ? Number(ref[2]) : state.row + 1;
      state.col = 0;
      if (state.mode === 'undecided' && !ref) state.mode = 'fill';
      return ref ? tag : `<row r="${state.row}"${attrs}>`;
    }
    state.col = ref ? columnNumber(ref[1]!) : state.col + 1;
    if (state.mode === 'undecided') state.mode = ref ? 'pass' : 'fill';
    return ref ? tag : `<c r="${columnLetters(state.col)}${state.row}"${attrs}>`;
  });
  return { out, rest: text.slice(cut) };
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function columnLetters(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}
