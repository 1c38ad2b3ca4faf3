import type { Transform } from 'node:stream';
import { MAX_CELL_CHARS, sheetTextStream } from './sheet-text.js';

/**
 * exceljs' streaming worksheet reader keeps only the last run of an inline rich-text cell: each
 * `<t>` starts the cell's text anew, so `<is><r><t>Hans </t></r><r><rPr><b/></rPr><t>Müller</t></r></is>`
 * reads as „Müller“ (Excel writes shared strings, which exceljs reads whole; other generators
 * write inline ones). This stream, between the inflated worksheet text and the reader, rewrites
 * such a cell's `<is>` to one `<t>` holding the runs' texts in order (phonetic runs, `<rPh>`, left
 * out, as Excel shows them). Chunks without `<is>` pass unchanged; a cell with one `<t>` too.
 */
export function joinInlineRuns(): Transform {
  return sheetTextStream(rewrite);
}

const OPEN = '<is>';
const CLOSE = '</is>';

/** The text rewritten up to where an `<is>` is not complete yet (`rest`, kept for the next chunk). */
export function rewrite(text: string): { out: string; rest: string } {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = text.indexOf(OPEN, pos);
    if (open < 0) {
      const keep = partialOpenAtEnd(text, pos);
      return { out: out + text.slice(pos, text.length - keep), rest: text.slice(text.length - keep) };
    }
    const close = text.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) {
      // An `<is>` open longer than any cell is no cell to join: it passes as it is.
      if (text.length - open > MAX_CELL_CHARS) return { out: out + text.slice(pos), rest: '' };
      return { out: out + text.slice(pos, open), rest: text.slice(open) };
    }
    out += text.slice(pos, open) + joinRuns(text.slice(open, close + CLOSE.length));
    pos = close + CLOSE.length;
  }
}

/** How many characters at the end of `text` (from `from` on) could begin an `<is>` cut by the chunk's end. */
function partialOpenAtEnd(text: string, from: number): number {
  for (let n = Math.min(OPEN.length - 1, text.length - from); n > 0; n--) {
    if (text.endsWith(OPEN.slice(0, n))) return n;
  }
  return 0;
}

/** A text element, `<t>…</t>`, or an empty one however written (`<t/>`, `<t />`, `<t xml:space="preserve"/>`). */
const T_ELEMENT = /<t(?:\s[^>]*?)?(?:\/>|>([\s\S]*?)<\/t>)/g;
const PHONETIC = /<rPh[\s>][\s\S]*?<\/rPh>/g;

/** One `<is>…</is>`: as it is with one text, else its texts joined into one `<t>` (still XML-escaped, as they stood). */
function joinRuns(is: string): string {
  const body = is.slice(OPEN.length, -CLOSE.length);
  const first = body.indexOf('<t');
  if (first < 0 || (body.indexOf('<t', first + 2) < 0 && !body.includes('<rPh'))) return is;
  const texts = [...body.replace(PHONETIC, '').matchAll(T_ELEMENT)].map((m) => m[1] ?? '');
  return `${OPEN}<t>${texts.join('')}</t>${CLOSE}`;
}
