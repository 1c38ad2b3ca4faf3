/**
 * Normalising the values of one row: amounts, phone numbers, countries, languages, currencies
 * and free text. Pure functions; each returns a reason instead of throwing, so a bad value
 * becomes a rejection in the import report.
 */
export { parseAmountCents, MAX_AMOUNT_CENTS, type AmountResult } from './amount.js';
export { normalisePhone, type PhoneResult } from './phone.js';
export { countryFromAddress, countryCode, postalCodeFits, type AddressCountry } from './country.js';

/** Trimmed, NFC-normalised, whitespace runs (line breaks, tabs, NBSP) collapsed; Unicode kept (Müller, Weiß, Genève). */
export function cleanText(value: string): string {
  // Fast path: printable ASCII without surrounding or doubled spaces is already clean.
  if (/^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/.test(value)) return value;
  return value
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\s*\r?\n\s*/g, ', ')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim()
    .replace(/^,\s*|,\s*$/g, '');
}

const LANGUAGES: Record<string, string> = {
  de: 'de', deutsch: 'de', german: 'de', allemand: 'de', tedesco: 'de', ger: 'de', deu: 'de',
  fr: 'fr', franzoesisch: 'fr', french: 'fr', francais: 'fr', francese: 'fr', fra: 'fr', fre: 'fr',
  it: 'it', italienisch: 'it', italian: 'it', italiano: 'it', italien: 'it', ita: 'it',
  en: 'en', englisch: 'en', english: 'en', anglais: 'en', inglese: 'en', eng: 'en',
  rm: 'rm', raetoromanisch: 'rm', romanisch: 'rm', rumantsch: 'rm', romansh: 'rm', romanche: 'rm', romancio: 'rm', roh: 'rm',
  tr: 'tr', tuerkisch: 'tr', turkish: 'tr', pl: 'pl', polnisch: 'pl', polish: 'pl',
  es: 'es', spanisch: 'es', spanish: 'es', ru: 'ru', russisch: 'ru', russian: 'ru',
};

/** SAP's one-letter language keys (`D`, `F`, `I`, `E`): read only as a whole language cell. */
const LANGUAGE_KEYS: Record<string, string> = { d: 'de', f: 'fr', i: 'it', e: 'en' };

/** A language cell (`Deutsch`, `fr`, `Italiano`, `de-CH`, `Deutsch (Schweiz)`, SAP's `D`) → ISO 639-1 code, or null if unknown or empty. */
export function languageCode(value: string): string | null {
  const base = value.replace(/\([^)]*\)/g, ' ').trim().toLowerCase().split(/[-_\s]/)[0] ?? '';
  if (Object.hasOwn(LANGUAGE_KEYS, base)) return LANGUAGE_KEYS[base]!;
  const key = base.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').normalize('NFD').replace(/[^a-z]/g, '');
  return Object.hasOwn(LANGUAGES, key) ? LANGUAGES[key]! : null; // a cell "constructor" must not find Object's
}

/**
 * The currency a client of `country` bills in when its list names none: Swiss francs in
 * Switzerland and Liechtenstein, euros elsewhere (the clients are in DE, AT and CH).
 */
export function homeCurrency(country: string): 'EUR' | 'CHF' {
  const c = country.toUpperCase();
  return c === 'CH' || c === 'LI' ? 'CHF' : 'EUR';
}

/** A currency cell (`EUR`, `€`, `Euro`, `Euro (€)`, `CHF`, `SFr.`, `Schweizer Franken`) → ISO 4217, or null if unknown. */
export function currencyCode(value: string): string | null {
  const v = value.replace(/\([^)]*\)/g, ' ').trim().replace(/\.$/, '').toUpperCase();
  if (v === '€' || v === 'EURO' || v === 'EUR' || v === 'EUROS') return 'EUR';
  if (v === 'CHF' || v === 'SFR' || v === 'FR' || /^(SCHWEIZER )?FRANKEN$/.test(v) || v === 'FRANCS SUISSES' || v === 'FRANCHI SVIZZERI') return 'CHF';
  return /^[A-Z]{3}$/.test(v) ? v : null;
}
