import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, cases } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, next, postOutcome, setTime, useFakeDate } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { cp1252Csv, upload } from './helpers/workbooks.js';

/**
 * DESIGN.md section 4 "Language routing", tried as the issue describes it: a German client's
 * list with customers in Germany, Zürich, Geneva, Lugano and Biel/Bienne (bilingual), worked by
 * German-speaking agents, under each policy. Time moves with vitest's fake Date (BullMQ's delays).
 */
const at = (local: string) => `${local}+01:00`;
const START = '2026-11-25T10:00:00'; // a Wednesday, no holiday in Baden or the cantons

const MIXED_LIST = cp1252Csv([
  ['Kundennummer', 'Name', 'Telefon', 'Mahnsumme', 'Straße', 'PLZ', 'Ort', 'Land'],
  ['D1', 'Müller', '0721 1234567', '100,00', 'Hauptstr. 1', '76133', 'Karlsruhe', 'Deutschland'],
  ['Z1', 'Meier', '+41 44 211 11 11', '200,00', 'Bahnhofstr. 1', '8001', 'Zürich', 'Schweiz'],
  ['G1', 'Dubois', '+41 22 310 22 22', '300,00', 'Rue du Rhône 1', '1204', 'Genève', 'Suisse'],
  ['L1', 'Rossi', '+41 91 911 11 11', '400,00', 'Via Nassa 1', '6900', 'Lugano', 'Svizzera'],
  ['B1', 'Schneider', '+41 32 321 21 21', '500,00', 'Zentralstrasse 1', '2502', 'Biel/Bienne', 'Schweiz'],
]);
const GERMAN_SIDE = ['Meier', 'Müller', 'Schneider']; // Germany, Zürich, Biel (de|fr)

