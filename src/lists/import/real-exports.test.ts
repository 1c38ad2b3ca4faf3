import { describe, expect, it } from 'vitest';
import { matchHeaders } from './headers.js';
import { currencyCode, languageCode } from './normalise.js';

/** Header rows and cells as real exports (SAP, Abacus, Swiss French and Italian ones) write them. */
describe('columns of real exports', () => {
  it.each([
    [['Kundennummer', 'Name', 'Telefon', 'Forderung', 'Bereits gezahlt', 'Restbetrag'], 5],
    [['Kundennummer', 'Name', 'Telefon', 'Gesamtforderung', 'Zahlungen', 'Offener Saldo'], 5],
    [['Kundennummer', 'Name', 'Telefon', 'Gesamtbetrag', 'OP-Betrag'], 4],
    [['Kundennummer', 'Name', 'Telefon', 'Forderungssumme'], 3],
  ])('dun what is still owed, not the original claim: %j → column %i', (headers, amount) => {
    expect(matchHeaders(headers).columns.amount).toBe(amount);
  });

  it('reads the numbers, names, postcodes and towns real exports head differently', () => {
    const m = matchHeaders(['Schuldner-Nr.', 'Name 1', 'Festnetznummer', 'NPA/Localité', 'Betrag offen', 'Sprachcode']);
    expect(m.columns).toMatchObject({ customerNo: 0, name: 1, phone: 2, postalCity: 3, amount: 4, language: 5 });
    expect(matchHeaders(['Mitglieds-Nr.', 'Name', 'Festnetz 2', 'CAP/Località', 'Betrag']).columns).toMatchObject({ customerNo: 0, phone: 2, postalCity: 3 });
  });
});

describe('cells of real exports', () => {
  it.each([
    ['D', 'de'],
    ['F', 'fr'],
    ['I', 'it'],
    ['E', 'en'],
    ['Deutsch (Schweiz)', 'de'],
    ['Français (Suisse)', 'fr'],
    ['de-CH', 'de'],
    ['X', null],
  ])('language %j → %j', (cell, code) => {
    expect(languageCode(cell)).toBe(code);
  });

  it.each([
    ['Schweizer Franken', 'CHF'],
    ['Franken', 'CHF'],
    ['Euro (€)', 'EUR'],
    ['SFr.', 'CHF'],
    ['Dollar', null],
  ])('currency %j → %j', (cell, code) => {
    expect(currencyCode(cell)).toBe(code);
  });
});
