import { cellText } from './cell-text.js';
import { ImportFileError } from './import-file-error.js';
import type { RawRow } from './read-xlsx.js';

/** The case fields a column can feed. `firstName`/`lastName` and `postalCity` are joined/split into name, postalCode, city. */
export type CaseField =
  | 'phone'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'customerNo'
  | 'address'
  | 'street'
  | 'houseNo'
  | 'postalCode'
  | 'city'
  | 'postalCity'
  | 'country'
  | 'amount'
  | 'currency'
  | 'language';

/**
 * Accepted header names per field, as people write them; matching normalises both sides
 * (see `normaliseHeader`), so `Kunden-Nr.`, `kunden nr` and `KUNDENNR` are one entry. Earlier
 * names win when several columns match one field (`Telefon` before `Mobil`); the losers are
 * kept as extra columns.
 */
export const HEADER_SYNONYMS: Record<CaseField, readonly string[]> = {
  phone: [
    'Telefon', 'Telefonnummer', 'Tel.', 'Tel.-Nr.', 'Telefon-Nr.', 'Rufnummer', 'Phone', 'Phone number', 'Telephone',
    'Telefon privat', 'Tel. privat', 'Festnetz', 'Festnetznummer', 'Kontakttelefon', 'Mobil', 'Mobilnummer', 'Mobiltelefon', 'Handy',
    'Handynummer', 'Mobile', 'Mobile phone', 'Telefon geschäftlich', 'Tel. mobil', 'Tel. geschäftlich', 'Natel',
    'Natelnummer',
  ],
  name: [
    'Name', 'Name 1', 'Kunde', 'Kundenname', 'Kunde Name', 'Name, Vorname', 'Vorname Name', 'Vollständiger Name', 'Schuldner',
    'Schuldnername', 'Debitorname', 'Debitorenname', 'Kontoinhaber', 'Customer', 'Customer name', 'Full name',
    'Empfänger', 'Firma', 'Firmenname', 'Company',
  ],
  firstName: ['Vorname', 'First name', 'Given name'],
  lastName: ['Nachname', 'Familienname', 'Zuname', 'Last name', 'Surname', 'Family name'],
  customerNo: [
    'Kundennummer', 'Kunden-Nr.', 'Kd-Nr.', 'KdNr', 'Kd.-Nummer', 'Kunden-ID', 'Kundenkennung', 'Customer No',
    'Customer number', 'Customer ID', 'Cust. No.', 'Debitor', 'Debitorennummer', 'Debitor-Nr.', 'Debitorennr.',
    'Debitorenkonto', 'Personenkonto', 'Geschäftspartner', 'GP-Nr.', 'Geschäftspartnernummer', 'Mitgliedsnummer',
    'Aktenzeichen', 'Kunde Nr.', 'Kundennr', 'Mitglieds-Nr.', 'Schuldner-Nr.', 'Schuldnernummer',
  ],
  address: ['Adresse', 'Anschrift', 'Address', 'Postanschrift', 'Wohnadresse', 'Kundenadresse', 'Vollständige Adresse', 'Straße, PLZ, Ort'],
  street: ['Straße', 'Str.', 'Straße und Hausnummer', 'Straße/Hausnummer', 'Straße Nr.', 'Straße/Nr.', 'Street', 'Street address', 'Address line 1', 'Adresszeile 1'],
  houseNo: ['Hausnummer', 'Hausnr.', 'HNr.', 'House number', 'House no.'],
  postalCode: ['PLZ', 'Postleitzahl', 'Zip', 'Zip code', 'Postcode', 'Postal code', 'NPA', 'CAP'],
  city: ['Ort', 'Stadt', 'Wohnort', 'Ortschaft', 'Gemeinde', 'City', 'Town', 'Localité', 'Località'],
  postalCity: ['PLZ Ort', 'PLZ/Ort', 'PLZ und Ort', 'Zip city', 'NPA/Localité', 'NPA Localité', 'CAP/Località', 'CAP Località'],
  country: ['Land', 'Country', 'Staat', 'Länderkennzeichen', 'LKZ', 'Ländercode', 'Country code'],
  // What is still owed before what was claimed in all (`Forderung | Bereits gezahlt | Restbetrag`
  // dunned the original claim): the open amounts first, the gross ones after.
  amount: [
    'Mahnsumme', 'Mahnbetrag', 'Offener Betrag', 'Betrag offen', 'Offene Forderung', 'Offener Saldo', 'Restbetrag',
    'Restforderung', 'Rückstand', 'Fälliger Betrag', 'Offene Posten', 'Offener Posten', 'OP-Betrag', 'Saldo',
    'Amount due', 'Open amount', 'Outstanding', 'Outstanding amount', 'Balance', 'Gesamtforderung', 'Forderung',
    'Forderungsbetrag', 'Forderungssumme', 'Gesamtbetrag', 'Betrag', 'Summe', 'Amount',
  ],
  currency: ['Währung', 'Währungscode', 'Whrg.', 'Currency'],
  language: ['Sprache', 'Korrespondenzsprache', 'Kommunikationssprache', 'Sprachcode', 'Sprachschlüssel', 'Sprach-Kz.', 'Language', 'Langue', 'Lingua'],
};

