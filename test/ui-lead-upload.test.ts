import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dunningLists } from '../src/db/schema.js';
import { loginAs, screenshot, useUiContext } from './helpers/browser.js';
import { createClient } from './helpers/dispatch.js';

const ctx = useUiContext();

/** A lead of a new client on the lists page, and that client's upload form. */
async function leadOnLists(code: string, name: string) {
  const { t, ui, admin } = ctx;
  const clientId = await createClient(t, admin, { code, name });
  const { user } = await t.userSession('lead', [clientId]);
  const { page, errors } = await ui.newPage();
  await loginAs(page, user.username);
  const client = page.locator('section.client', { hasText: name });
  await client.getByText('Noch keine Liste importiert.').waitFor();
  return { clientId, page, errors, client };
}

const csv = (text: string) => ({ name: 'mahnliste.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

async function choose(client: ReturnType<Page['locator']>, file: ReturnType<typeof csv>) {
  await client.getByLabel('Datei (.xlsx oder .csv)').setInputFiles(file);
}

describe('the lead\'s upload says in German what is wrong with the file', () => {
  it('a missing column: which, the names accepted for it, and the headers the file has', async () => {
    const { page, errors, client } = await leadOnLists('SPA', 'Spaltenwerke');
    await choose(client, csv('Mahnlauf November\n\nKundennummer;Name;Mahnsumme;Bemerkung\nK1;Anna Schmidt;12,50;\n'));
    await client.getByRole('button', { name: 'Probelauf' }).click();
    const refusal = client.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'Es fehlt die Pflichtspalte „Telefon“. Als Telefon erkannt werden z. B. „Telefon“, „Telefonnummer“, „Tel.“, „Tel.-Nr.“. ' +
        'Die Kopfzeile (Zeile 3) enthält: „Kundennummer“, „Name“, „Mahnsumme“, „Bemerkung“. ' +
        'Bitte die Spalte in der Datei ergänzen oder umbenennen und erneut hochladen.',
    );
    await screenshot(page, 'lead-upload-missing-column');
    expect(errors).toEqual([]);
  });

  it('a file imported before: as which list, when, with a link to it', async () => {
    const { t } = ctx;
    const { clientId, page, errors, client } = await leadOnLists('DOP', 'Doppelwerke');
    const file = csv('Kundennummer;Name;Telefon;Betrag\nK1;Anna Schmidt;0721 1234567;12,50\n');
    await choose(client, file);
    await client.getByLabel('Listenname (optional)').fill('Mahnlauf Oktober');
    await client.getByRole('button', { name: 'Probelauf' }).click();
    await client.getByRole('button', { name: /^Importieren/ }).click();
    await client.getByText('Import gestartet').waitFor();
    const [earlier] = await t.db.select({ id: dunningLists.id, createdAt: dunningLists.createdAt }).from(dunningLists).where(eq(dunningLists.clientId, clientId));
    const day = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' }).format(earlier!.createdAt);

    await choose(client, file);
    await client.getByRole('button', { name: 'Probelauf' }).click();
    await client.getByRole('button', { name: /^Importieren/ }).click();
    const warning = client.getByRole('alert');
    await warning.getByText('Diese Datei wurde bereits als Liste', { exact: false }).waitFor();
    expect(await warning.textContent()).toBe(`Diese Datei wurde bereits als Liste „Mahnlauf Oktober“ vom ${day} importiert. Wirklich noch einmal importieren?`);
    await screenshot(page, 'lead-upload-duplicate');
    await warning.getByRole('link', { name: 'Mahnlauf Oktober' }).click();
    await page.waitForURL(`**/#/liste/${earlier!.id}`);
    await page.getByRole('heading', { name: 'Mahnlauf Oktober' }).waitFor();
    expect(errors).toEqual([]);
  });
});