let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate(at(START));
  t = await createTestContext({ LOCK_SECONDS: '600', SESSION_HOURS: '168' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t.close());

/** A client with `routing` (and no holidays), the mixed list imported, and a German-only agent. */
async function mixedList(routing: Record<string, unknown>) {
  setTime(at(START));
  const clientId = await createClient(t, admin, { holidays: null, ...routing });
  // The imports worker runs the upload (workers run here for the outcomes).
  const listId = await upload(t, admin, clientId, MIXED_LIST, 'gemischt.csv');
  const list = await eventually(async () => {
    const r = await t.request('GET', `/api/lists/${listId}`, { cookie: admin });
    return r.body.status !== 'importing' ? r.body : null;
  }, 30_000, 'the import');
  expect(list.status, JSON.stringify(list.error)).toBe('active');
  const german = await t.userSession('agent', [clientId], { languages: ['de'] });
  return { clientId, listId: list.id as string, german: german.cookie };
}

/** Pulls and settles (`paid`) cases until none is handed out; returns the names with the card's language note. */
async function workAll(cookie: string): Promise<Array<{ name: string; note: string | null }>> {
  const got: Array<{ name: string; note: string | null }> = [];
  for (;;) {
    const a = await next(t, cookie);
    if (!a.assignment) return got;
    got.push({ name: a.case.name, note: a.case.languageNote });
    expect((await postOutcome(t, cookie, a.assignment.id, { outcome: 'paid' })).status).toBe(202);
  }
}

const progress = async (listId: string) => (await t.request('GET', `/api/lists/${listId}/progress`, { cookie: admin })).body;

describe('the import routes by language', () => {
  it('stores each case language: postcode region, both languages of a bilingual postcode', async () => {
    const { listId } = await mixedList({});
    const rows = await t.db.select().from(cases).where(eq(cases.listId, listId));
    const byName = Object.fromEntries(rows.map((c) => [c.name, [c.language, c.secondLanguage]]));
    expect(byName).toEqual({ Müller: ['de', null], Meier: ['de', null], Dubois: ['fr', null], Rossi: ['it', null], Schneider: ['de', 'fr'] });
  });

  it('takes the language column over the postcode (Sprache, Language, Langue, Lingua; codes or names)', async () => {
    setTime(at(START));
    const clientId = await createClient(t, admin, { holidays: null });
    for (const [header, values] of [
      ['Langue', ['Französisch', 'de', 'italiano', 'romanche', '']],
      ['Lingua', ['francese', 'Deutsch', 'it', 'Rätoromanisch', '']],
      ['Language', ['fr', 'allemand', 'Italienisch', 'rm', '']],
    ] as const) {
      const csv = cp1252Csv([
        ['Kundennummer', 'Name', 'Telefon', 'Mahnsumme', 'PLZ', 'Ort', 'Land', header],
        [`${header}1`, 'Zürcherin', '+41 44 211 11 11', '10,00', '8001', 'Zürich', 'Schweiz', values[0]],
        [`${header}2`, 'Genfer', '+41 22 310 22 22', '10,00', '1204', 'Genève', 'Suisse', values[1]],
        [`${header}3`, 'Bernerin', '+41 31 311 11 11', '10,00', '3011', 'Bern', 'Schweiz', values[2]],
        [`${header}4`, 'Churer', '+41 81 252 11 11', '10,00', '7000', 'Chur', 'Schweiz', values[3]],
        [`${header}5`, 'Freiburger', '+41 26 322 11 11', '10,00', '1700', 'Fribourg', 'Schweiz', values[4]],
      ]);
      const listId = await upload(t, admin, clientId, csv, `sprache-${header}.csv`);
      await eventually(async () => (await t.request('GET', `/api/lists/${listId}`, { cookie: admin })).body.status === 'active', 30_000, 'the import');
      const rows = await t.db.select().from(cases).where(eq(cases.listId, listId));
      const byName = Object.fromEntries(rows.map((c) => [c.name, [c.language, c.secondLanguage]]));
      expect(byName, header).toEqual({
        Zürcherin: ['fr', null],
        Genfer: ['de', null],
        Bernerin: ['it', null],
        Churer: ['rm', null],
        Freiburger: ['fr', 'de'], // no language given: Fribourg/Freiburg is bilingual, French first
      });
    }
  });

  it('writes the language into the result list', async () => {
    const { listId } = await mixedList({});
    const csv = await t.request('GET', `/api/lists/${listId}/results.csv`, { cookie: admin });
    expect(csv.status).toBe(200);
    const lines = String(csv.body).replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((l) => l.split(';'));
    const column = lines[0]!.indexOf('Sprache');
    expect(column).toBeGreaterThan(0);
    const byName = Object.fromEntries(lines.slice(1).map((l) => [l[1], l[column]]));
    expect(byName).toEqual({ Müller: 'Deutsch', Meier: 'Deutsch', Dubois: 'Französisch', Rossi: 'Italienisch', Schneider: 'Deutsch / Französisch' });
  });
});

describe('prefer (the default)', () => {
  it('hands out every case: speakers first, the French and Italian ones to German agents after the fallback', async () => {
    const { listId, german } = await mixedList({});
    expect((await workAll(german)).map((g) => g.name).sort()).toEqual(GERMAN_SIDE);

    const waiting = await next(t, german);
    expect(waiting.assignment).toBeNull();
    expect(waiting.waiting.language).toBe(2);
    const gaps = [
      { language: 'fr', cases: 1, routing: 'prefer', fallbackMinutes: 60, fallback: true },
      { language: 'it', cases: 1, routing: 'prefer', fallbackMinutes: 60, fallback: true },
    ];
    expect(waiting.languageGaps).toEqual(gaps);
    expect((await progress(listId)).languageGaps).toEqual(gaps);

    setTime(at('2026-11-25T10:59:00'));
    expect((await next(t, german)).assignment).toBeNull();

    setTime(at('2026-11-25T11:00:30'));
    expect(await workAll(german)).toEqual([
      { name: 'Rossi', note: 'Kunde spricht vermutlich Italienisch' },
      { name: 'Dubois', note: 'Kunde spricht vermutlich Französisch' },
    ]);
    expect((await progress(listId)).languageGaps).toEqual([]);
  });

  it('never gives the client’s own language to an agent who does not speak it, and does not tell them a case is coming', async () => {
    const { clientId, listId } = await mixedList({});
    // Nobody at work yet (before the shift): no language is missing.
    expect((await progress(listId)).languageGaps).toEqual([]);
    const french = (await t.userSession('agent', [clientId], { languages: ['fr'] })).cookie;
    expect((await workAll(french)).map((g) => g.name).sort()).toEqual(['Dubois', 'Schneider']);
    setTime(at('2026-11-25T11:00:30'));
    expect((await workAll(french)).map((g) => g.name)).toEqual(['Rossi']); // Italian: anyone after the fallback
    // Müller and Meier speak German, the client's language: no fallback for them.
    const empty = await next(t, french);
    expect(empty).toMatchObject({ assignment: null, nextDueAt: null, waiting: { language: 2 } });
    // Nobody at work speaks German: the agent and the lead are told nobody else gets them, not that everyone will.
    expect(empty.languageGaps).toEqual([{ language: 'de', cases: 2, routing: 'prefer', fallbackMinutes: 60, fallback: false }]);
  });

  it('gives a bilingual postcode to speakers of either language', async () => {
    const { clientId } = await mixedList({});
    const french = await t.userSession('agent', [clientId], { languages: ['fr'] });
    expect(await workAll(french.cookie)).toEqual([
      { name: 'Schneider', note: null },
      { name: 'Dubois', note: null },
    ]);
  });

  it('a personal callback of a French case goes to its agent first, not to a German agent', async () => {
    const { clientId, german } = await mixedList({});
    const french = await t.userSession('agent', [clientId], { languages: ['fr'] });
    expect((await workAll(german)).map((g) => g.name).sort()).toEqual(GERMAN_SIDE);
    const a = await next(t, french.cookie);
    expect(a.case.name).toBe('Dubois');
    const callback = { at: new Date(at('2026-11-25T10:20:00')).toISOString(), owner: 'me' };
    expect((await postOutcome(t, french.cookie, a.assignment.id, { outcome: 'callback', callback })).status).toBe(202);
    await attemptsRecorded(t, a.case.id, 1);

    setTime(at('2026-11-25T10:21:00'));
    expect((await next(t, german)).assignment).toBeNull();
    const again = await next(t, french.cookie);
    expect(again.case).toMatchObject({ name: 'Dubois', attemptNo: 2 });
  });

  it('a fallback of 0 minutes hands foreign cases to anyone at once', async () => {
    const { german } = await mixedList({ languageFallbackMinutes: 0 });
    expect((await workAll(german)).map((g) => g.name).sort()).toEqual(['Dubois', 'Meier', 'Müller', 'Rossi', 'Schneider']);
  });

  it('a copy held back at the pull (the fallback grew since it was queued) leaves no assignment behind', async () => {
    const { clientId, listId, german } = await mixedList({ languageFallbackMinutes: 0 });
    const patched = await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { languageFallbackMinutes: 60 } });
    expect(patched.status).toBe(200);
    expect((await workAll(german)).map((g) => g.name).sort()).toEqual(GERMAN_SIDE);
    const foreign = await t.db.select({ id: cases.id }).from(cases).where(and(eq(cases.listId, listId), inArray(cases.name, ['Dubois', 'Rossi'])));
    expect(foreign).toHaveLength(2);
    expect(await t.db.select().from(assignments).where(inArray(assignments.caseId, foreign.map((f) => f.id)))).toEqual([]);
  });
});

