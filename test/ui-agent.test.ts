import { and, eq, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, attempts, cases, users } from '../src/db/schema.js';
import { loginAs, screenshot, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let ui: Awaited<ReturnType<typeof startUi>>;
let admin: string;

const HOSTILE = '<img src=x onerror=alert(1)> Müller';

beforeAll(async () => {
  // BullMQ takes its time from Date.now(); the browser from the real clock: both real here.
  // A short lock, so the heartbeat (every LOCK_SECONDS/3) is seen within a test.
  t = await createTestContext({ LOCK_SECONDS: '9' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
});

/** A client that can be called any time, with a long retry delay so a retried case stays away. */
const client = (extra: Record<string, unknown> = {}) =>
  createClient(t, admin, { ...fastRules, name: 'Stadtwerke Muster', retryDelaySeconds: 3600, ...extra });

describe('agent screen', () => {
  it('shows the case safely, records "Kunde nicht erreicht" and explains the empty queue', async () => {
    const clientId = await client();
    const { cases: [seeded] } = await seedList(t, clientId, [{ name: HOSTILE, amountCents: 123456, phoneE164: '+497211234567' }]);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, dialogs, errors } = await ui.newPage();

    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();

    const name = page.getByTestId('case-name');
    await name.waitFor();
    expect(await name.textContent()).toBe(HOSTILE);
    expect(await page.locator('.case-card img').count()).toBe(0);
    expect(await page.getByTestId('amount').textContent()).toBe('1.234,56\u00a0€');
    expect(await page.getByTestId('attempt').textContent()).toBe('Versuch 1 von 3');
    // The link is the server's CTI_LINK_TEMPLATE (default tel:{e164}, URL-encoded).
    expect(decodeURIComponent((await page.getByTestId('phone').getAttribute('href'))!)).toBe('tel:+497211234567');
    expect(await page.getByTestId('case-client').textContent()).toBe('Stadtwerke Muster');
    await screenshot(page, 'agent-case-first-call');

    // „Richtige Person“ is asked when somebody was on the line: not with „nicht erreicht“, and
    // „bezahlt“ is not saved without an answer (J/N answer it).
    const rightParty = page.getByLabel('Richtige Person erreicht: ja');
    await page.getByRole('button', { name: 'Erledigt – bezahlt' }).click();
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Bitte angeben, ob die richtige Person erreicht wurde (Ja oder Nein).').waitFor();
    await page.keyboard.press('j');
    expect(await rightParty.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Kunde nicht erreicht' }).click();
    expect([await rightParty.isChecked(), await rightParty.isDisabled()]).toEqual([false, true]);
    await page.getByRole('button', { name: 'Erledigt – bezahlt' }).click();
    expect([await rightParty.isChecked(), await rightParty.isDisabled()]).toEqual([true, false]);
    await page.getByRole('button', { name: 'Kunde nicht erreicht' }).click();
    await page.getByRole('textbox', { name: 'Notiz' }).fill('Mailbox, keine Nachricht hinterlassen');
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText(`Ergebnis gespeichert: Kunde nicht erreicht – ${HOSTILE}`).waitFor();
    await attemptsRecorded(t, seeded!.id, 1);

    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    const empty = page.getByTestId('empty-queue');
    await empty.getByText('Gerade kein Anruf fällig').waitFor();
    await empty.getByRole('row', { name: 'Wiederholungsabstand 1' }).waitFor();
    expect(await page.getByTestId('next-due').textContent()).toMatch(/^\w{2}\., \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr$/);
    await screenshot(page, 'agent-empty-queue');

    const [attempt] = await t.db.select().from(attempts).where(eq(attempts.caseId, seeded!.id));
    expect(attempt).toMatchObject({ outcome: 'not_reached', note: 'Mailbox, keine Nachricht hinterlassen', rightParty: false });
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('says when the next case has become due, without taking it', async () => {
    const clientId = await client({ retryDelaySeconds: 8 });
    const { cases: [seeded] } = await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByRole('button', { name: 'Kunde nicht erreicht' }).click();
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Ergebnis gespeichert: Kunde nicht erreicht').waitFor();
    await attemptsRecorded(t, seeded!.id, 1);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByTestId('empty-queue').waitFor();
    expect(await page.getByText('Jetzt ist ein Fall fällig').count()).toBe(0);
    await page.getByText('Jetzt ist ein Fall fällig: bitte „Nächster Anruf“ drücken.').waitFor({ timeout: 15_000 });
    // Said, not taken: nothing is held for an agent who may have stepped away.
    expect(await t.db.select().from(assignments).where(and(eq(assignments.caseId, seeded!.id), isNull(assignments.endedAt)))).toEqual([]);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    expect(await page.getByTestId('case-name').textContent()).toBeTruthy();
    expect(errors).toEqual([]);
  }, 40_000);

  it('tells an agent whose clients are all or partly paused, or who has none, why no case comes', async () => {
    const paused = await client({});
    await seedList(t, paused, 1); // open, but not handed out
    const quiet = await client({});
    expect((await t.request('PATCH', `/api/clients/${paused}`, { cookie: admin, body: { active: false } })).status).toBe(200);
    for (const [clientIds, text] of [
      [[paused], 'Ihre Mandanten sind zurzeit inaktiv (pausiert): es werden keine Fälle ausgegeben. Bitte die Teamleitung ansprechen.'],
      [[paused, quiet], '1 Ihrer 2 Mandanten ist zurzeit pausiert; dessen Fälle werden nicht ausgegeben.'],
      [[paused, quiet], 'Für Ihre aktiven Mandanten und Sprachen sind keine offenen Fälle vorhanden.'],
      [[], 'Ihnen ist kein Mandant zugeordnet, daher bekommen Sie keine Fälle. Bitte die Teamleitung ansprechen.'],
    ] as const) {
      const { user } = await t.userSession('agent', [...clientIds]);
      const { page, errors } = await ui.newPage();
      await loginAs(page, user.username);
      await page.getByRole('button', { name: 'Nächster Anruf' }).click();
      await page.getByTestId('empty-queue').getByText(text).waitFor();
      expect(errors).toEqual([]);
    }
  });

  it('records a personal callback in a window on a date, with the customer\'s preferred windows', async () => {
    const clientId = await client({ windows: { morning: ['08:00', '12:00'], evening: ['17:00', '20:00'] } });
    const { cases: [seeded] } = await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByTestId('case-name').waitFor();

    // The screen keeps the lock: a heartbeat moves "gesperrt bis" on.
    const lockInfo = page.getByTestId('lock-info');
    const lockedUntil = await lockInfo.textContent();
    await lockInfo.filter({ hasNotText: lockedUntil! }).waitFor();

    // Keyboard: 7 is the seventh default outcome, "Später noch mal anrufen".
    await page.keyboard.press('7');
    await page.getByRole('button', { name: 'Später noch mal anrufen' }).and(page.locator('[aria-pressed=true]')).waitFor();
    await page.getByRole('combobox', { name: 'Zeitfenster' }).selectOption('evening');
    // A weekday: the customer's stated window (Mon–Fri 17–20) applies to this callback as well.
    let day = DateTime.now().setZone('Europe/Berlin').plus({ days: 1 });
    while (day.weekday > 5) day = day.plus({ days: 1 });
    const date = day.toISODate()!;
    await page.getByLabel('Datum (optional)').fill(date);
    await page.getByLabel('Nur für mich').check();
    await page.getByLabel('Richtige Person erreicht: ja').check();
    await page.getByText('Kundenwunsch-Zeitfenster ändern').click();
    await page.getByRole('button', { name: '+ Zeitfenster hinzufügen' }).click();
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Ergebnis gespeichert: Später noch mal anrufen').waitFor();

    await attemptsRecorded(t, seeded!.id, 1);
    const [attempt] = await t.db.select().from(attempts).where(and(eq(attempts.caseId, seeded!.id), eq(attempts.attemptNo, 1)));
    expect(attempt).toMatchObject({ outcome: 'callback', rightParty: true });
    expect(attempt!.callback).toMatchObject({ window: 'evening', date, owner: 'me' });
    const [c] = await t.db.select().from(cases).where(eq(cases.id, seeded!.id));
    expect(c!.preferredWindows).toEqual([{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '17:00', to: '20:00' }]);
    expect(errors).toEqual([]);
  });

  it('says so in German when the outcome finds the lock gone, and keeps what was entered for that case', async () => {
    const page = await caseTakenAway();

    await page.getByRole('button', { name: 'Erledigt – bezahlt' }).click();
    await page.getByRole('textbox', { name: 'Notiz' }).fill('Zahlt heute per Überweisung');
    await page.getByLabel('Richtige Person erreicht: ja').check();
    await page.getByText('Kundenwunsch-Zeitfenster ändern').click();
    await page.getByRole('button', { name: '+ Zeitfenster hinzufügen' }).click();
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Die Sperre ist abgelaufen – der Fall ging zurück in die Warteschlange. Ihre Eingaben sind in diesem Fenster aufbewahrt').waitFor();

    // The case comes back (the only one, at the same attempt): with the outcome, answer and note.
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByTestId('case-name').waitFor();
    expect(await page.getByRole('textbox', { name: 'Notiz' }).inputValue()).toBe('Zahlt heute per Überweisung');
    expect(await page.getByLabel('Richtige Person erreicht: ja').isChecked()).toBe(true);
    expect(await page.getByRole('button', { name: 'Erledigt – bezahlt' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.pw-row').count()).toBe(1);
    // A reload keeps it too (the held case comes back with the draft).
    await page.reload();
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByTestId('case-name').waitFor();
    expect(await page.getByRole('textbox', { name: 'Notiz' }).inputValue()).toBe('Zahlt heute per Überweisung');
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Ergebnis gespeichert: Erledigt – bezahlt').waitFor();
    // Saved: the draft is gone from the tab's storage.
    expect(await page.evaluate('Object.keys(sessionStorage).filter((k) => k.startsWith("mahn:draft:"))')).toEqual([]);
  });

  it('does not save on Enter in a field, and says so when another window saved first', async () => {
    const clientId = await client();
    const { cases: [seeded] } = await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByTestId('case-name').waitFor();
    await page.getByRole('button', { name: 'Zahlungszusage' }).click();
    await page.getByLabel('Zahlung bis').fill(DateTime.now().plus({ days: 7 }).toISODate()!);
    await page.getByLabel('Betrag in €').fill('50');
    await page.getByLabel('Betrag in €').press('Enter');
    // The form would have been complete: only the guard against Enter keeps it from going out.
    await page.getByLabel('Richtige Person erreicht: ja').check();
    // Nothing sent: the form is still there and no outcome is claimed.
    expect(await page.getByRole('button', { name: 'Ergebnis speichern' }).isVisible()).toBe(true);
    const [live] = await t.db.select().from(assignments).where(and(eq(assignments.caseId, seeded!.id), isNull(assignments.endedAt)));
    expect(live).toBeDefined();

    // Another window of the same agent records "not reached" first.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await t.request('POST', `/api/agent/assignments/${live!.id}/outcome`, { cookie, body: { outcome: 'not_reached' } })).status).toBe(202);
    await page.getByRole('button', { name: 'Erledigt – bezahlt' }).click();
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Für diesen Fall war bereits ein Ergebnis gespeichert (das zuerst gesendete gilt)').waitFor();
    expect(await page.getByText('Ergebnis gespeichert: Erledigt – bezahlt').count()).toBe(0);
    await attemptsRecorded(t, seeded!.id, 1);
    const [attempt] = await t.db.select().from(attempts).where(eq(attempts.caseId, seeded!.id));
    expect(attempt!.outcome).toBe('not_reached');
    expect(errors).toEqual([]);
  });

  it('notices a lost lock by the heartbeat alone', async () => {
    const page = await caseTakenAway();
    // No click: the next heartbeat (within LOCK_SECONDS/3) answers 409.
    await page.getByText('Die Sperre ist abgelaufen – der Fall ging zurück in die Warteschlange').waitFor();
    await page.getByRole('button', { name: 'Nächster Anruf' }).waitFor();
  });

  it('keeps the form when the lock ran out during the call, and saves the outcome late while nobody took the case', async () => {
    const { page, seeded } = await lockRunsOut();
    await fillPromise(page, 'zahlt nächste Woche');
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Ergebnis gespeichert: Zahlungszusage').waitFor();
    await attemptsRecorded(t, seeded.id, 1);
    const [attempt] = await t.db.select().from(attempts).where(eq(attempts.caseId, seeded.id));
    expect([attempt!.outcome, attempt!.promiseAmountCents, attempt!.note]).toEqual(['promise_to_pay', 5_000, 'zahlt nächste Woche']);
  });

  it('says when a case has been held as long as one may be, and keeps the form', async () => {
    const clientId = await client();
    await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    // The server's answer after HOLD_MAX_MINUTES (test/hold-limit.test.ts), without waiting an hour.
    await page.route('**/heartbeat', (route) =>
      route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'hold_limit', message: 'held too long', details: { expiresAt: new Date(Date.now() + 9_000).toISOString(), holdMaxMinutes: 60 } } }) }),
    );
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByTestId('case-name').waitFor();
    await page.getByText(/Dieser Fall ist seit 60 Minuten für Sie gesperrt, länger nicht: Die Sperre endet um [\d:]+ Uhr\. Bitte jetzt das Ergebnis speichern/).waitFor({ timeout: 15_000 });
    await page.getByText('wird nicht mehr verlängert').waitFor();
    expect(await page.getByRole('button', { name: 'Ergebnis speichern' }).isVisible()).toBe(true);
    // No heartbeat goes out any more: at the lock's time the screen's own clock stops the dial links.
    await expect.poll(() => page.getByTestId('phone').getAttribute('aria-disabled'), { timeout: 15_000 }).toBe('true');
    await page.getByText(/Sperre abgelaufen um/).waitFor();
    expect(errors).toEqual([]);
  });

  it('shows what was entered when the late outcome finds the case with a colleague', async () => {
    const { page, seeded, clientId } = await lockRunsOut();
    const colleague = await t.userSession('agent', [clientId]);
    const taken = await vi.waitFor(async () => {
      const res = await t.request('POST', '/api/agent/next', { cookie: colleague.cookie });
      if (!res.body.assignment) throw new Error('not handed out yet');
      return res.body;
    }, { timeout: 15_000, interval: 200 });
    expect(taken.case.id).toBe(seeded.id);
    await fillPromise(page, 'Tochter zahlt');
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    const shown = page.getByText('Ergebnis NICHT gespeichert: Die Sperre war abgelaufen, und ein anderer Mitarbeiter hat den Fall inzwischen übernommen.');
    await shown.waitFor();
    expect(await shown.textContent()).toMatch(/Ihre Eingaben: Zahlungszusage, Zusage 50,00\s€ zum .+, Notiz: „Tochter zahlt“/);
    expect(await t.db.select().from(attempts).where(eq(attempts.caseId, seeded.id))).toEqual([]);
  });

  it('warns on the last attempt that the case closes after it, and asks before the tab with a case is closed', async () => {
    const clientId = await client({ maxAttempts: 1 });
    const { listId } = await seedList(t, clientId, 2);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors, dialogs } = await ui.newPage();
    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    expect(await page.getByTestId('attempt').textContent()).toBe('Versuch 1 von 1');

    // A callback on the last attempt would never be made: the agent is told before promising one.
    await page.getByRole('button', { name: 'Später noch mal anrufen' }).click();
    await page.getByTestId('last-try').getByText('Bitte dem Kunden keinen Rückruf zusagen.').waitFor();
    await page.getByRole('button', { name: 'Erledigt – bezahlt' }).click();
    await page.getByTestId('last-try').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Kunde nicht erreicht' }).click();
    await page.getByTestId('last-try').waitFor();
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Ergebnis gespeichert: Kunde nicht erreicht (letzter Versuch, Fall abgeschlossen)').waitFor();
    await vi.waitFor(async () => {
      const closed = await t.db.select().from(cases).where(and(eq(cases.listId, listId), eq(cases.status, 'closed')));
      expect(closed).toEqual([expect.objectContaining({ finalOutcome: 'max_attempts', attemptsMade: 1 })]);
    }, { timeout: 10_000, interval: 100 });

    // The next case on screen: closing the tab asks first (what was entered would be lost).
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByTestId('case-name').waitFor();
    const asked = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    expect((await asked).type()).toBe('beforeunload');
    expect(dialogs).toEqual(['beforeunload: ']);
    expect(errors).toEqual([]);
  });

  it('asks again by itself when the server looked at as many stale jobs as one request may', async () => {
    const clientId = await client();
    const { cases: seeded } = await seedList(t, clientId, [...Array.from({ length: 40 }, () => ({ amountCents: 900_000 })), { name: 'Offene Olga', amountCents: 100 }]);
    // Closed behind the queue's back: their jobs, first in line, are stale at their pull.
    await t.db.update(cases).set({ status: 'closed', finalOutcome: 'paid' }).where(and(eq(cases.listId, seeded[0]!.listId), eq(cases.amountCents, 900_000)));
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    expect(await page.getByTestId('case-name').textContent()).toBe('Offene Olga');
    expect(errors).toEqual([]);
  });

  it('says the outcome was not saved when the case\'s client was taken from the agent during the call, with the note to write down', async () => {
    const clientId = await client();
    await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByRole('button', { name: 'Erledigt – bezahlt' }).click();
    await page.getByLabel('Richtige Person erreicht: nein').check();
    await page.getByRole('textbox', { name: 'Notiz' }).fill('Zahlt Freitag');
    expect((await t.request('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { clientIds: [] } })).status).toBe(200);
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Dieser Mandant ist Ihnen nicht mehr zugewiesen; der Fall ging zurück in die Warteschlange. Das Ergebnis wurde NICHT gespeichert').waitFor();
    await page.getByText('Ihre Notiz: „Zahlt Freitag“').waitFor();
    expect(errors).toEqual([]);
  });

  it('times the lock\'s heartbeat by the server\'s clock, not a PC clock ten minutes ahead', async () => {
    const clientId = await client();
    await seedList(t, clientId, 1);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await page.clock.install({ time: new Date(Date.now() + 600_000) });
    await page.goto('/');
    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByTestId('case-name').waitFor();
    // LOCK_SECONDS is 9: a beat every ~3 s. By the PC's clock the lock had run out long ago,
    // which made it a beat a second.
    const beat = () => page.waitForResponse((r) => r.url().endsWith('/heartbeat'), { timeout: 15_000 });
    await beat();
    const after = Date.now();
    await beat();
    expect(Date.now() - after).toBeGreaterThan(2_000);
    expect(errors).toEqual([]);
  });

  it('says every five minutes that the agent waits on the start screen, so the team view counts them at work; not during a case', async () => {
    const clientId = await client();
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await page.clock.install();
    await page.goto('/');
    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).waitFor();
    const lastActive = async () => (await t.db.select({ at: users.lastActiveAt }).from(users).where(eq(users.id, user.id)))[0]!.at;
    expect(await lastActive()).toBeNull();
    const said = page.waitForResponse((r) => r.url().endsWith('/api/agent/presence'));
    await page.clock.fastForward('05:00');
    expect((await said).status()).toBe(204);
    expect(await lastActive()).not.toBeNull();

    // With a case on screen its heartbeat says it: no presence.
    await seedList(t, clientId, 1);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByTestId('case-name').waitFor();
    const presence: string[] = [];
    page.on('request', (r) => void (r.url().endsWith('/api/agent/presence') && presence.push(r.url())));
    const beat = page.waitForResponse((r) => r.url().endsWith('/heartbeat'));
    await page.clock.fastForward('05:00');
    await beat;
    expect(presence).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('brings a case back with its history, the number as delivered, address and extra columns', async () => {
    const clientId = await client({ retryDelaySeconds: 1 });
    const { cases: [seeded] } = await seedList(t, clientId, [{ name: 'Erika Mustermann', amountCents: 48_790, phoneE164: '+497219876543' }]);
    await t.db
      .update(cases)
      .set({ phoneRaw: '0721 / 987 65 43', address: 'Kaiserstraße 12, 76133 Karlsruhe', currency: 'CHF', extra: { Vertragskonto: '4711-0815', Mahnstufe: '2', Fälligkeit: '15.10.2026' } })
      .where(eq(cases.id, seeded!.id));
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors, dialogs } = await ui.newPage({ acceptDialogs: true });
    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await page.getByRole('button', { name: 'Kunde nicht erreicht' }).click();
    await page.getByRole('textbox', { name: 'Notiz' }).fill('Anrufbeantworter');
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Ergebnis gespeichert').waitFor();
    await attemptsRecorded(t, seeded!.id, 1);

    // Due again after the 1 s retry delay: ask until it is handed out (no fixed sleep; the
    // screen itself asks again a few times when the next case is due within seconds).
    await vi.waitFor(async () => {
      if (await page.getByTestId('case-name').isVisible()) return;
      await page.getByRole('button', { name: 'Nächster Anruf' }).click({ timeout: 3_000 });
      await page.getByTestId('case-name').waitFor({ timeout: 3_000 });
    }, { timeout: 15_000, interval: 200 });
    expect(await page.getByTestId('attempt').textContent()).toBe('Versuch 2 von 3');
    expect(await page.getByTestId('phone').textContent()).toBe('+49 721 9876543');
    expect(await page.locator('.fact-phone > .phone-listed').textContent()).toBe('0721 / 987 65 43');
    await page.getByText('Kaiserstraße 12, 76133 Karlsruhe').waitFor();
    await page.getByText('4711-0815').waitFor();
    const history = page.locator('.history tbody tr');
    expect(await history.count()).toBe(1);
    expect(await history.locator('td').nth(3).textContent()).toBe('Kunde nicht erreicht');
    expect(await history.locator('td').nth(4).textContent()).toBe('–'); // nobody answered: not „nein“
    expect(await history.locator('td').nth(5).textContent()).toBe('Anrufbeantworter');
    await page.getByRole('button', { name: 'Zahlungszusage' }).click();
    // The promise is taken in the case's currency: a claim in francs is not promised in euros.
    expect(await page.getByLabel('Betrag in CHF').inputValue()).toBe('487.90');
    expect(await page.getByTestId('amount').textContent()).toMatch(/^CHF\s487\.90$/);
    await screenshot(page, 'agent-case');

    // Logging out with the case on screen asks, then gives it back at once.
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.getByText('Sie wurden abgemeldet.').waitFor();
    expect(dialogs).toEqual([expect.stringMatching(/^confirm: Der angezeigte Fall wird zurückgegeben.*was Sie dazu eingetragen und nicht gespeichert haben, geht verloren/)]);
    const live = await t.db.select().from(assignments).where(and(eq(assignments.caseId, seeded!.id), isNull(assignments.endedAt)));
    expect(live).toEqual([]);
    expect(errors).toEqual([]);
  });
});

/**
 * An agent's screen showing a case that is then taken away behind its back (released through
 * the API with the same session, as when the lock expired).
 */
/**
 * A case on screen whose heartbeats fail (no network) until its lock ran out and the lock watch
 * returned it; then the network is back, and the next heartbeat finds the lock gone.
 */
async function lockRunsOut() {
  const clientId = await client();
  const { cases: [seeded] } = await seedList(t, clientId, 1);
  const { user } = await t.userSession('agent', [clientId]);
  const { page } = await ui.newPage();
  await loginAs(page, user.username);
  await page.route('**/heartbeat', (route) => route.abort());
  await page.getByRole('button', { name: 'Nächster Anruf' }).click();
  await page.getByTestId('case-name').waitFor();
  await page.getByText(/Sperre konnte nicht verlängert werden .*; sie läuft um [\d:]+ Uhr ab/).waitFor({ timeout: 15_000 });
  await vi.waitFor(async () => {
    const [a] = await t.db.select().from(assignments).where(eq(assignments.caseId, seeded!.id));
    if (a?.endReason !== 'expired') throw new Error('not expired yet');
  }, { timeout: 20_000, interval: 200 });
  await page.unroute('**/heartbeat');
  await page.getByText('Die Sperre ist abgelaufen – der Fall ist wieder in der Warteschlange. Ein jetzt gespeichertes Ergebnis zählt').waitFor({ timeout: 15_000 });
  expect(await page.getByRole('button', { name: 'Ergebnis speichern' }).isVisible()).toBe(true);
  // The case may be another agent's by now: its number is not dialled from here again.
  expect([await page.getByTestId('phone').getAttribute('href'), await page.getByTestId('phone').getAttribute('aria-disabled')]).toEqual([null, 'true']);
  return { page, seeded: seeded!, clientId };
}

/** @param note the note entered with a promise of 50 € a week ahead */
async function fillPromise(page: Awaited<ReturnType<typeof lockRunsOut>>['page'], note: string) {
  await page.getByRole('button', { name: 'Zahlungszusage' }).click();
  await page.getByLabel('Zahlung bis').fill(DateTime.now().plus({ days: 7 }).toISODate()!);
  await page.getByLabel('Betrag in €').fill('50');
  await page.getByLabel('Richtige Person erreicht: ja').check();
  await page.getByRole('textbox', { name: 'Notiz' }).fill(note);
}

async function caseTakenAway() {
  const clientId = await client();
  await seedList(t, clientId, 1);
  const { user } = await t.userSession('agent', [clientId]);
  const { page } = await ui.newPage();
  await loginAs(page, user.username);
  await page.getByRole('button', { name: 'Nächster Anruf' }).click();
  await page.getByTestId('case-name').waitFor();
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const held = await t.request('POST', '/api/agent/next', { cookie });
  expect((await t.request('POST', `/api/agent/assignments/${held.body.assignment.id}/release`, { cookie })).status).toBe(204);
  return page;
}
