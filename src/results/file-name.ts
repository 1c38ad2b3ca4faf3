/**
 * Download names such as `Ergebnisliste_SWM_Mahnlauf-November_2026-11-30.xlsx`; a running list's
 * file says `Zwischenstand`. Characters no file system takes are dropped, spaces become `-`.
 */
export function resultFileName(o: { clientCode: string; listName: string; day: string; interim: boolean; ext: 'xlsx' | 'csv' }): string {
  const parts = ['Ergebnisliste', part(o.clientCode), part(o.listName), o.interim ? 'Zwischenstand' : null, o.day].filter(Boolean);
  return `${parts.join('_')}.${o.ext}`;
}

/** The longest a part of the name gets, in code points. */
const PART_MAX = 80;

function part(text: string): string {
  return cut(
    text
      .normalize('NFC')
      .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '')
      .trim()
      .replace(/\s+/g, '-'),
  );
}

const graphemes = new Intl.Segmenter('de', { granularity: 'grapheme' });

/**
 * At most `PART_MAX` code points, cut between characters as a reader sees them: never inside a
 * surrogate pair (a lone half makes `encodeURIComponent` throw, and the download header with it),
 * nor through an emoji sequence or a letter with its accents.
 */
function cut(text: string): string {
  let kept = '';
  let codePoints = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = [...segment].length;
    if (codePoints + size > PART_MAX) break;
    kept += segment;
    codePoints += size;
  }
  return kept;
}
