import { parseAmountCents } from './amount.js';
import { cellText, cellValue } from './cell-text.js';
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

/** Names of the amount still owed (what is dunned). */
const OPEN_AMOUNT = [
  'Mahnsumme', 'Mahnbetrag', 'Offener Betrag', 'Betrag offen', 'Offene Forderung', 'Offener Saldo', 'Restbetrag',
  'Restforderung', 'Restschuld', 'Restsaldo', 'Forderungsrest', 'Rückstand', 'Fälliger Betrag', 'Offene Posten',
  'Offener Posten', 'OP-Betrag', 'Offener Rechnungsbetrag', 'Offene Summe', 'Summe offen', 'Gesamt offen',
  'Ausstehender Betrag', 'Offen', 'Noch offen', 'Saldo', 'Amount due', 'Open amount', 'Outstanding', 'Outstanding amount',
  'Balance', 'Solde', 'Montant dû', 'Solde dû',
] as const;

/** Names of the amount claimed in all, payments not deducted: taken only when no open amount is there. */
const GROSS_AMOUNT = [
  'Gesamtforderung', 'Forderung', 'Forderungsbetrag', 'Forderungssumme', 'Rechnungsbetrag', 'Gesamtbetrag', 'Betrag', 'Summe',
  'Amount', 'Montant',
] as const;

/**
 * Accepted header names per field, as people write them; matching normalises both sides
 * (see `normaliseHeader`), so `Kunden-Nr.`, `kunden nr` and `KUNDENNR` are one entry. Earlier
 * names win when several columns match one field (`Telefon` before `Mobil`); the losers are
 * kept as extra columns.
 */
