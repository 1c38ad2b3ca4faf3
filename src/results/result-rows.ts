import { DateTime } from 'luxon';
import type { ImportReport, Rejection, SourceCell, SourceColumn } from '../lists/import/index.js';
import { germanReason } from '../lists/import/reasons-de.js';
import type { StoredPhone } from '../db/schema.js';
import type { OutcomeDefinition } from '../scheduling/settings.js';
import { germanLanguageName } from '../dispatch/routing.js';
import { wallClock } from './wall-clock.js';

/**
 * The rows of a result list (DESIGN.md section 8) as pure functions of the loaded data: the
 * client's own columns as delivered, then what the call center found out. The writers
 * (`write-xlsx.ts`, `write-csv.ts`) only turn these cells into a file.
 */

export interface ResultAttempt {
  attemptNo: number;
  recordedAt: Date;
  /** The number dialled (E.164), null for attempts recorded before it was kept. */
  phoneE164: string | null;
  outcome: string;
  rightParty: boolean | null;
  note: string | null;
  promiseAmountCents: number | null;
  promiseDate: string | null;
  callback: { window?: string; at?: string; date?: string } | null;
}

export interface ResultCase {
  rowNumber: number;
  /** The language the case was routed by, and the other one of a bilingual postcode. */
  language: string;
  secondLanguage: string | null;
  customerNo: string;
  name: string;
  phoneRaw: string;
  phones: StoredPhone[];
  address: string;
  amountCents: number;
  /** The claim's currency, the promise's too. */
  currency: string;
  extra: Record<string, string>;
  source: SourceCell[] | null;
  status: 'open' | 'closed';
  finalOutcome: string | null;
  promiseAmountCents: number | null;
  promiseDate: string | null;
  attempts: ResultAttempt[];
}

export interface RefusedRow {
  rowNumber: number;
  problems: Rejection[];
  source: SourceCell[] | null;
}

export interface ResultContext {
  report: Pick<ImportReport, 'sourceColumns' | 'extraColumns' | 'columns'> | null;
  outcomes: readonly OutcomeDefinition[];
  /** The client's zone: attempt times are written as its wall clock. */
  timezone: string;
}

/** Final states the system sets itself, in German (true whether or not the case was called before). */
export const SYSTEM_OUTCOME_LABELS: Record<string, string> = {
  max_attempts: 'Höchstzahl Versuche erreicht',
  cancelled: 'Liste abgebrochen',
  do_not_call: 'Sperrliste – nicht (mehr) angerufen',
  no_callable_time: 'Keine erlaubte Anrufzeit mehr',
  open: 'Offen',
};

/** A case closed by the do-not-call list was never called, or called before its number was blocked. */
const DO_NOT_CALL = { never: 'Sperrliste – nicht angerufen', before: 'Sperrliste – nicht mehr angerufen' };

/** `attempts`: the case's attempt count where the label is for one case (a count of cases has none). */
export function outcomeLabel(code: string, outcomes: readonly OutcomeDefinition[], attempts?: number): string {
  const own = outcomes.find((o) => o.code === code)?.label;
  if (own) return own;
  if (code === 'do_not_call' && attempts !== undefined) return attempts > 0 ? DO_NOT_CALL.before : DO_NOT_CALL.never;
  return SYSTEM_OUTCOME_LABELS[code] ?? code;
}

const MONEY = '#,##0.00';
const DATE = 'dd.mm.yyyy';
const DATE_TIME = 'dd.mm.yyyy hh:mm';

/** Lists imported before the original cells were kept: the recognised fields, then the extras. */
const LEGACY_COLUMNS = ['Kundennummer', 'Name', 'Telefon', 'Adresse', 'Mahnsumme'];

/** The client's columns in file order, as the file had them. */
export function clientColumns(ctx: ResultContext): SourceColumn[] {
  if (ctx.report?.sourceColumns) return ctx.report.sourceColumns;
  return [...LEGACY_COLUMNS.map((header) => ({ header, numFmt: header === 'Mahnsumme' ? MONEY : undefined })), ...(ctx.report?.extraColumns ?? []).map((header) => ({ header }))];
}

