import { swissLanguageForPostcode, type SchedulingSettings } from '../scheduling/index.js';
import type { ParsedCase } from './import/index.js';

/**
 * The language(s) a case is routed by: the file's language column (the customer's own, so it
 * wins and is the only one), else the Swiss postcode's language region — both languages of a
 * bilingual one (Biel/Bienne `de`+`fr`, Fribourg `fr`+`de`), the majority first — else the
 * client's default.
 */
export function caseLanguageOf(c: Pick<ParsedCase, 'language' | 'country' | 'postalCode'>, settings: Pick<SchedulingSettings, 'defaultLanguage'>): { language: string; secondLanguage: string | null } {
  if (c.language) return { language: c.language, secondLanguage: null };
  if (c.country === 'CH') {
    const [first, second] = swissLanguageForPostcode(c.postalCode) ?? [];
    if (first) return { language: first, secondLanguage: second && second !== first ? second : null };
  }
  return { language: settings.defaultLanguage, secondLanguage: null };
}
