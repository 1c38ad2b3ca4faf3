import { callQueueName } from '../queues/registry.js';
import type { LanguageRouting, SchedulingSettings } from '../scheduling/index.js';
import { routingLanguage, type CaseRow } from './case-state.js';

/**
 * Language routing (DESIGN.md section 4): which call queues hold a case's job, and who may take
 * it from there. Every queue of a case holds a copy of the same job id; the first pull wins and
 * the other copies are stale by the time they are pulled (as with personal callbacks).
 *
 * - `strict`: the queue of each of the case's languages (two for a bilingual postcode).
 * - `prefer`: the same, plus, for a case not in the client's own language, a copy in the
 *   client's "any language" queue due `languageFallbackMinutes` after the case became callable.
 * - `off`: the "any language" queue only.
 */

export interface LanguagePolicy {
  mode: LanguageRouting;
  fallbackMinutes: number;
}

/** The client's policy; settings stored before the fields existed mean the defaults. */
export function languagePolicy(settings: Partial<Pick<SchedulingSettings, 'languageRouting' | 'languageFallbackMinutes'>>): LanguagePolicy {
  return { mode: settings.languageRouting ?? 'prefer', fallbackMinutes: settings.languageFallbackMinutes ?? 60 };
}

/** The client's queue for every agent regardless of language: `calls-<clientId>-any`. */
export const anyLanguageQueue = (clientId: string) => callQueueName(clientId, 'any');
export const isAnyLanguageQueue = (queue: string) => queue.startsWith('calls-') && queue.endsWith('-any');

type RoutedCase = Pick<CaseRow, 'clientId' | 'language' | 'secondLanguage'>;

/** The routing languages of a case, its main one first (Romansh counts as German). */
export function caseLanguages(c: Pick<CaseRow, 'language' | 'secondLanguage'>): string[] {
  return [...new Set([c.language, c.secondLanguage].filter((l): l is string => !!l).map(routingLanguage))];
}

/** Whether an agent with `languages` speaks one of the case's languages. */
export function speaks(languages: readonly string[], c: Pick<CaseRow, 'language' | 'secondLanguage'>): boolean {
  const spoken = new Set(languages.map(routingLanguage));
  return caseLanguages(c).some((l) => spoken.has(l));
}

/** One queue holding a copy of the case's job, due `delayMs` after the case becomes callable. */
export interface QueueCopy {
  queue: string;
  delayMs: number;
}

/**
 * The queues of a case's call job under the client's settings, the primary one first (the one
 * reconcile restores from and that is always there).
 */
export function caseQueues(c: RoutedCase, settings: Pick<SchedulingSettings, 'defaultLanguage'> & Parameters<typeof languagePolicy>[0]): QueueCopy[] {
  const policy = languagePolicy(settings);
  const any = { queue: anyLanguageQueue(c.clientId), delayMs: 0 };
  if (policy.mode === 'off') return [any];
  const languages = caseLanguages(c);
  const copies = languages.map((language) => ({ queue: callQueueName(c.clientId, language), delayMs: 0 }));
  if (policy.mode === 'prefer' && fallsBackToAll(c, settings)) {
    copies.push({ ...any, delayMs: policy.fallbackMinutes * 60_000 });
  }
  return copies;
}

/**
 * Whether a case goes to agents who speak none of its languages after the `prefer` fallback:
 * not in the client's own language — its team speaks it, and a copy of every case would double
 * the jobs of every list.
 */
export function fallsBackToAll(c: Pick<CaseRow, 'language' | 'secondLanguage'>, settings: Pick<SchedulingSettings, 'defaultLanguage'>): boolean {
  return !caseLanguages(c).includes(routingLanguage(settings.defaultLanguage));
}

/**
 * What the pull does with a job taken from the "any language" queue by an agent who speaks
 * none of the case's languages: hand it out, hold it until the fallback opens (`prefer`, when
 * the case became callable later than the copy's due time, e.g. after the night), or move it
 * back to its language queues (`strict`: the policy changed since it was queued).
 */
export function anyQueueVerdict(policy: LanguagePolicy, callableSince: Date, now: Date): { kind: 'hand_out' } | { kind: 'hold'; until: Date } | { kind: 'reroute' } {
  if (policy.mode === 'off') return { kind: 'hand_out' };
  if (policy.mode === 'strict') return { kind: 'reroute' };
  const opensAt = callableSince.getTime() + policy.fallbackMinutes * 60_000;
  return opensAt <= now.getTime() ? { kind: 'hand_out' } : { kind: 'hold', until: new Date(opensAt) };
}

/** "Kunde spricht vermutlich Französisch" for an agent who speaks none of the case's languages. */
export function languageNote(agentLanguages: readonly string[], c: Pick<CaseRow, 'language' | 'secondLanguage'>): string | null {
  if (speaks(agentLanguages, c)) return null;
  const names = [c.language, c.secondLanguage].filter((l): l is string => !!l).map(germanLanguageName);
  return `Kunde spricht vermutlich ${names.join(' oder ')}`;
}

const GERMAN_NAMES = new Intl.DisplayNames(['de'], { type: 'language' });
/** Names by code: `Intl` takes microseconds a name, and a result list asks once per case. */
const germanNames = new Map<string, string>();

/** `fr` → „Französisch“. */
export function germanLanguageName(code: string): string {
  let name = germanNames.get(code);
  if (name === undefined) {
    try {
      name = GERMAN_NAMES.of(code) ?? code;
    } catch {
      name = code;
    }
    // Codes are checked language codes (a few dozen at most); a full map is emptied all the same.
    if (germanNames.size >= 1000) germanNames.clear();
    germanNames.set(code, name);
  }
  return name;
}
