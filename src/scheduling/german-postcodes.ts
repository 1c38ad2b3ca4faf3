import { RUNS } from './german-postcodes.data.js';

/**
 * German postcode → Land (as `date-holidays` codes it: `BY`, `NW`, …), from the table described
 * in `data/README.md`. Postcodes follow Deutsche Post's routing, not Land borders, so the table
 * holds every postcode's own Land; a postcode it does not list (newer than the table) takes the
 * Land of the nearest listed one below it. A few postcodes span two Länder (`21039` Hamburg and
 * Börnsen): both are answered.
 */

const starts: number[] = [];
const statesAt: string[][] = [];
for (const line of RUNS.split('\n')) {
  const [plz, states] = line.split(' ');
  if (plz && states) {
    starts.push(Number(plz));
    statesAt.push(states.split('|'));
  }
}

/**
 * The 5-digit postcode as customers and spreadsheets write it (`80331`, ` D-80331`, `DE 80331`,
 * `1067` from a cell that lost its leading 0), or null when it is not one.
 */
export function normalizeGermanPostcode(input: string): string | null {
  const m = /^\s*(?:DE?\s*-?\s*)?(\d{4,5})\s*$/i.exec(input);
  return m ? m[1]!.padStart(5, '0') : null;
}

/** The Land or Länder (codes, sorted) of a German postcode, or null when it is not one. */
export function germanStatesForPostcode(postcode: string | null | undefined): string[] | null {
  const plz = postcode == null ? null : normalizeGermanPostcode(postcode);
  // 00xxx was never given out; 01001–01066 (Dresden's PO boxes) come before the first listed one.
  const n = plz ? Number(plz) : 0;
  if (n < 1001) return null;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= n) lo = mid;
    else hi = mid - 1;
  }
  return [...statesAt[lo]!];
}
