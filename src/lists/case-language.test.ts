import { describe, expect, it } from 'vitest';
import { caseLanguageOf } from './case-language.js';

const romandie = { defaultLanguage: 'fr' };

describe('caseLanguageOf', () => {
  it('calls a Swiss client\'s German, Austrian and Liechtenstein customers in German, not in the client\'s own language', () => {
    for (const country of ['DE', 'AT', 'LI']) expect(caseLanguageOf({ language: null, country, postalCode: '1010' }, romandie)).toEqual({ language: 'de', secondLanguage: null });
  });

  it('keeps the file\'s language, the Swiss postcode\'s, and else the client\'s default', () => {
    expect(caseLanguageOf({ language: 'it', country: 'DE', postalCode: '80331' }, romandie).language).toBe('it');
    expect(caseLanguageOf({ language: null, country: 'CH', postalCode: '8001' }, romandie).language).toBe('de');
    expect(caseLanguageOf({ language: null, country: 'NL', postalCode: '1011' }, romandie).language).toBe('fr');
  });
});
