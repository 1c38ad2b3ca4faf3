/**
 * Download names such as `Ergebnisliste_SWM_Mahnlauf-November_2026-11-30.xlsx`; a running list's
 * file says `Zwischenstand`. Characters no file system takes are dropped, spaces become `-`.
 */
export function resultFileName(o: { clientCode: string; listName: string; day: string; interim: boolean; ext: 'xlsx' | 'csv' }): string {
  const parts = ['Ergebnisliste', part(o.clientCode), part(o.listName), o.interim ? 'Zwischenstand' : null, o.day].filter(Boolean);
  return `${parts.join('_')}.${o.ext}`;
}

function part(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 80);
}

const TRANSLITERATE: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss' };

/**
 * `Content-Disposition: attachment` with an ASCII `filename` for old clients and the exact
 * name as RFC 5987 `filename*` (UTF-8, percent-encoded) for all others.
 */
export function attachment(fileName: string): string {
  const ascii = fileName
    .replace(/[äöüÄÖÜß]/g, (ch) => TRANSLITERATE[ch] ?? '_')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
