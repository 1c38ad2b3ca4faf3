import { describe, expect, it } from 'vitest';
import { CALLBACK_MIN_GAP_MS } from '../src/scheduling/callback.js';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { ApiError } from '../web/js/api.js';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { outcomeLabel } from '../web/js/agent/case-card.js';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { outcomeError } from '../web/js/agent/outcome-errors.js';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { CALLBACK_GAP_MINUTES } from '../web/js/agent/outcome-form.js';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { windowsByStart } from '../web/js/format.js';

/** The agent screen's German: the glossary's „Mandant“, whole sentences, and the server's real rules. */
describe('agent screen texts', () => {
  it('calls the client „Mandant“ when a save is refused', () => {
    const refused = (cause: string) => new ApiError(400, 'validation_error', 'refused', { cause });
    expect(outcomeError(refused('outside_calling_hours'))).toBe('Die gewählte Zeit liegt außerhalb der Anrufzeiten des Mandanten. Bitte eine andere Zeit wählen.');
    expect(outcomeError(refused('unknown_window'))).toBe('Dieses Zeitfenster gibt es beim Mandanten nicht mehr. Bitte die Seite neu laden.');
    expect(outcomeError(refused('unknown_outcome'))).toBe('Dieses Ergebnis gibt es beim Mandanten nicht mehr. Bitte die Seite neu laden.');
  });

  it('names the closing at the attempt cap in the history with its article', () => {
    expect(outcomeLabel('max_attempts', [])).toBe('Höchstzahl der Versuche erreicht');
  });

  it('tells the agent the callback gap the server keeps', () => {
    expect(CALLBACK_GAP_MINUTES * 60_000).toBe(CALLBACK_MIN_GAP_MS);
  });
});

describe('windowsByStart', () => {
  it('orders a client\'s windows by the time they start, not by the database\'s key order', () => {
    const stored = { midday: ['12:00', '14:00'], evening: ['17:00', '20:00'], morning: ['08:00', '12:00'], afternoon: ['14:00', '17:00'] };
    expect(windowsByStart(stored)).toEqual(['morning', 'midday', 'afternoon', 'evening']);
    expect(windowsByStart({ spaet: ['18:00', '20:00'], frueh: ['08:00', '10:00'], b: ['08:00', '09:00'] })).toEqual(['b', 'frueh', 'spaet']);
  });
});
