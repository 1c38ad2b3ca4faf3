import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { loginAs, screenshot, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';

let t: TestContext;
let ui: Awaited<ReturnType<typeof startUi>>;
let admin: string;

beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
});

async function stored(clientId: string) {
  const res = await t.request('GET', `/api/clients/${clientId}`, { cookie: admin });
  expect(res.status).toBe(200);
  return res.body as Record<string, any>;
}

/** A lead of `clientId` on the client's settings, reached from the lists page. */
async function leadOnSettings(clientId: string, clientName: string) {
  const { user } = await t.userSession('lead', [clientId]);
  const opened = await ui.newPage();
  await loginAs(opened.page, user.username);
  await opened.page.locator('section.client', { hasText: clientName }).getByRole('link', { name: 'Einstellungen' }).click();
  await opened.page.getByRole('heading', { name: `Einstellungen: ${clientName}` }).waitFor();
  return opened;
}

/** The message box of the settings row that holds the control labelled `label`. */
const rowError = (page: Page, rowClass: string, label: string) =>
  page.locator(rowClass, { has: page.getByLabel(label, { exact: true }) }).locator('.field-error');

describe('client settings form', () => {
  it('lets a lead change hours, windows, outcomes, cap and do-not-call (not the result address), and stores exactly that', async () => {
    const clientId = await createClient(t, admin, { code: 'SWM', name: 'Stadtwerke Muster' });
    const before = await stored(clientId);
    const { page, errors } = await leadOnSettings(clientId, 'Stadtwerke Muster');

    // Wednesday: mornings only, then a second interval in the afternoon.
    expect(await page.getByLabel('Mittwoch, Zeitraum 1, bis').inputValue()).toBe('20:00');
    await page.getByLabel('Mittwoch, Zeitraum 1, bis').fill('12:00');
    await page.getByRole('button', { name: 'Mittwoch: Zeitraum hinzufügen' }).click();
    await page.getByLabel('Mittwoch, Zeitraum 2, von').fill('14:00');
    await page.getByLabel('Mittwoch, Zeitraum 2, bis').fill('19:00');

    await page.getByRole('button', { name: '+ Zeitfenster hinzufügen' }).click();
    await page.getByLabel('Zeitfenster 5, Name').fill('spaet');
    await page.getByLabel('Zeitfenster 5, von').fill('18:00');
    await page.getByLabel('Zeitfenster 5, bis').fill('20:00');

    expect(await page.getByLabel('Ergebnis 6, Code').inputValue()).toBe('not_reached');
    await page.getByLabel('Ergebnis 6, Bezeichnung').fill('Nicht erreicht (Mailbox)');
    // A busy line back after 15 minutes: its own delay, only a retry has one.
    expect(await page.getByLabel('Ergebnis 1, erneut nach Minuten').isDisabled()).toBe(true);
    await page.getByRole('button', { name: '+ Ergebnis hinzufügen' }).click();
    await page.getByLabel('Ergebnis 8, Code').fill('busy');
    await page.getByLabel('Ergebnis 8, Bezeichnung').fill('Besetzt');
    await page.getByLabel('Ergebnis 8, Wirkung').selectOption({ label: 'später erneut versuchen' });
    await page.getByLabel('Ergebnis 8, erneut nach Minuten').fill('15');
    await page.getByLabel('Versuche je Fall', { exact: true }).fill('5');
    // Where result lists go is for admins to say.
    expect(await page.getByLabel('Ergebnisliste an (E-Mail)').getAttribute('readonly')).not.toBeNull();
    await page.getByLabel('Nicht anrufen (eine Nummer je Zeile)').fill('0721 123456');
    expect(await page.getByLabel('Sprachzuteilung').inputValue()).toBe('prefer');
    await page.getByLabel('Sprachzuteilung').selectOption({ label: 'nur Mitarbeiter mit der Sprache' });
    await page.getByLabel('Sprach-Vorrang (Minuten)').fill('30');
    await screenshot(page, 'client-settings-lead');

    const patch = page.waitForRequest((r) => r.method() === 'PATCH');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Einstellungen gespeichert.').waitFor();
    // Only what changed is sent: a PATCH that repeated the rest could undo someone else's save.
    expect(Object.keys((await patch).postDataJSON()).sort()).toEqual(['callingHours', 'doNotCall', 'languageFallbackMinutes', 'languageRouting', 'maxAttempts', 'outcomes', 'windows']);

    expect(await stored(clientId)).toEqual({
      ...before,
      callingHours: { ...before.callingHours, wed: [['08:00', '12:00'], ['14:00', '19:00']] },
      windows: { ...before.windows, spaet: ['18:00', '20:00'] },
      outcomes: [
        ...before.outcomes.map((o: { code: string }) => (o.code === 'not_reached' ? { ...o, label: 'Nicht erreicht (Mailbox)' } : o)),
        { code: 'busy', label: 'Besetzt', effect: 'retry', retryDelaySeconds: 900 },
      ],
      maxAttempts: 5,
      doNotCall: ['+49721123456'],
      languageRouting: 'strict',
      languageFallbackMinutes: 30,
    });
    // The form now shows what the server stored (the number normalised).
    expect(await page.getByLabel('Nicht anrufen (eine Nummer je Zeile)').inputValue()).toBe('+49721123456');
    expect(errors).toEqual([]);
  });

  it('shows what the server refuses at the field, keeps every typed value and stores nothing', async () => {
    const clientId = await createClient(t, admin, { code: 'EVB', name: 'Energie Beispiel' });
    const before = await stored(clientId);
    const { page, errors } = await leadOnSettings(clientId, 'Energie Beispiel');
    const save = page.getByRole('button', { name: 'Speichern' });
    const summary = page.getByRole('alert');

    // A window that ends after every day's calling hours: only the merged whole shows that.
    await page.getByLabel('Versuche je Fall', { exact: true }).fill('7');
    expect(await page.getByLabel('Zeitfenster 4, Name').inputValue()).toBe('evening');
    await page.getByLabel('Zeitfenster 4, bis').fill('21:00');
    await save.click();
    const windowError = rowError(page, '.win-row', 'Zeitfenster 4, bis');
    await windowError.getByText('Das Ende 21:00 liegt außerhalb aller Anrufzeiten.').waitFor();
    expect(await summary.textContent()).toBe('Bitte prüfen:Zeitfenster 4 „evening“: Das Ende 21:00 liegt außerhalb aller Anrufzeiten.');
    expect(await page.getByLabel('Zeitfenster 4, bis').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'client-settings-refused');

    // An interval that starts after it ends, on Thursday.
    await page.getByLabel('Donnerstag, Zeitraum 1, von').fill('20:00');
    await page.getByLabel('Donnerstag, Zeitraum 1, bis').fill('08:00');
    await save.click();
    const intervalError = rowError(page, '.ch-interval', 'Donnerstag, Zeitraum 1, von');
    await intervalError.getByText('Der Beginn 20:00 liegt nicht vor dem Ende 08:00; ein Zeitraum geht nicht über Mitternacht (24:00 ist das Tagesende).').waitFor();
    await summary.getByText('Anrufzeiten Donnerstag, Zeitraum 1: Der Beginn 20:00 liegt nicht vor dem Ende 08:00', { exact: false }).waitFor();

    // A number that is none: the server names the field only in its message.
    await page.getByLabel('Donnerstag, Zeitraum 1, von').fill('08:00');
    await page.getByLabel('Donnerstag, Zeitraum 1, bis').fill('20:00');
    await page.getByLabel('Zeitfenster 4, bis').fill('20:00');
    await page.getByLabel('Nicht anrufen (eine Nummer je Zeile)').fill('+49721123456\nkeine Nummer');
    await save.click();
    await page.locator('.field', { has: page.getByLabel('Nicht anrufen (eine Nummer je Zeile)') })
      .locator('.field-error').getByText('Keine gültige Telefonnummer: keine Nummer', { exact: true }).waitFor();
    expect(await summary.textContent()).toContain('Keine gültige Telefonnummer: keine Nummer');
    expect(await windowError.isHidden()).toBe(true);
    expect(await intervalError.isHidden()).toBe(true);

    // Two windows with one name would reach the server as one: the form says so and sends nothing.
    let patches = 0;
    page.on('request', (r) => void (r.method() === 'PATCH' && patches++));
    await page.getByRole('button', { name: '+ Zeitfenster hinzufügen' }).click();
    await page.getByLabel('Zeitfenster 5, Name').fill('morning');
    await save.click();
    await rowError(page, '.win-row', 'Zeitfenster 5, Name').getByText('Der Name „morning“ ist schon vergeben.').waitFor();
    await summary.getByText('Bitte prüfen:').waitFor();
    expect(patches).toBe(0);

    expect(await page.getByLabel('Versuche je Fall', { exact: true }).inputValue()).toBe('7');
    expect(await page.getByLabel('Nicht anrufen (eine Nummer je Zeile)').inputValue()).toBe('+49721123456\nkeine Nummer');
    expect(await stored(clientId)).toEqual(before);
    expect(errors).toEqual([]);
  });

  it('is reached by an admin from the clients page, and refused for a lead outside the client', async () => {
    const clientId = await createClient(t, admin, { code: 'WVB', name: 'Wasserverband' });
    const { user } = await t.userSession('admin');
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.getByRole('link', { name: 'Mandanten' }).click();
    await page.getByRole('row', { name: /Wasserverband/ }).getByRole('link', { name: 'Einstellungen' }).click();
    await page.getByRole('heading', { name: 'Einstellungen: Wasserverband' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Mandanten' }).getAttribute('class')).toBe('active');

    await page.getByLabel('Name', { exact: true }).fill('Wasserverband Nord');
    await page.getByLabel('Feiertage: Bundesland/Kanton').fill('bw');
    await page.getByLabel('Ergebnisliste an (E-Mail)').fill('inkasso@example.de');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Einstellungen gespeichert.').waitFor();
    await page.getByRole('heading', { name: 'Einstellungen: Wasserverband Nord' }).waitFor();
    expect(await stored(clientId)).toMatchObject({ name: 'Wasserverband Nord', holidays: { country: 'DE', state: 'BW' }, resultEmail: 'inkasso@example.de' });
    await page.getByRole('link', { name: '← Mandanten' }).click();
    await page.getByRole('cell', { name: 'Wasserverband Nord', exact: true }).waitFor();
    expect(errors).toEqual([]);

    const other = await t.userSession('lead', []);
    const lead = await ui.newPage();
    await loginAs(lead.page, other.user.username);
    await lead.page.goto(`/#/mandant/${clientId}`);
    await lead.page.getByRole('alert').getByText('Dafür fehlt Ihnen die Berechtigung.').waitFor();
    expect(await lead.page.getByRole('textbox').count()).toBe(0);
  });

  it('keeps what was typed when the session runs out: the login comes over the page, then saving works', async () => {
    const clientId = await createClient(t, admin, { code: 'SAB', name: 'Sitzungswerke Ablauf' });
    const { page, errors } = await leadOnSettings(clientId, 'Sitzungswerke Ablauf');
    const username = (await page.locator('.user-name').textContent())!;
    await page.getByLabel('Versuche je Fall', { exact: true }).fill('7');
    // The session ends behind the page's back (as when it expires); saving finds out.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await t.request('DELETE', '/api/session', { cookie })).status).toBe(204);
    await page.getByRole('button', { name: 'Speichern' }).click();
    const relogin = page.getByRole('dialog', { name: 'Erneut anmelden' });
    await relogin.getByText('Ihre Eingaben auf dieser Seite bleiben erhalten').waitFor();
    await page.keyboard.press('Escape'); // does not leave the page without a session
    await relogin.getByLabel('Benutzername').fill(username);
    await relogin.getByLabel('Passwort').fill('correct horse battery');
    await relogin.getByRole('button', { name: 'Anmelden' }).click();
    await relogin.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Versuche je Fall', { exact: true }).inputValue()).toBe('7');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await eventually(async () => (await stored(clientId)).maxAttempts === 7, 5_000, 'the edit stored');
    expect(errors).toEqual([]);
  });

  it('asks before a menu link or a reload drops unsaved edits, and before a saved outcome is removed', async () => {
    const clientId = await createClient(t, admin, { code: 'KWS', name: 'Kreiswerke Süd' });
    const declining = await leadOnSettings(clientId, 'Kreiswerke Süd');
    const { page } = declining;
    const listsLink = page.getByRole('navigation').getByRole('link', { name: 'Listen' });

    // A saved outcome: declined, it stays.
    expect(await page.getByLabel('Ergebnis 1, Code').inputValue()).toBe('paid');
    await page.getByRole('button', { name: 'Ergebnis 1 entfernen' }).click();
    expect(declining.dialogs).toEqual([
      'confirm: Ergebnis „Erledigt – bezahlt“ (paid) entfernen? Bisherige Versuche behalten den Code, zählen im LE-Bericht aber als „nicht erreicht“.',
    ]);
    expect(await page.getByLabel('Ergebnis 1, Code').inputValue()).toBe('paid');
    // One added and not saved yet goes without a question.
    const added = (await page.locator('.outcome-rows .outcome-row').count()) + 1;
    await page.getByRole('button', { name: '+ Ergebnis hinzufügen' }).click();
    await page.getByLabel(`Ergebnis ${added}, Code`).fill('neu');
    await page.getByRole('button', { name: `Ergebnis ${added} entfernen` }).click();
    expect(await page.getByLabel(`Ergebnis ${added}, Code`).count()).toBe(0);
    expect(declining.dialogs).toHaveLength(1);

    // Nothing changed: the menu leaves without asking.
    await listsLink.click();
    await page.getByRole('heading', { name: 'Mahnlisten' }).waitFor();
    expect(declining.dialogs).toHaveLength(1);

    // Edited: the menu asks; declined, the page and its edit stay.
    await page.locator('section.client', { hasText: 'Kreiswerke Süd' }).getByRole('link', { name: 'Einstellungen' }).click();
    await page.getByRole('heading', { name: 'Einstellungen: Kreiswerke Süd' }).waitFor();
    await page.getByLabel('Versuche je Fall', { exact: true }).fill('9');
    await listsLink.click();
    await eventually(async () => declining.dialogs.length === 2, 5_000, 'the question');
    expect(declining.dialogs[1]).toBe('confirm: Ihre Änderungen sind noch nicht gespeichert und gehen verloren. Seite trotzdem verlassen?');
    expect(new URL(page.url()).hash).toBe(`#/mandant/${clientId}`);
    expect(await page.getByLabel('Versuche je Fall', { exact: true }).inputValue()).toBe('9');
    // A reload asks the browser's own question.
    await page.reload();
    expect(declining.dialogs[2]).toBe('beforeunload: ');
    expect(declining.errors).toEqual([]);

    // Confirmed: the outcome goes, and so does the page.
    const { user } = await t.userSession('lead', [clientId]);
    const confirming = await ui.newPage({ acceptDialogs: true });
    await loginAs(confirming.page, user.username);
    await confirming.page.goto(`/#/mandant/${clientId}`);
    await confirming.page.getByRole('heading', { name: 'Einstellungen: Kreiswerke Süd' }).waitFor();
    await confirming.page.getByRole('button', { name: 'Ergebnis 1 entfernen' }).click();
    expect(await confirming.page.getByLabel('Ergebnis 1, Code').inputValue()).not.toBe('paid');
    await confirming.page.getByRole('navigation').getByRole('link', { name: 'Listen' }).click();
    await confirming.page.getByRole('heading', { name: 'Mahnlisten' }).waitFor();
    expect(confirming.dialogs).toEqual([expect.stringMatching(/^confirm: Ergebnis „Erledigt – bezahlt“/), expect.stringMatching(/^confirm: Ihre Änderungen sind noch nicht gespeichert/)]);
    expect(confirming.errors).toEqual([]);
  });
});
