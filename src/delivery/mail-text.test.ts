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
});
