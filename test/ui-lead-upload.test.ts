import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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
});
