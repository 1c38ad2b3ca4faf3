import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { languageGapText } from '../web/js/language-gaps.js';

/** What the lead and the agent read about cases no active agent can take, by what routing does with them. */
describe('languageGapText', () => {
  it.each([
    [{ language: 'fr', cases: 12, routing: 'prefer', fallbackMinutes: 60, fallback: true }, '12 Fälle warten auf Französisch – kein aktiver Mitarbeiter spricht Französisch; nach 60 Minuten Wartezeit erhalten alle Mitarbeiter diese Fälle.'],
    [{ language: 'fr', cases: 1, routing: 'prefer', fallbackMinutes: 15, fallback: true }, '1 Fall wartet auf Französisch – kein aktiver Mitarbeiter spricht Französisch; nach 15 Minuten Wartezeit erhalten alle Mitarbeiter diesen Fall.'],
    [{ language: 'it', cases: 1, routing: 'strict', fallbackMinutes: 60, fallback: false }, '1 Fall wartet auf Italienisch – kein aktiver Mitarbeiter spricht Italienisch; niemand sonst bekommt ihn.'],
    [
      { language: 'fr', cases: 3, routing: 'prefer', fallbackMinutes: 60, fallback: false },
      '3 Fälle warten auf Französisch – kein aktiver Mitarbeiter spricht Französisch; niemand sonst bekommt sie. Es ist die Sprache des Mandanten; bitte die Sprachen der Mitarbeiter in der Benutzerverwaltung prüfen lassen.',
    ],
  ])('%o', (gap, text) => {
    expect(languageGapText(gap)).toBe(text);
  });
});
