import type { Transform } from 'node:stream';
import { MAX_CELL_CHARS, sheetTextStream } from './sheet-text.js';

/**
 * A worksheet's rows and cells may leave out their position (`r`, optional in the standard):
 * a row is then the one after the previous (or its first cell's row, where that cell has a
 * position), a cell the one right of the previous. Exports
 * written with the Open XML SDK and similar libraries often do; exceljs' reader needs it (such a
 * file was refused as damaged). This stream, between the inflated worksheet text and the reader,
 * writes the missing positions in. It decides on the first row: when that row and its first cell
 * have theirs, the sheet passes unchanged (generators write all or none; a sheet mixing them
 * after its first row is still refused as damaged, nothing read wrongly).
 */
export function fillMissingRefs(): Transform {
  const state: RefState = { mode: 'undecided', row: 0, col: 0 };
  return sheetTextStream((text) => (state.mode === 'pass' ? { out: text, rest: '' } : fillRefs(text, state)));
}

export interface RefState {
  /** `pass`: the sheet has its positions; `fill`: it lacks them (or some), written in. */
  mode: 'undecided' | 'pass' | 'fill';
  /** The current row's number and the last cell's column (1 = A). */
  row: number;
  col: number;
}

const TAG = /<(row|c)(?=[\s/>])([^>]*)>/g;
const CELL_OR_ROW_END = /<c(?=[\s/>])([^>]*)>|<\/row>/g;
const REF_ATTR = /\sr\s*=\s*["']([A-Z]*)(\d+)["']/;

/** The text with positions written in, up to a tag cut by the chunk's end (`rest`, kept for the next chunk). */
export function fillRefs(text: string, state: RefState): { out: string; rest: string } {
  const lastOpen = text.lastIndexOf('<');
  const whole = lastOpen >= 0 && text.indexOf('>', lastOpen) < 0 ? text.slice(0, lastOpen) : text;
  let out = '';
  let pos = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(whole); m && state.mode !== 'pass'; m = TAG.exec(whole)) {
    const [tag, name, attrs = ''] = m;
    const ref = REF_ATTR.exec(attrs);
    let written = tag;
    if (name === 'row') {
      let rowNo = ref ? Number(ref[2]) : state.row + 1;
      if (!ref && !attrs.endsWith('/')) {
        const fromCell = firstCellRow(whole, TAG.lastIndex);
        // Its first cell not read yet: the row waits for the next chunk, up to a cell's worth.
        if (fromCell === undefined && whole.length - m.index <= MAX_CELL_CHARS) return { out: out + whole.slice(pos, m.index), rest: text.slice(m.index) };
        rowNo = fromCell ?? rowNo;
      }
      state.row = rowNo;
      state.col = 0;
      if (state.mode === 'undecided' && !ref) state.mode = 'fill';
      if (!ref) written = `<row r="${rowNo}"${attrs}>`;
    } else {
      state.col = ref ? columnNumber(ref[1]!) : state.col + 1;
      if (state.mode === 'undecided') state.mode = ref ? 'pass' : 'fill';
      if (!ref) written = `<c r="${columnLetters(state.col)}${state.row}"${attrs}>`;
    }
    out += whole.slice(pos, m.index) + written;
    pos = TAG.lastIndex;
  }
  return { out: out + whole.slice(pos), rest: text.slice(whole.length) };
}

/**
 * The row number a row without its own takes from its first cell's position (as Excel and
 * LibreOffice read it): null when that cell has none or the row has no cells, undefined when
 * neither its first cell nor its end is in `text` yet.
 */
function firstCellRow(text: string, from: number): number | null | undefined {
  CELL_OR_ROW_END.lastIndex = from;
  const m = CELL_OR_ROW_END.exec(text);
  if (!m) return undefined;
  const ref = m[1] === undefined ? null : REF_ATTR.exec(m[1]);
  return ref ? Number(ref[2]) : null;
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
