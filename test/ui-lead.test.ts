import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { loginAs, screenshot, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';
import { ne } from 'drizzle-orm';
import { assignments, cases, dunningLists } from '../src/db/schema.js';

const SAMPLE = fileURLToPath(new URL('../examples/mahnliste-stadtwerke-muster.xlsx', import.meta.url));

let t: TestContext;
let ui: Awaited<ReturnType<typeof startUi>>;
let admin: string;

beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers(); // the imports worker makes the list active
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
});

describe('team lead screen', () => {
  it('refuses a wrong password in German', async () => {
    const { user } = await t.userSession('lead');
    const { page } = await ui.newPage();
    await page.getByLabel('Benutzername').fill(user.username);
    await page.getByLabel('Passwort').fill('wrong password');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('alert').getByText('Benutzername oder Passwort falsch').waitFor();

    // Over the limit from the browser's address (the same loopback): the form says how long to wait (Retry-After).
    for (let i = 0; i < t.config.LOGIN_MAX_FAILURES; i++) {
      await fetch(`${ui.baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password: 'wrong password' }) });
    }
    await page.getByLabel('Passwort').fill('correct horse battery');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('alert').getByText(/^Zu viele Fehlversuche\. Bitte in \d+ Sekunden erneut versuchen\.$/).waitFor();
  });

  it('serves the UI with security headers and leaves unknown API paths a JSON 404', async () => {
    const html = await fetch(`${ui.baseUrl}/`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(html.headers.get('x-frame-options')).toBe('DENY');
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html.headers.get('referrer-policy')).toBe('same-origin');
    expect(html.headers.get('cache-control')).toBe('no-cache');
    expect(await html.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts
    expect((await fetch(`${ui.baseUrl}/js/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    const api = await fetch(`${ui.baseUrl}/api/nope`);
    expect([api.status, await api.json()]).toEqual([404, { error: { code: 'not_found', message: 'No route for GET /api/nope' } }]);
    expect((await fetch(`${ui.baseUrl}/../package.json`)).status).toBe(404);
    expect((await fetch(`${ui.baseUrl}/nothing-here.js`)).status).toBe(404);
  });

  it('dry-runs the sample list, imports it, sees it active, watches progress and cancels it', async () => {
    const clientId = await createClient(t, admin, { code: 'SWM', name: 'Stadtwerke Muster' });
    const { user } = await t.userSession('lead', [clientId]);
    const { page, errors, dialogs } = await ui.newPage({ acceptDialogs: true });
    await loginAs(page, user.username);

    const client = page.locator('section.client', { hasText: 'Stadtwerke Muster' });
    await client.getByText('Noch keine Liste importiert.').waitFor();
    await client.getByLabel('Datei (.xlsx oder .csv)').setInputFiles(SAMPLE);
    await client.getByRole('button', { name: 'Probelauf' }).click();

    const report = client.getByTestId('report');
    await report.waitFor();
    const bad = report.getByRole('row').filter({ has: page.getByRole('cell', { name: '146', exact: true }) });
    expect(await bad.getByRole('cell').allTextContents()).toEqual(['146', expect.any(String), 'abc', expect.stringMatching(/^Kein Betrag/)]);
    expect(await report.locator('tbody tr').count()).toBe(3);
    await report.getByTestId('report-sheet').getByText('Gelesen aus Blatt „Mahnliste“.').waitFor();
    await report.getByTestId('report-countries').getByText(/^\d+ Zeilen Deutschland, erkannt/).waitFor();
    await screenshot(page, 'lead-dry-run');

    await client.getByRole('button', { name: /^Importieren/ }).click();
    await client.getByText('Import gestartet').waitFor();
    const row = client.locator('tbody tr', { hasText: 'mahnliste-stadtwerke-muster.xlsx' });
    await row.getByTestId('list-status').filter({ hasText: 'aktiv' }).waitFor({ timeout: 20_000 });

    await row.getByRole('link', { name: 'Fortschritt' }).click();
    await page.getByRole('heading', { name: 'Fortschritt' }).waitFor();
    await page.getByRole('heading', { name: 'Importbericht' }).waitFor();
    const total = page.locator('.tile', { hasText: 'Gesamt' }).locator('.tile-value');
    expect(await total.textContent()).toBe('297');
    await screenshot(page, 'lead-progress');

    await page.getByRole('button', { name: 'Liste abbrechen' }).click();
    await page.getByText('Liste abgebrochen. Offene Fälle wurden geschlossen.').waitFor();
    await page.getByTestId('list-status').filter({ hasText: 'abgebrochen' }).waitFor();
    expect(dialogs).toEqual([expect.stringMatching(/^confirm: Liste wirklich abbrechen\?/)]);
    expect(errors).toEqual([]);
  });

  it('says in German why a list was not imported, with the server’s detail', async () => {
    const clientId = await createClient(t, admin, { code: 'FEH', name: 'Fehlerwerke' });
    const { user } = await t.userSession('lead', [clientId]);
    const detail = 'No row of the list could be imported; see the report.';
    const [list] = await t.db
      .insert(dunningLists)
      .values({ clientId, name: 'Mahnlauf Dezember', status: 'failed', fileName: 'dezember.xlsx', fileSha256: 'x', fileBytes: 1, error: detail, errorCode: 'none_accepted' })
      .returning({ id: dunningLists.id });
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);

    const german = `Es wurde nichts importiert. Keine Zeile konnte übernommen werden; die Gründe stehen im Importbericht. (Details: ${detail})`;
    const row = page.locator('section.client', { hasText: 'Fehlerwerke' }).locator('tbody tr', { hasText: 'dezember.xlsx' });
    await row.getByText(german).waitFor();
    await row.getByRole('link', { name: 'Fortschritt' }).click();
    await page.waitForURL(`**/#/liste/${list!.id}`);
    await page.getByRole('heading', { name: 'Import fehlgeschlagen' }).waitFor();
    await page.getByText(german).waitFor();
    expect(errors).toEqual([]);
  });

  it('shows a paused client\'s list as paused, and never rounds open cases up to 100 %', async () => {
    const clientId = await createClient(t, admin, { code: 'PAU', name: 'Pausenwerke' });
    const { listId, cases: seeded } = await seedList(t, clientId, 200);
    // 199 of 200 closed: 99.5 %, which is not done.
    await t.db.update(cases).set({ status: 'closed', finalOutcome: 'paid' }).where(ne(cases.id, seeded[0]!.id));
    expect((await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { active: false } })).status).toBe(200);
    // An agent holds the open case since yesterday (a tab left open): the date says so.
    const agent = (await t.userSession('agent', [clientId])).user;
    const yesterday = new Date(Date.now() - 86_400_000);
    await t.db.insert(assignments).values({ caseId: seeded[0]!.id, agentId: agent.id, attemptNo: 1, queue: 'calls-x', jobId: `${seeded[0]!.id}-a1`, lockToken: 't', assignedAt: yesterday, expiresAt: new Date(Date.now() + 3_600_000) });
    const { user } = await t.userSession('lead', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.goto(`/#/liste/${listId}`);
    await page.getByText('Der Mandant ist pausiert (nicht „Aktiv“): seine Fälle werden nicht ausgegeben.').waitFor();
    await page.getByText('Fällig, Mandant pausiert').waitFor();
    await page.getByText('99 % abgeschlossen').waitFor();
    const since = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: '2-digit', hour: '2-digit', minute: '2-digit' }).format(yesterday);
    await page.getByRole('cell', { name: since }).waitFor();
    expect(await page.getByText('Jetzt anrufbar').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('after the session ran out, logging in again returns to the page the lead was on', async () => {
    const clientId = await createClient(t, admin, { code: 'SIT', name: 'Sitzungswerke' });
    const { user } = await t.userSession('lead', [clientId]);
    const [list] = await t.db
      .insert(dunningLists)
      .values({ clientId, name: 'Mahnlauf Januar', status: 'failed', fileName: 'januar.xlsx', fileSha256: 'y', fileBytes: 1, error: 'x', errorCode: 'corrupt' })
      .returning({ id: dunningLists.id });
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.goto(`/#/liste/${list!.id}`);
    await page.getByRole('heading', { name: 'Import fehlgeschlagen' }).waitFor();
    // The session ends behind the page's back (as when it expires); its next request finds out.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await t.request('DELETE', '/api/session', { cookie })).status).toBe(204);
    await page.reload();
    await loginAs(page, user.username);
    await page.getByRole('heading', { name: 'Import fehlgeschlagen' }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/liste/${list!.id}`);
    expect(errors).toEqual([]);
  });

  it('lets an admin change a user: clients, password, and locking the account (asked first)', async () => {
    const first = await createClient(t, admin, { code: 'ALT', name: 'Altwerke' });
    const second = await createClient(t, admin, { code: 'NEU', name: 'Neuwerke' });
    const { user: agent } = await t.userSession('agent', [first]);
    const { user } = await t.userSession('admin');
    const { page, errors, dialogs } = await ui.newPage({ acceptDialogs: true });
    await loginAs(page, user.username);
    await page.getByRole('link', { name: 'Benutzer' }).click();
    await page.getByRole('button', { name: `${agent.username} bearbeiten` }).click();
    await page.getByRole('heading', { name: `Benutzer ${agent.username} ändern` }).waitFor();
    await page.getByLabel('Altwerke (ALT)').uncheck();
    await page.getByLabel('Neuwerke (NEU)').check();
    await page.getByLabel('Passwort').fill('neues-passwort-2026');
    await page.getByRole('checkbox', { name: /Aktiv \(gesperrt/ }).uncheck();
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.getByText(`Benutzer ${agent.username} geändert.`).waitFor();
    expect(dialogs).toEqual([expect.stringMatching(new RegExp(`^confirm: Benutzer ${agent.username} sperren\\?`))]);
    const shown = (await t.request('GET', `/api/users/${agent.id}`, { cookie: admin })).body;
    expect(shown).toMatchObject({ active: false, clientIds: [second] });
    expect((await t.request('POST', '/api/session', { body: { username: agent.username, password: 'neues-passwort-2026' } })).status).toBe(401);

    // Unlocked again: the new password logs in.
    await page.getByRole('button', { name: `${agent.username} bearbeiten` }).click();
    await page.getByRole('checkbox', { name: /Aktiv \(gesperrt/ }).check();
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.getByText(`Benutzer ${agent.username} geändert.`).waitFor();
    expect((await t.request('POST', '/api/session', { body: { username: agent.username, password: 'neues-passwort-2026' } })).status).toBe(200);
    expect(dialogs).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('keeps the keyboard focus on the list page across its refreshes', async () => {
    const clientId = await createClient(t, admin, { code: 'FOK', name: 'Fokuswerke' });
    const { listId } = await seedList(t, clientId, 2);
    const { user } = await t.userSession('lead', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.goto(`/#/liste/${listId}`);
    const cancel = page.getByRole('button', { name: 'Liste abbrechen' });
    await cancel.focus();
    // Two more polls of the progress (every 3 s): the button is the same element, still focused.
    for (let i = 0; i < 2; i++) await page.waitForResponse((r) => r.url().endsWith(`/api/lists/${listId}/progress`));
    expect(await cancel.evaluate((b) => b.matches(':focus'))).toBe(true);
    expect(await page.locator('[aria-live] .progress-card, .progress-card[aria-live]').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('lets an admin create a client and a user for it', async () => {
    const { user } = await t.userSession('admin');
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.getByRole('link', { name: 'Mandanten' }).click();
    await page.getByLabel('Kürzel').fill('EVB');
    await page.getByLabel('Name', { exact: true }).fill('Energieversorgung Beispiel');
    await page.getByLabel('Ergebnisliste an (E-Mail)').fill('inkasso@example.de');
    await page.getByRole('button', { name: 'Anlegen' }).click();
    await page.getByRole('cell', { name: 'Energieversorgung Beispiel', exact: true }).waitFor();

    await page.getByRole('link', { name: 'Benutzer' }).click();
    await page.getByLabel('Benutzername').fill('berta');
    await page.getByLabel('Anzeigename').fill('Berta Beispiel');
    await page.getByLabel('Passwort').fill('berta-password-1');
    await page.getByLabel('Rolle').selectOption('agent');
    await page.getByLabel('Sprachen').fill('de, fr');
    await page.locator('input[name="extension"]').fill('221');
    await page.getByLabel('Energieversorgung Beispiel (EVB)').check();
    await page.getByRole('button', { name: 'Benutzer anlegen' }).click();
    await page.getByText('Benutzer berta angelegt.').waitFor();
    const row = page.getByRole('row', { name: /berta/ });
    // The message comes before the table is drawn again with the new user in it.
    await expect.poll(async () => (await row.getByRole('cell').allTextContents()).map((c) => c.trim()), { timeout: 10_000 }).toEqual(['berta', 'Berta Beispiel', 'Mitarbeiter', 'EVB', 'DE, FR', 'Speichern', 'aktiv', 'Bearbeiten']);
    // The extension for click-to-dial, changed in place.
    const extension = page.getByLabel('Nebenstelle von berta');
    expect(await extension.inputValue()).toBe('221');
    await extension.fill('4711');
    await row.getByRole('button', { name: 'Speichern' }).click();
    await row.getByText('gespeichert').waitFor();
    const users = (await t.request('GET', '/api/users', { cookie: (await t.userSession('admin')).cookie })).body as Array<{ username: string; extension: string | null }>;
    expect(users.find((u) => u.username === 'berta')?.extension).toBe('4711');
    expect(errors).toEqual([]);
  });
});