export const HEADER_SYNONYMS: Record<CaseField, readonly string[]> = {
  phone: [
    'Telefon', 'Telefonnummer', 'Tel.', 'Tel.-Nr.', 'Telefon-Nr.', 'Rufnummer', 'Rufnr.', 'Phone', 'Phone number', 'Telephone',
    'Telephone number', 'Telefon privat', 'Tel. privat', 'Privattelefon', 'Festnetz', 'Festnetznummer', 'Kontakttelefon', 'Mobil',
    'Mobilnummer', 'Mobiltelefon', 'Handy', 'Handynummer', 'Mobile', 'Mobile phone', 'Telefon geschäftlich', 'Tel. mobil',
    'Tel. geschäftlich', 'Geschäftstelefon', 'Tel. dienstlich', 'Natel', 'Natelnummer',
  ],
  name: [
    'Name', 'Name 1', 'Kunde', 'Kundenname', 'Kunde Name', 'Name, Vorname', 'Vorname Name', 'Vollständiger Name', 'Schuldner',
    'Schuldnername', 'Debitorname', 'Debitorenname', 'Kontoinhaber', 'Customer', 'Customer name', 'Full name',
    'Empfänger', 'Firma', 'Firmenname', 'Company', 'Nom',
  ],
  firstName: ['Vorname', 'First name', 'Given name', 'Prénom'],
  lastName: ['Nachname', 'Familienname', 'Zuname', 'Last name', 'Surname', 'Family name', 'Nom de famille'],
  customerNo: [
    'Kundennummer', 'Kunden-Nr.', 'Kd-Nr.', 'KdNr', 'Kd.-Nummer', 'Kunden-ID', 'Kundenkennung', 'Customer No',
    'Customer number', 'Customer ID', 'Cust. No.', 'Debitor', 'Debitorennummer', 'Debitor-Nr.', 'Debitorennr.',
    'Debitorenkonto', 'Personenkonto', 'Geschäftspartner', 'GP-Nr.', 'Geschäftspartnernummer', 'Mitgliedsnummer',
    'Aktenzeichen', 'Kunde Nr.', 'Kundennr', 'Mitglieds-Nr.', 'Schuldner-Nr.', 'Schuldnernummer', 'Debitor-Nummer', 'Deb.-Nr.',
    'N° client', 'No client', 'Numéro de client', 'Numéro client',
    // SAP IS-U (utilities) dun per contract account; below every customer number, which wins where both are.
    'Vertragskonto',
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
  amount: [...OPEN_AMOUNT, ...GROSS_AMOUNT],
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

const OPEN_AMOUNT_KEYS = OPEN_AMOUNT.map(normaliseHeader);

/**
 * Patterns of the normalised header that catch numbered or qualified variants, ranked after the
 * field's exact names: `Telefon 1`, `Tel. 2`, `Tel.-Nr. 2`, `Telefon (mobil)`, `Mobilfunknummer`,
 * `Natel privat`, `Tel. geschäftl.` — not a column about calls (`Telefonat am`, `Telefonie-Tarif`)
 * or mobility (`Mobilität`), whose dates and words would be dialled; an open amount with a
 * qualifier (`Offener Betrag brutto`, `Restschuld inkl. Mahngebühren`), ranked before every gross
 * amount.
 */
const PREFIX_RULES: { pattern: RegExp; field: CaseField; rank: number }[] = [
  {
    pattern: /^(telefon(?!at(am|vom|datum|s?zeit|e|notiz|sergebnis)|ie)|rufnummer|phone|mobil(?!itaet)|handy|natel|tel(nr)?\d|tel(mobil|privat|geschaeftl|dienstl|festnetz)|festnetz)/,
    field: 'phone',
    rank: 1000,
  },
  {
    pattern: new RegExp(`^(${OPEN_AMOUNT_KEYS.join('|')})(brutto|netto|gesamt|total|aktuell|(inkl|incl|zzgl|mit)[a-z0-9]*)$`),
    field: 'amount',
    rank: OPEN_AMOUNT.length - 0.5,
  },
];

const GROSS_AMOUNT_KEYS = new Set(GROSS_AMOUNT.map(normaliseHeader));

/**
 * An unrecognised header that may well be the amount still open (`Offen per 31.10.`, `Rest zu
 * zahlen`, `Saldo aktuell`) — not `Interest`, nor a count, duration or number (`Tage offen`,
 * `Restlaufzeit`, `Saldo-Nr.`), whose numbers would pass for amounts.
 */
const OPEN_WORD = /offen|ausstehend|saldo|(?<!inte)rest(?!aurant)|outstanding|remaining|balance|solde/;
const NOT_MONEY_WORD = /tage|monat|jahr|laufzeit|dauer|anzahl|stueck|prozent|quote|nummer|nr$|id$/;

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
  return rule ? { field: rule.field, rank: rule.rank } : null;
}

export interface HeaderRow extends HeaderMapping {
  /** Index of the header row within `firstRows`. */
  rowIndex: number;
  /** Its row number as the spreadsheet shows it. */
  rowNumber: number;
  /** The header texts as written in the file, by column index. */
  headers: string[];
  /**
   * The workbook counts its dates from 1904 (`date1904`, old Mac Excel), as the reader marks its
   * rows: exceljs applies this to date cells, not to formula results, which we convert ourselves.
   */
  date1904?: boolean;
}

/**
 * Picks, among the first `HEADER_SEARCH_ROWS` non-empty rows, the one whose cells match the
 * most different fields (the first of equals). Throws `no_header` when no row matches any known
 * header, `missing_columns` when the best row lacks a required field — or when its amount is a
 * gross one (`Forderung`) beside an unrecognised column that looks like the amount still open
 * (`assertAmountClear`).
 */
export function findHeaderRow(firstRows: RawRow[]): HeaderRow {
  let best: HeaderRow | null = null;
  let bestScore = 0;
  // The reader's mark of a 1904 workbook (xlsx only), the same on every row.
  const epoch = firstRows.some((r) => 'date1904' in r && r.date1904 === true) ? { date1904: true } : {};
  firstRows.slice(0, HEADER_SEARCH_ROWS).forEach((row, rowIndex) => {
    const headers = row.cells.map((c) => cellText(c));
    const mapping = matchHeaders(headers);
    const score = Object.keys(mapping.columns).length;
    if (score > bestScore) {
      bestScore = score;
      best = { rowIndex, rowNumber: row.rowNumber, headers, ...mapping, ...epoch };
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
  assertAmountClear(found, firstRows);
  return found;
}

/**
 * Refuses (`unclear_amount`, naming both) a header whose amount column is a gross claim
 * (`Forderung`, `Betrag`) while a column we do not know by name looks like the amount still open
 * (`Offen per 31.10.` with amounts below it): dunning the gross claim would ask a customer who
 * owes 250 for 1,050. Renaming either column settles it. Only columns whose cells below the
 * header (those at hand) hold an amount count, so `Offen seit` (dates) passes.
 */
function assertAmountClear(row: HeaderRow, firstRows: RawRow[]): void {
  const amount = row.columns.amount;
  const taken = amount === undefined ? '' : (row.headers[amount] ?? '').trim();
  if (!GROSS_AMOUNT_KEYS.has(normaliseHeader(taken))) return;
  const below = firstRows.slice(row.rowIndex + 1, HEADER_SEARCH_ROWS);
  const open = row.extras
    .filter(({ index }) => {
      const key = normaliseHeader(row.headers[index] ?? '');
      return OPEN_WORD.test(key) && !NOT_MONEY_WORD.test(key) && below.some((r) => looksLikeMoney(r.cells[index]));
    })
    .map(({ index }) => (row.headers[index] ?? '').trim());
  if (open.length === 0) return;
  const named = open.map((h) => `"${h}"`).join(', ');
  throw new ImportFileError(
    'unclear_amount',
    `Unclear which column holds the amount still owed: "${taken}" (header row ${row.rowNumber}) is the amount claimed in all, ` +
      `and ${named} looks like the amount still open but is no known name. Rename the column with the open amount to "Offener Betrag" ` +
      `(or, if "${taken}" is what is owed, that one to "Mahnsumme") and upload the file again.`,
    { headerRow: row.rowNumber, gross: taken, open },
  );
}

/** A cell that reads as an amount (also 0 or negative: a paid or credited row of an open-amount column). */
function looksLikeMoney(cell: unknown): boolean {
  const r = parseAmountCents(cellValue(cell));
  return r.ok || /^amount is (zero|negative)/.test(r.reason);
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
