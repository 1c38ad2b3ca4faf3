import { PLZ3_ROWS, PLZ4_ROWS } from './swiss-postcodes.data.js';

/**
 * Swiss postcode (PLZ) → canton and language region, from the swisstopo/BFS data described in
 * `data/README.md`. A PLZ without addresses (PO boxes, large customers such as 8000 Zürich)
 * falls back to its first three digits, which works because Swiss PLZs are geographic.
 * Liechtenstein (9485–9498) has no canton and is answered with null.
 */

export interface SwissPostcodeInfo {
  /** Two-letter canton code as `date-holidays` spells it (`ZH`, `BE`, …). */
  canton: string;
  /** Language regions, the main one first (`['de']`, `['fr', 'de']`). */
  languages: string[];
  /** Whether the exact PLZ was found or only its 3-digit prefix. */
  match: 'plz4' | 'plz3';
}

interface Row {
  canton: string;
  languages: string[];
}

function table(text: string): Map<string, Row> {
  const map = new Map<string, Row>();
  for (const line of text.split('\n')) {
    const [key, languages, canton] = line.split(' ');
    if (key && languages && canton) map.set(key, { canton, languages: languages.split('|') });
  }
  return map;
}

/**
 * Where the shared data's rule (every locality of a postcode counts 1, whatever its size) names
 * another canton than the town the postcode is named after — the only three such postcodes of
 * the 2026 directory: 1290 Versoix (GE; a hamlet of VD shares it), 6010 Kriens (LU; Pilatus
 * Kulm, OW), 1534 Sassel (VD). Their customers get their own canton's holidays.
 */
const CANTON_OF_NAMED_TOWN: Record<string, string> = { '1290': 'GE', '6010': 'LU', '1534': 'VD' };

const byPlz4 = table(PLZ4_ROWS);
for (const [plz, canton] of Object.entries(CANTON_OF_NAMED_TOWN)) {
  const row = byPlz4.get(plz);
  if (row) row.canton = canton;
}
const byPlz3 = table(PLZ3_ROWS);

/**
 * The 4-digit PLZ of a Swiss postcode as customers write it (`8001`, ` CH-8001 `, `CH 8001`),
 * or null when it is not one.
 */
export function normalizeSwissPostcode(input: string): string | null {
  const m = /^\s*(?:CH\s*-?\s*)?([1-9]\d{3})\s*$/i.exec(input);
  return m ? m[1]! : null;
}

const isLiechtenstein = (plz: string) => Number(plz) >= 9485 && Number(plz) <= 9498;

/** Canton and languages of a Swiss postcode, or null when unknown (not a Swiss PLZ). */
export function swissPostcodeInfo(postcode: string | null | undefined): SwissPostcodeInfo | null {
  const plz = postcode == null ? null : normalizeSwissPostcode(postcode);
  if (!plz || isLiechtenstein(plz)) return null;
  const exact = byPlz4.get(plz);
  if (exact) return { canton: exact.canton, languages: [...exact.languages], match: 'plz4' };
  const prefix = byPlz3.get(plz.slice(0, 3));
  return prefix ? { canton: prefix.canton, languages: [...prefix.languages], match: 'plz3' } : null;
}

/** The canton (`ZH`, `BE`, …) of a Swiss postcode, or null when unknown. */
export function swissCantonForPostcode(postcode: string | null | undefined): string | null {
  return swissPostcodeInfo(postcode)?.canton ?? null;
}

/**
 * The language regions of a Swiss postcode, main language first (`['de']`, `['fr','de']`),
 * or null when unknown. A region's majority language, not the customer's: a stated
 * preference of the customer should win over it.
 */
export function swissLanguageForPostcode(postcode: string | null | undefined): string[] | null {
  return swissPostcodeInfo(postcode)?.languages ?? null;
}
