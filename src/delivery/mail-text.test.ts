import { describe, expect, it } from 'vitest';
import { defaultOutcomes } from '../scheduling/settings.js';
import { resultMailText } from './mail-text.js';

describe('the result-list mail', () => {
  const summary = { clientName: 'Stadtwerke Muster', listName: 'Mahnlauf Dezember', completedAt: new Date('2026-11-25T22:30:00Z'), timezone: 'Europe/Berlin', total: 3, byOutcome: { paid: 2, refused: 1 }, refusedRows: 0, outcomes: defaultOutcomes };

  it('names the day the list was completed, in the client\'s time zone', () => {
    expect(resultMailText(summary).text).toContain('zur Mahnliste „Mahnlauf Dezember“ (abgeschlossen am 25.11.2026).');
  });

  it('says a cancelled list was ended early, not completed', () => {
    const { text } = resultMailText({ ...summary, cancelled: true, completedAt: new Date('2026-11-25T23:30:00Z') });
    expect(text).toContain('(abgebrochen am 26.11.2026)');
    expect(text).not.toContain('abgeschlossen');
  });

  it('counts cases and refused rows in the singular when there is one', () => {
    const one = resultMailText({ ...summary, total: 1, byOutcome: { paid: 1 }, refusedRows: 1 }).text;
    expect(one).toContain('\n1 Fall, Ergebnis:\n  Erledigt – bezahlt: 1\n');
    expect(one).toContain('\n1 Zeile Ihrer Liste konnte nicht übernommen werden; sie steht mit dem Grund im Blatt „Nicht importiert“.\n');
    const many = resultMailText({ ...summary, total: 1200, refusedRows: 2 }).text;
    expect(many).toContain('\n1.200 Fälle, Ergebnisse:\n');
    expect(many).toContain('\n2 Zeilen Ihrer Liste konnten nicht übernommen werden; sie stehen mit dem Grund im Blatt „Nicht importiert“.\n');
    expect(resultMailText(summary).text).not.toContain('Nicht importiert');
  });
});
