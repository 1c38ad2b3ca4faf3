import { describe, it } from 'vitest';
import { loginAs, useUiContext } from './helpers/browser.js';
import { createClient } from './helpers/dispatch.js';

/** The client settings speak of „Mitarbeiter“, as every other screen does, not of „Agenten“. */
const ctx = useUiContext();

describe('client settings, "Aktiv"', () => {
  it('says what pausing a client does to the Mitarbeiter', async () => {
    const { t, ui, admin } = ctx;
    const clientId = await createClient(t, admin, { code: 'SWM', name: 'Stadtwerke Muster' });
    const { user } = await t.userSession('lead', [clientId]);
    const { page } = await ui.newPage();
    await loginAs(page, user.username);
    await page.locator('section.client', { hasText: 'Stadtwerke Muster' }).getByRole('link', { name: 'Einstellungen' }).click();
    await page
      .getByText(
        'Inaktiv: Mitarbeiter erhalten keine Fälle dieses Mandanten (auch keine persönlichen Rückrufe), bis er wieder aktiv ist. Listen können weiter hochgeladen, Ergebnislisten heruntergeladen und versendet werden.',
        { exact: true },
      )
      .waitFor();
  });
});
