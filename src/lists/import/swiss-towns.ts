import { SWISS_TOWN_ROWS } from './swiss-towns.data.js';

/**
 * Whether a 4-digit postcode and a town are a Swiss (or Liechtenstein) address, from the
 * official directory of towns (`swiss-towns.data.ts`). Austria and Germany (with its leading
 * zero lost in Excel) use 4-digit numbers too, so the postcode alone proves nothing: the town
 * must be one the directory has for it — its locality or municipality, in any spelling a
 * customer writes (`Zürich`, `Zurich`, `Zuerich`, `Zürich-Oerlikon`, `Genf`, `St. Gallen`).
 * Postcodes without addresses (8000 Zürich, 1200 Genève, PO boxes) are looked up by their
 * first three digits.
 */

/** German, French, Italian and English names of Swiss towns that the directory spells otherwise. */
const EXONYMS: Record<string, string[]> = {
  genève: ['Genf', 'Geneva', 'Ginevra'],
  neuchâtel: ['Neuenburg'],
  fribourg: ['Freiburg', 'Freiburg im Üechtland'],
  sion: ['Sitten'],
  sierre: ['Siders'],
  porrentruy: ['Pruntrut'],
  delémont: ['Delsberg'],
  bellinzona: ['Bellenz'],
  lugano: ['Lauis'],
  'biel/bienne': ['Biel', 'Bienne'],
  luzern: ['Lucerne', 'Lucerna'],
  basel: ['Bâle', 'Basilea'],
  bern: ['Berne', 'Berna'],
  zürich: ['Zurigo'],
  solothurn: ['Soleure'],
  'st. gallen': ['Saint-Gall', 'San Gallo'],
  chur: ['Coire', 'Coira'],
  thun: ['Thoune'],
  murten: ['Morat'],
  vevey: ['Vivis'],
  schaffhausen: ['Schaffhouse', 'Sciaffusa'],
  'la chaux-de-fonds': ['La Chaux de Fonds'],
};

/** Lower case, no accents or umlauts (also written `ue`), `St.`/`Sankt`/`Saint` alike, letters only. */
export function townKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\b(sankt|saint|sainte|san|st|ste)\b\.?/g, 'st')
    .replace(/ae/g, 'a')
    .replace(/oe/g, 'o')
    .replace(/ue/g, 'u')
    .replace(/[^a-z]/g, '');
}

const byPlz = new Map<string, { country: 'CH' | 'LI'; keys: string[] }>();
for (const line of SWISS_TOWN_ROWS.split('\n')) {
  const [plz, country, ...names] = line.split('|');
  if (!plz || (country !== 'CH' && country !== 'LI')) continue;
  const all = names.flatMap((n) => [n, ...n.split('/'), ...(EXONYMS[n.toLowerCase()] ?? [])]);
  byPlz.set(plz, { country, keys: [...new Set(all.map(townKey).filter((k) => k.length >= 2))] });
}

/** The directory's towns by the first 3 and the first 2 digits of their postcodes. */
const byPrefix = new Map<string, { country: 'CH' | 'LI'; keys: Set<string> }>();
for (const [plz, entry] of byPlz) {
  for (const prefix of [plz.slice(0, 3), plz.slice(0, 2)]) {
    const group = byPrefix.get(prefix) ?? { country: entry.country, keys: new Set<string>() };
    for (const k of entry.keys) group.keys.add(k);
    byPrefix.set(prefix, group);
  }
}

/**
 * The town as written matches a directory name: equal, or one begins with the other
 * (`Zürich-Oerlikon`), or an abbreviated one (`Affoltern a.A.`) begins with the name's first
 * word of 5 letters or more (`Affoltern am Albis`).
 */
function matches(town: string, keys: Iterable<string>, firstWord: string): boolean {
  for (const k of keys) {
    if (town === k) return true;
    if (k.length >= 4 && town.startsWith(k)) return true;
    if (town.length >= 4 && k.startsWith(town)) return true;
    if (firstWord.length >= 5 && firstWord !== town && k.startsWith(firstWord)) return true;
  }
  return false;
}

/**
 * `CH` or `LI` when `postcode` (4 digits) and `town` are a place of the directory; else null.
 * A postcode the directory lacks (a PO box or business one: `8021 Zürich`) is looked up among
 * the towns of its first 3, then its first 2 digits.
 */
export function swissCountryOf(postcode: string | null, town: string | null): 'CH' | 'LI' | null {
  if (!postcode || !/^\d{4}$/.test(postcode) || !town) return null;
  const key = townKey(town);
  if (key === '') return null;
  const firstWord = townKey(town.split(/[\s.,/-]+/)[0] ?? '');
  const exact = byPlz.get(postcode);
  if (exact) return matches(key, exact.keys, firstWord) ? exact.country : null;
  const group = byPrefix.get(postcode.slice(0, 3)) ?? byPrefix.get(postcode.slice(0, 2));
  return group && matches(key, group.keys, firstWord) ? group.country : null;
}
