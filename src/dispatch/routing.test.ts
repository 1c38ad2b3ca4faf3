import { describe, expect, it } from 'vitest';
import { anyQueueVerdict, caseQueues, languageNote, languagePolicy, speaks } from './routing.js';

const client = 'c0ffee00-0000-4000-8000-000000000000';
const q = (suffix: string) => `calls-${client}-${suffix}`;
const settings = (over: Record<string, unknown> = {}) => ({ defaultLanguage: 'de', ...over });
const fr = { clientId: client, language: 'fr', secondLanguage: null };

describe('caseQueues', () => {
  it('prefer: the language queue, and the any-language copy after the fallback for a foreign case', () => {
    expect(caseQueues(fr, settings())).toEqual([{ queue: q('fr'), delayMs: 0 }, { queue: q('any'), delayMs: 3_600_000 }]);
    expect(caseQueues(fr, settings({ languageFallbackMinutes: 15 }))[1]).toEqual({ queue: q('any'), delayMs: 900_000 });
  });

  it('prefer: no copy for the client\'s own language (Romansh counts as German), nor for a bilingual case that has it', () => {
    expect(caseQueues({ ...fr, language: 'de' }, settings())).toEqual([{ queue: q('de'), delayMs: 0 }]);
    expect(caseQueues({ ...fr, language: 'rm' }, settings())).toEqual([{ queue: q('de'), delayMs: 0 }]);
    expect(caseQueues({ ...fr, secondLanguage: 'de' }, settings())).toEqual([{ queue: q('fr'), delayMs: 0 }, { queue: q('de'), delayMs: 0 }]);
  });

  it('strict: only the language queues; off: only the any-language queue', () => {
    expect(caseQueues({ ...fr, secondLanguage: 'de' }, settings({ languageRouting: 'strict' })).map((c) => c.queue)).toEqual([q('fr'), q('de')]);
    expect(caseQueues(fr, settings({ languageRouting: 'strict' }))).toEqual([{ queue: q('fr'), delayMs: 0 }]);
    expect(caseQueues(fr, settings({ languageRouting: 'off' }))).toEqual([{ queue: q('any'), delayMs: 0 }]);
  });

  it('settings stored before the fields existed mean prefer after 60 minutes', () => {
    expect(languagePolicy({})).toEqual({ mode: 'prefer', fallbackMinutes: 60 });
  });
});

describe('anyQueueVerdict', () => {
  const since = new Date('2026-11-25T10:00:00Z');
  it('prefer: held until the case has been callable for the fallback, then handed out', () => {
    const policy = { mode: 'prefer' as const, fallbackMinutes: 60 };
    expect(anyQueueVerdict(policy, since, new Date('2026-11-25T10:59:59Z'))).toEqual({ kind: 'hold', until: new Date('2026-11-25T11:00:00Z') });
    expect(anyQueueVerdict(policy, since, new Date('2026-11-25T11:00:00Z'))).toEqual({ kind: 'hand_out' });
  });
  it('strict sends the copy back to its language queues; off hands it out', () => {
    expect(anyQueueVerdict({ mode: 'strict', fallbackMinutes: 60 }, since, since)).toEqual({ kind: 'reroute' });
    expect(anyQueueVerdict({ mode: 'off', fallbackMinutes: 60 }, since, since)).toEqual({ kind: 'hand_out' });
  });
});

describe('speakers and the card note', () => {
  it('an agent speaks a case when one of its languages is theirs', () => {
    expect(speaks(['de'], { language: 'fr', secondLanguage: 'de' })).toBe(true);
    expect(speaks(['rm'], { language: 'de', secondLanguage: null })).toBe(true);
    expect(speaks(['de', 'it'], fr)).toBe(false);
  });
  it('names the language in German for an agent who does not speak it', () => {
    expect(languageNote(['de'], fr)).toBe('Kunde spricht vermutlich Französisch');
    expect(languageNote(['it'], { language: 'fr', secondLanguage: 'de' })).toBe('Kunde spricht vermutlich Französisch oder Deutsch');
    expect(languageNote(['fr'], fr)).toBeNull();
  });
});
