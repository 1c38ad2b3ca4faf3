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
