import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { queueDueDeliveries } from '../src/delivery/deliveries.js';
import { loginAs, screenshot, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { completedList, readXlsx } from './helpers/results.js';
import { seedList } from './helpers/seed.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';
import { serviceDeps } from './helpers/workbooks.js';

let t: TestContext;
let smtp: TestSmtp;
let ui: Awaited<ReturnType<typeof startUi>>;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext({ SMTP_URL: smtp.url }, { clock: systemClock });
  await t.runWorkers();
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
  await smtp?.close();
});

describe('result list on the lead’s screen', () => {
  it('shows progress and delivery, downloads the result list and sends it again', async () => {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, { ...fastRules, code: 'SWM', name: 'Stadtwerke Muster', resultEmail: 'forderung@swm.example' });
    const { user } = await t.userSession('lead', [clientId]);
    const agentId = (await t.userSession('agent', [clientId])).user.id;
    const listId = await completedList(t, clientId, agentId, 3);
    const running = await seedList(t, clientId, 4);
    await queueDueDeliveries(serviceDeps(t));
    await eventually(async () => smtp.mails.length === 1, 20_000, 'the first mail');

    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    const row = page.locator(`tr[data-list-id="${listId}"]`);
    await row.getByText('3 von 3 abgeschlossen').waitFor();
    await row.getByText(/^Ergebnisliste gesendet/).waitFor();
    await page.locator(`tr[data-list-id="${running.listId}"]`).getByText('0 von 4 abgeschlossen').waitFor();

    await row.getByRole('link', { name: 'Fortschritt' }).click();
    const box = page.getByTestId('results');
    await box.getByText('forderung@swm.example').first().waitFor();
    await box.getByTestId('delivery-status').getByText('gesendet').waitFor();
    await screenshot(page, 'lead-result-list');

    const [download] = await Promise.all([page.waitForEvent('download'), box.getByTestId('download-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^Ergebnisliste_SWM_Testliste_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const sheets = await readXlsx(await readFile((await download.path())!));
    expect(sheets.get('Ergebnisliste')).toHaveLength(4);
    expect(sheets.get('Ergebnisliste')![1]!.slice(-12, -10)).toEqual(['Erledigt – bezahlt', 'paid']);

    // A lead sends again to the client's address only; another address is for admins.
    expect(await box.getByLabel('Senden an').count()).toBe(0);
    await box.getByRole('button', { name: 'Erneut senden' }).click();
    await box.getByText('Ergebnisliste wird an forderung@swm.example gesendet.').waitFor();
    await box.getByRole('cell', { name: '2 (von Hand)' }).waitFor({ timeout: 15_000 });
    await eventually(async () => smtp.mails.length === 2, 20_000, 'the second mail');
    expect(smtp.mails[1]!.to && !Array.isArray(smtp.mails[1]!.to) ? smtp.mails[1]!.to.text : '').toBe('forderung@swm.example');

    await page.goto(`/#/liste/${running.listId}`);
    await page.getByTestId('results').getByText('Zwischenstand herunterladen (Excel)').waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('sends to an address an admin typed only once the admin confirmed it', async () => {
    const { cookie: admin, user } = await t.userSession('admin');
    const clientId = await createClient(t, admin, { ...fastRules, code: 'ABC', name: 'Abc Energie' });
    const agentId = (await t.userSession('agent', [clientId])).user.id;
    const listId = await completedList(t, clientId, agentId, 1);
    const rounds = async () => (await t.request('GET', `/api/lists/${listId}/deliveries`, { cookie: admin })).body.length;

    // Declined: nothing is sent, the typed address stays to be corrected.
    const declining = await ui.newPage();
    await loginAs(declining.page, user.username);
    await declining.page.goto(`/#/liste/${listId}`);
    const box = declining.page.getByTestId('results');
    await box.getByLabel('Senden an').fill('forderung@abc-enrgie.example');
    await box.getByRole('button', { name: 'Senden' }).click();
    await eventually(async () => declining.dialogs.length > 0, 5_000, 'the question');
    expect(declining.dialogs).toEqual(['confirm: Die Ergebnisliste mit den Kundendaten wird an forderung@abc-enrgie.example gesendet (nicht an die hinterlegte Adresse). Adresse richtig?']);
    expect(await box.getByLabel('Senden an').inputValue()).toBe('forderung@abc-enrgie.example');
    expect(await rounds()).toBe(0);

    const confirming = await ui.newPage({ acceptDialogs: true });
    await loginAs(confirming.page, user.username);
    await confirming.page.goto(`/#/liste/${listId}`);
    await confirming.page.getByTestId('results').getByLabel('Senden an').fill('forderung@abc-energie.example');
    await confirming.page.getByTestId('results').getByRole('button', { name: 'Senden' }).click();
    await confirming.page.getByText('Ergebnisliste wird an forderung@abc-energie.example gesendet.').waitFor();
    expect(await rounds()).toBe(1);
    expect([...declining.errors, ...confirming.errors]).toEqual([]);
  });
});