function clientCells(ctx: ResultContext, c: ResultCase, width: number): SourceCell[] {
  if (c.source && ctx.report?.sourceColumns) return Array.from({ length: width }, (_, i) => c.source![i] ?? null);
  const extras = (ctx.report?.extraColumns ?? []).map((h) => c.extra[h] ?? null);
  return [c.customerNo, c.name, c.phoneRaw, c.address || null, c.amountCents / 100, ...extras];
}

export const RESULT_COLUMNS: SourceColumn[] = [
  { header: 'Ergebnis' },
  { header: 'Ergebnis-Code' },
  { header: 'Zusage Betrag', numFmt: MONEY },
  { header: 'Zusage Datum', numFmt: DATE },
  { header: 'Versuche', numFmt: '0' },
  { header: 'Letzter Versuch', numFmt: DATE_TIME },
  { header: 'Richtige Person' },
  { header: 'Notizen' },
  // DESIGN.md's columns end with Notizen; ours follow, so a client reading its positions finds them.
  { header: 'Erreicht unter' },
  { header: 'Falsche Nummern' },
  { header: 'Sprache' },
  { header: 'Währung' },
];

export function mainColumns(ctx: ResultContext): SourceColumn[] {
  return [...clientColumns(ctx), ...RESULT_COLUMNS];
}

/** One row per case: the client's cells, then the outcome (an open case of a running list is "Offen"). */
export function mainRow(ctx: ResultContext, c: ResultCase): SourceCell[] {
  const code = c.status === 'open' ? 'open' : (c.finalOutcome ?? 'open');
  const last = c.attempts.at(-1);
  const notes = c.attempts.filter((a) => a.note).map((a) => `${wallClock(a.recordedAt, ctx.timezone, 'display')}: ${a.note}`);
  return [
    ...clientCells(ctx, c, clientColumns(ctx).length),
    outcomeLabel(code, ctx.outcomes, c.attempts.length),
    code,
    c.promiseAmountCents === null ? null : c.promiseAmountCents / 100,
    c.promiseDate ? { d: c.promiseDate } : null,
    c.attempts.length,
    last ? { d: wallClock(last.recordedAt, ctx.timezone, 'iso') } : null,
    rightParty(ctx, c.attempts),
    notes.length ? fitCell(notes.join('\n')) : null,
    reachedAt(ctx, c),
    c.phones.filter((p) => p.status === 'wrong').map((p) => p.raw).join(', ') || null,
    languageText(c),
    c.currency,
  ];
}

/** The number of the last attempt that reached somebody (an outcome that closes or asks for a callback). */
function reachedAt(ctx: ResultContext, c: ResultCase): string | null {
  const effect = new Map(ctx.outcomes.map((o) => [o.code, o.effect]));
  const reached = c.attempts.filter((a) => a.phoneE164 && (effect.get(a.outcome) === 'close' || effect.get(a.outcome) === 'callback')).at(-1);
  return reached ? numberAsDelivered(c, reached.phoneE164!) : null;
}

function numberAsDelivered(c: ResultCase, e164: string): string {
  return c.phones.find((p) => p.e164 === e164)?.raw ?? e164;
}

export const ATTEMPT_COLUMNS: SourceColumn[] = [
  { header: 'Zeile', numFmt: '0' },
  { header: 'Kundennummer' },
  { header: 'Name' },
  { header: 'Versuch', numFmt: '0' },
  { header: 'Zeitpunkt', numFmt: DATE_TIME },
  { header: 'Nummer' },
  { header: 'Ergebnis' },
  { header: 'Ergebnis-Code' },
  { header: 'Richtige Person' },
  { header: 'Zusage Betrag', numFmt: MONEY },
  { header: 'Zusage Datum', numFmt: DATE },
  { header: 'Rückruf' },
  { header: 'Notiz' },
];

