import { DateTime } from 'luxon';
import { outcomeLabel } from '../results/result-rows.js';
import type { OutcomeDefinition } from '../scheduling/settings.js';

export interface MailSummary {
  clientName: string;
  listName: string;
  completedAt: Date | null;
  /** A cancelled list ended early: its mail says so ("abgebrochen"), not "abgeschlossen". */
  cancelled?: boolean;
  timezone: string;
  total: number;
  /** Closed cases by final outcome. */
  byOutcome: Record<string, number>;
  refusedRows: number;
  outcomes: readonly OutcomeDefinition[];
}

const n = (v: number) => v.toLocaleString('de-DE');

/** Subject and German body of a result-list mail: counts only, never customer data. */
export function resultMailText(s: MailSummary): { subject: string; text: string } {
  const done = s.completedAt ? ` (${s.cancelled ? 'abgebrochen' : 'abgeschlossen'} am ${DateTime.fromJSDate(s.completedAt, { zone: s.timezone }).toFormat('dd.MM.yyyy')})` : '';
  const lines = Object.entries(s.byOutcome)
    .sort(([, a], [, b]) => b - a)
    .map(([code, count]) => `  ${outcomeLabel(code, s.outcomes)}: ${n(count)}`);
  const text = [
    'Guten Tag,',
    '',
    `anbei erhalten Sie die Ergebnisliste zur Mahnliste „${s.listName}“${done}.`,
    '',
    s.total === 1 ? '1 Fall, Ergebnis:' : `${n(s.total)} Fälle, Ergebnisse:`,
    ...lines,
    '',
    refusedText(s.refusedRows),
    'Jeder einzelne Anrufversuch steht im Blatt „Versuche“.',
    '',
    'Mit freundlichen Grüßen',
    'Ihr Mahnanrufe-Team',
  ].filter((l) => l !== null);
  return { subject: `Ergebnisliste ${s.listName} – ${s.clientName}`, text: text.join('\n') };
}

function refusedText(rows: number): string | null {
  if (!rows) return null;
  if (rows === 1) return '1 Zeile Ihrer Liste konnte nicht übernommen werden; sie steht mit dem Grund im Blatt „Nicht importiert“.';
  return `${n(rows)} Zeilen Ihrer Liste konnten nicht übernommen werden; sie stehen mit dem Grund im Blatt „Nicht importiert“.`;
}
