import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { ApiError } from '../web/js/api.js';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { outcomeError } from '../web/js/agent/outcome-errors.js';

/** The agent reads why a save was refused in German, from the 400's `details.cause`. */
describe('outcomeError', () => {
  it('says in German why a callback or promise was refused', () => {
    const refused = (cause: string) => new ApiError(400, 'validation_error', 'The callback cannot be scheduled: holiday', { cause });
    expect(outcomeError(refused('holiday'))).toBe('An diesem Tag ist ein Feiertag – es wird nicht angerufen. Bitte einen anderen Tag wählen.');
    expect(outcomeError(refused('callback_too_far'))).toBe('Ein Rückruf kann höchstens 12 Monate im Voraus vereinbart werden.');
    expect(outcomeError(refused('promise_in_past'))).toBe('Das Datum der zugesagten Zahlung liegt in der Vergangenheit.');
    expect(outcomeError(refused('right_party_not_reached'))).toBe('„Richtige Person erreicht“ passt nicht zu einem Ergebnis, bei dem niemand erreicht wurde.');
  });

  it('keeps the technical detail for a refusal it has no words for, and never takes a prototype key as a cause', () => {
    expect(outcomeError(new ApiError(400, 'validation_error', 'Body: outcome required', { cause: 'constructor' }))).toBe(
      'Die Eingabe ist ungültig. (Technische Angabe: Body: outcome required)',
    );
    expect(outcomeError(new ApiError(400, 'validation_error', 'bad'))).toBe('Die Eingabe ist ungültig. (Technische Angabe: bad)');
  });

  it('answers other failures as every screen does', () => {
    expect(outcomeError(new ApiError(503, 'unavailable', 'down'))).toBe('Der Dienst ist gerade nicht erreichbar. Bitte gleich erneut versuchen.');
    expect(outcomeError(new ApiError(0, 'timeout', 'keine Antwort in der erwarteten Zeit'))).toBe('Keine Verbindung zum Server. Bitte Netzwerk prüfen und erneut versuchen.');
  });
});
