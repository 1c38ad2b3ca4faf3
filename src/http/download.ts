/**
 * `Content-Disposition` for a file download. A plain ASCII name goes as `filename="…"`; any
 * other gets an ASCII stand-in there for old clients (umlauts transliterated: `Rückstände` →
 * `Rueckstaende`) and the real name as RFC 5987 `filename*=UTF-8''…`, which every current
 * browser prefers.
 */
export function attachment(fileName: string): string {
  const ascii = fileName
    .replace(/[äöüÄÖÜß]/g, (ch) => TRANSLITERATE[ch] ?? '_')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (ascii === fileName) return `attachment; filename="${fileName}"`;
  // attr-char of RFC 5987 leaves out ' ( ) * which encodeURIComponent keeps.
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const TRANSLITERATE: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss' };

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