/** Without these a row cannot become a case. `name` may also come from first/last name columns. */
export const REQUIRED_FIELDS = ['customerNo', 'name', 'phone', 'amount'] as const;

const FIELD_LABEL: Record<CaseField, string> = {
  phone: 'phone', name: 'name', firstName: 'first name', lastName: 'last name', customerNo: 'customer number',
  address: 'address', street: 'street', houseNo: 'house number', postalCode: 'postal code', city: 'city',
  postalCity: 'postal code and city', country: 'country', amount: 'amount', currency: 'currency', language: 'language',
};

/** How far down `findHeaderRow` looks for the header (title rows above it are common). */
export const HEADER_SEARCH_ROWS = 20;

/**
 * Header text → comparison key: lower case, a bracketed unit and a trailing currency dropped
 * (`Offener Betrag (EUR)`, `Betrag in €`), umlauts spelled out (ä/ae, ß/ss), other accents
 * dropped, then only letters and digits kept (`Kunden-Nr.` → `kundennr`).
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFC')
    .toLowerCase()
    .replace(/[([{][^)\]}]*[)\]}]/g, ' ')
    .replace(/\s+(in\s+)?(eur|euro|chf|sfr|€)\.?\s*$/u, '')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');
}

/** The currency a header states as its unit (`Offener Betrag (EUR)`, `Betrag in CHF`), if any. */
export function headerCurrency(header: string): string | null {
  const m = /(?:\(|\[|\s|^)(eur|euro|€|chf|sfr)\s*[)\]]?\s*\.?\s*$/iu.exec(header.trim());
  if (!m?.[1]) return null;
  return /chf|sfr/i.test(m[1]) ? 'CHF' : 'EUR';
}

const SYNONYM_INDEX: Map<string, { field: CaseField; rank: number }> = (() => {
  const index = new Map<string, { field: CaseField; rank: number }>();
  for (const [field, names] of Object.entries(HEADER_SYNONYMS) as [CaseField, readonly string[]][]) {
    names.forEach((name, rank) => {
      const key = normaliseHeader(name);
      if (!index.has(key)) index.set(key, { field, rank });
    });
  }
  return index;
})();

/**
 * Patterns of the normalised header that catch numbered or qualified variants: `Telefon 1`,
 * `Tel. 2`, `Telefon (mobil)`, `Mobilfunknummer`, `Natel privat` — not a column about calls
 * (`Telefonat am`, `Telefonie-Tarif`) or mobility (`Mobilität`), whose dates and words would
 * be dialled.
 */
const PREFIX_RULES: { pattern: RegExp; field: CaseField }[] = [
  { pattern: /^(telefon(?!at(am|vom|datum|s?zeit|e|notiz|sergebnis)|ie)|rufnummer|phone|mobil(?!itaet)|handy|natel|tel\d|tel(mobil|privat|geschaeftlich|festnetz)|festnetz)/, field: 'phone' },
];

export interface HeaderMapping {
  /** Column index (0 = column A) per field found. */
  columns: Partial<Record<CaseField, number>>;
  /** Every phone column, the best-ranked first (`Telefon` before `Mobil` before `Telefon geschäftlich`); `columns.phone` is the first. */
  phones: number[];
  /** Columns no field claimed, in file order, with the file's own header text (made unique). */
  extras: { index: number; header: string }[];
}

