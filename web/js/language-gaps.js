// Cases waiting for a language no active agent speaks: the lead must see them (DESIGN.md section 4).
import { h, notice } from './dom.js';

/** @typedef {import('./types.js').LanguageGap} LanguageGap */

const names = new Intl.DisplayNames(['de'], { type: 'language' });

/**
 * „Französisch“ for `fr`.
 * @param {string} code
 */
export function languageName(code) {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * One sentence per language: „12 Fälle warten auf Französisch – kein aktiver Mitarbeiter spricht
 * Französisch“, with what happens to them under the client's routing.
 * @param {LanguageGap} gap
 */
export function languageGapText(gap) {
  const language = languageName(gap.language);
  const one = gap.cases === 1;
  const cases = one ? '1 Fall wartet' : `${gap.cases.toLocaleString('de-DE')} Fälle warten`;
  const unspoken = `${cases} auf ${language} – kein aktiver Mitarbeiter spricht ${language}`;
  if (gap.fallback) return `${unspoken}; nach ${gap.fallbackMinutes} Minuten Wartezeit erhalten alle Mitarbeiter ${one ? 'diesen Fall' : 'diese Fälle'}.`;
  // The client's own language under `prefer` has no fallback either: its team is meant to speak it.
  const own = gap.routing === 'prefer' ? ' Es ist die Sprache des Mandanten; bitte die Sprachen der Mitarbeiter in der Benutzerverwaltung prüfen lassen.' : '';
  return `${unspoken}; niemand sonst bekommt ${one ? 'ihn' : 'sie'}.${own}`;
}

/**
 * The warnings for a list's (or an agent's clients') language gaps, or null when there are none.
 * @param {LanguageGap[] | undefined} gaps
 */
export function languageGapNotices(gaps) {
  if (!gaps?.length) return null;
  return h(
    'div',
    { class: 'language-gaps', 'data-testid': 'language-gaps' },
    gaps.map((g) => notice(g.fallback ? 'warning' : 'error', h('strong', {}, languageGapText(g)))),
  );
}