/** One row per attempt, in file order then attempt order. Agents are not named: the client gets results, not staff data. */
export function attemptRows(ctx: ResultContext, c: ResultCase): SourceCell[][] {
  return c.attempts.map((a) => [
    c.rowNumber,
    c.customerNo,
    c.name,
    a.attemptNo,
    { d: wallClock(a.recordedAt, ctx.timezone, 'iso') },
    a.phoneE164 ? numberAsDelivered(c, a.phoneE164) : null,
    outcomeLabel(a.outcome, ctx.outcomes),
    a.outcome,
    asked(ctx, a) ? (a.rightParty ? 'ja' : 'nein') : null,
    a.promiseAmountCents === null ? null : a.promiseAmountCents / 100,
    a.promiseDate ? { d: a.promiseDate } : null,
    callbackText(a.callback, ctx.timezone),
    a.note,
  ]);
}

export function refusedColumns(ctx: ResultContext): SourceColumn[] {
  return [{ header: 'Zeile', numFmt: '0' }, { header: 'Spalte' }, { header: 'Wert' }, { header: 'Grund' }, ...clientColumns(ctx)];
}

/** A refused row as delivered, after what was wrong with it (several problems one per line). */
export function refusedRow(ctx: ResultContext, r: RefusedRow): SourceCell[] {
  const width = clientColumns(ctx).length;
  const lines = (f: (p: Rejection) => string) => r.problems.map(f).join('\n') || null;
  return [
    r.rowNumber,
    lines((p) => fileColumn(p.column, ctx)),
    lines((p) => p.value),
    lines((p) => germanReason(p.reason)),
    ...(r.source && ctx.report?.sourceColumns ? Array.from({ length: width }, (_, i) => r.source![i] ?? null) : Array.from({ length: width }, () => null)),
  ];
}

/** Refusals found while storing name the field (`customerNo`); the client reads its own header. */
function fileColumn(column: string, ctx: ResultContext): string {
  const columns = ctx.report?.columns as Record<string, string | undefined> | undefined;
  return columns?.[column] ?? column;
}

/** „Französisch“, or „Deutsch / Französisch“ for a bilingual postcode. */
function languageText(c: ResultCase): string {
  return [c.language, c.secondLanguage].filter((l): l is string => !!l).map(germanLanguageName).join(' / ');
}

/** Excel holds at most 32,767 characters in a cell (it repairs the file otherwise); 20 notes of 2,000 can pass that. */
const CELL_MAX = 32_767;
const CUT = ' … (vollständig im Blatt „Versuche“)';
export function fitCell(text: string): string {
  return text.length <= CELL_MAX ? text : text.slice(0, CELL_MAX - CUT.length) + CUT;
}

function rightParty(ctx: ResultContext, attempts: ResultAttempt[]): string | null {
  if (attempts.some((a) => a.rightParty === true)) return 'ja';
  if (attempts.some((a) => asked(ctx, a))) return 'nein'; // a „ja“ returned above
  return null;
}

/**
 * Whether the attempt says who answered: not one that reached nobody (an outcome of effect
 * `retry`, „Kunde nicht erreicht“), whose „nein“ would read as somebody else answering.
 */
function asked(ctx: ResultContext, a: ResultAttempt): a is ResultAttempt & { rightParty: boolean } {
  if (a.rightParty === null) return false;
  return a.rightParty || ctx.outcomes.find((o) => o.code === a.outcome)?.effect !== 'retry';
}

/** German names of the default windows, as the UI shows them (web/js/format.js); a client's own names stay as they are. */
const WINDOW_NAMES = new Map([
  ['morning', 'Vormittag'],
  ['midday', 'Mittag'],
  ['afternoon', 'Nachmittag'],
  ['evening', 'Abend'],
  ['ganztags', 'Ganztags'],
]);

/** `Abend, 30.03.2026`, `Abend` or the exact time `30.03.2026 17:30`. */
function callbackText(cb: ResultAttempt['callback'], zone: string): string | null {
  if (!cb) return null;
  if (cb.at) return wallClock(new Date(cb.at), zone, 'display');
  if (!cb.window) return null;
  const window = WINDOW_NAMES.get(cb.window) ?? cb.window;
  return cb.date ? `${window}, ${DateTime.fromISO(cb.date).toFormat('dd.MM.yyyy')}` : window;
}