export function matchHeaders(headerCells: string[]): HeaderMapping {
  const best = new Map<CaseField, { index: number; rank: number }>();
  const claimed: { index: number; field: CaseField; rank: number }[] = [];
  headerCells.forEach((raw, index) => {
    const match = matchOne(raw);
    if (!match) return;
    claimed.push({ index, ...match });
    const current = best.get(match.field);
    if (!current || match.rank < current.rank) best.set(match.field, { index, rank: match.rank });
  });
  const columns: Partial<Record<CaseField, number>> = {};
  for (const [field, { index }] of best) columns[field] = index;
  const phones = claimed
    .filter((c) => c.field === 'phone')
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((c) => c.index);
  const used = new Set([...Object.values(columns), ...phones]);
  const extras: { index: number; header: string }[] = [];
  const seen = new Map<string, number>();
  headerCells.forEach((raw, index) => {
    const header = raw.trim();
    if (used.has(index) || header === '') return;
    const n = (seen.get(header) ?? 0) + 1;
    seen.set(header, n);
    extras.push({ index, header: n === 1 ? header : `${header} (${n})` });
  });
  return { columns, phones, extras };
}

function matchOne(raw: string): { field: CaseField; rank: number } | null {
  const key = normaliseHeader(raw);
  if (key === '') return null;
  const exact = SYNONYM_INDEX.get(key);
  if (exact) return exact;
  const rule = PREFIX_RULES.find((r) => r.pattern.test(key));
  return rule ? { field: rule.field, rank: 1000 } : null;
}

export interface HeaderRow extends HeaderMapping {
  /** Index of the header row within `firstRows`. */
  rowIndex: number;
  /** Its row number as the spreadsheet shows it. */
  rowNumber: number;
  /** The header texts as written in the file, by column index. */
  headers: string[];
}

/**
 * Picks, among the first `HEADER_SEARCH_ROWS` non-empty rows, the one whose cells match the
 * most different fields (the first of equals). Throws `no_header` when no row matches any known
 * header, `missing_columns` when the best row lacks a required field.
 */
export function findHeaderRow(firstRows: RawRow[]): HeaderRow {
  let best: HeaderRow | null = null;
  let bestScore = 0;
  firstRows.slice(0, HEADER_SEARCH_ROWS).forEach((row, rowIndex) => {
    const headers = row.cells.map((c) => cellText(c));
    const mapping = matchHeaders(headers);
    const score = Object.keys(mapping.columns).length;
    if (score > bestScore) {
      bestScore = score;
      best = { rowIndex, rowNumber: row.rowNumber, headers, ...mapping };
    }
  });
  const found: HeaderRow | null = best;
  if (!found) {
    throw new ImportFileError(
      'no_header',
      `No header row found in the first ${HEADER_SEARCH_ROWS} rows. The list needs a row with column names such as ${acceptedSummary(REQUIRED_FIELDS)}.`,
      { accepted: acceptedNames() },
    );
  }
  assertRequired(found);
  return found;
}

function assertRequired(row: HeaderRow): void {
  const has = (f: CaseField) => row.columns[f] !== undefined;
  const missing = REQUIRED_FIELDS.filter((f) => !(has(f) || (f === 'name' && (has('firstName') || has('lastName')))));
  if (missing.length === 0) return;
  const foundHeaders = row.headers.map((h) => h.trim()).filter((h) => h !== '');
  throw new ImportFileError(
    'missing_columns',
    `Required column${missing.length > 1 ? 's' : ''} missing: ${missing.map((f) => FIELD_LABEL[f]).join(', ')}. ` +
      `Header row ${row.rowNumber} has: ${foundHeaders.map((h) => `"${h}"`).join(', ')}. ` +
      `Accepted names: ${acceptedSummary(missing)}.`,
    { headerRow: row.rowNumber, missing, found: foundHeaders, accepted: acceptedNames() },
  );
}

function acceptedSummary(fields: readonly CaseField[]): string {
  return fields.map((f) => `${FIELD_LABEL[f]}: ${HEADER_SYNONYMS[f].map((n) => `"${n}"`).join(', ')}`).join('; ');
}

function acceptedNames(): Record<string, readonly string[]> {
  return { ...HEADER_SYNONYMS };
}
