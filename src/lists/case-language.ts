import { swissLanguageForPostcode, type SchedulingSettings } from '../scheduling/index.js';
import type { ParsedCase } from './import/index.js';

/**
 * The language(s) a case is routed by: the file's language column (the customer's own, so it
 * wins and is the only one), else the Swiss postcode's language region — both languages of a
 * bilingual one (Biel/Bienne `de`+`fr`, Fribourg `fr`+`de`), the majority first — else the
 * language of the customer's country where it has one (a Swiss client in Romandie calls its
 * German and Austrian customers in German) — else the client's default.
 */
export function caseLanguageOf(c: Pick<ParsedCase, 'language' | 'country' | 'postalCode'>, settings: Pick<SchedulingSettings, 'defaultLanguage'>): { language: string; secondLanguage: string | null } {
  if (c.language) return { language: c.language, secondLanguage: null };
  if (c.country === 'CH') {
    const [first, second] = swissLanguageForPostcode(c.postalCode) ?? [];
    if (first) return { language: first, secondLanguage: second && second !== first ? second : null };
  }
  const national = c.country ? NATIONAL_LANGUAGE[c.country] : undefined;
  return { language: national ?? settings.defaultLanguage, secondLanguage: null };
}

/** Countries with one language a customer there speaks (not CH: by postcode, above). */
const NATIONAL_LANGUAGE: Record<string, string> = { DE: 'de', AT: 'de', LI: 'de', FR: 'fr', IT: 'it', SM: 'it' };