describe('strict', () => {
  it('never hands a French case to a German agent; the lead sees which language the cases wait for', async () => {
    const { clientId, listId, german } = await mixedList({ languageRouting: 'strict' });
    expect((await workAll(german)).map((g) => g.name).sort()).toEqual(GERMAN_SIDE);

    setTime(at('2026-11-25T15:00:00'));
    const waiting = await next(t, german);
    expect(waiting).toMatchObject({ assignment: null, waiting: { language: 2 } });
    expect((await progress(listId)).languageGaps).toEqual([
      { language: 'fr', cases: 1, routing: 'strict', fallbackMinutes: 60, fallback: false },
      { language: 'it', cases: 1, routing: 'strict', fallbackMinutes: 60, fallback: false },
    ]);

    // A French speaker at work: the French case is theirs, and only Italian remains uncovered.
    const french = await t.userSession('agent', [clientId], { languages: ['fr'] });
    expect(await workAll(french.cookie)).toEqual([{ name: 'Dubois', note: null }]);
    expect((await progress(listId)).languageGaps).toEqual([{ language: 'it', cases: 1, routing: 'strict', fallbackMinutes: 60, fallback: false }]);

    // The lead gives up on Italian speakers: with routing off, the reconcile the change asks the
    // workers for moves the waiting case to everyone.
    const patched = await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { languageRouting: 'off' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ languageRouting: 'off', languageFallbackMinutes: 60 });
    const rossi = await eventually(async () => {
      const a = await next(t, german);
      return a.assignment ? a : null;
    }, 20_000, 'the Italian case handed to the German agent');
    expect([rossi.case.name, rossi.case.languageNote]).toEqual(['Rossi', 'Kunde spricht vermutlich Italienisch']);
    expect((await postOutcome(t, german, rossi.assignment.id, { outcome: 'paid' })).status).toBe(202);
    expect((await progress(listId)).languageGaps).toEqual([]);
  });
});

describe('off', () => {
  it('hands every case to anyone at once, by priority, showing the language', async () => {
    const { listId, german } = await mixedList({ languageRouting: 'off' });
    expect(await workAll(german)).toEqual([
      { name: 'Schneider', note: null },
      { name: 'Rossi', note: 'Kunde spricht vermutlich Italienisch' },
      { name: 'Dubois', note: 'Kunde spricht vermutlich Französisch' },
      { name: 'Meier', note: null },
      { name: 'Müller', note: null },
    ]);
    expect((await progress(listId)).languageGaps).toEqual([]);
  });
});

describe('client settings', () => {
  it('refuses an unknown policy and a negative fallback with the field named', async () => {
    const clientId = await createClient(t, admin, {});
    const bad = await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { languageRouting: 'sometimes' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('languageRouting');
    const negative = await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { languageFallbackMinutes: -5 } });
    expect(negative.status).toBe(400);
    expect(JSON.stringify(negative.body.error)).toContain('languageFallbackMinutes');
    const client = (await t.request('GET', `/api/clients/${clientId}`, { cookie: admin })).body;
    expect(client).toMatchObject({ languageRouting: 'prefer', languageFallbackMinutes: 60 });
  });
});
