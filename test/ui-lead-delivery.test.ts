import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { deliveries, dunningLists } from '../src/db/schema.js';
import { loginAs, useUiContext } from './helpers/browser.js';
import { createClient } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

const ctx = useUiContext();

/** A seeded list closed as `status`, with one delivery round in `delivery` (none when null). */
async function closedList(clientId: string, status: 'completed' | 'cancelled', delivery: 'sent' | 'failed' | 'retrying' | 'unknown' | null): Promise<string> {
  const { t } = ctx;
  const { listId } = await seedList(t, clientId, 1);
  await t.db.update(dunningLists).set({ status, completedAt: new Date() }).where(eq(dunningLists.id, listId));
  if (delivery) {
    await t.db.insert(deliveries).values({ listId, round: 1, recipient: 'forderung@swm.example', status: delivery, tries: 1, sentAt: delivery === 'sent' ? new Date() : null });
  }
  return listId;
}

describe('result-list delivery on the lead’s lists', () => {
  it('shows each delivery problem in the overview, and a cancelled list as not sent by itself', async () => {
    const { t, ui, admin } = ctx;
    const clientId = await createClient(t, admin, { code: 'SWM', name: 'Stadtwerke Muster', resultEmail: 'forderung@swm.example' });
    const { user } = await t.userSession('lead', [clientId]);
    const lists = {
      sent: await closedList(clientId, 'completed', 'sent'),
      failed: await closedList(clientId, 'completed', 'failed'),
      retrying: await closedList(clientId, 'completed', 'retrying'),
      unknown: await closedList(clientId, 'completed', 'unknown'),
      none: await closedList(clientId, 'completed', null),
      cancelled: await closedList(clientId, 'cancelled', null),
    };
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    const row = (id: string) => page.locator(`tr[data-list-id="${id}"]`);
    await row(lists.sent).getByText(/^Ergebnisliste gesendet/).waitFor();
    const badge = async (id: string) => (await row(id).getByTestId('list-delivery').textContent())?.trim();
    expect(await badge(lists.failed)).toBe('Versand fehlgeschlagen');
    expect(await badge(lists.retrying)).toBe('Versand wird wiederholt');
    expect(await badge(lists.unknown)).toBe('Versand unklar – bitte prüfen');
    expect(await badge(lists.none)).toBe('noch nicht gesendet');
    await row(lists.cancelled).getByText('Ergebnisliste wird nicht automatisch gesendet').waitFor();
    expect(await row(lists.cancelled).getByTestId('list-delivery').count()).toBe(0);

    // The cancelled list's page does not pretend it was sent: „Senden“, not „Erneut senden“.
    await row(lists.cancelled).getByRole('link', { name: 'Fortschritt' }).click();
    const box = page.getByTestId('results');
    await box.getByText(/die Ergebnisliste wird nicht automatisch gesendet/).waitFor();
    expect(await box.getByText(/^Versand an/).count()).toBe(0);
    expect(await box.getByRole('button', { name: 'Erneut senden' }).count()).toBe(0);
    await box.getByRole('button', { name: 'Senden', exact: true }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('says so when the client has no result address: such a list is never sent by itself', async () => {
    const { t, ui, admin } = ctx;
    const clientId = await createClient(t, admin, { code: 'OHNE', name: 'Ohne Adresse' });
    const { user } = await t.userSession('lead', [clientId]);
    const listId = await closedList(clientId, 'completed', null);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    const row = page.locator(`tr[data-list-id="${listId}"]`);
    await row.getByText('Keine Ergebnisadresse hinterlegt: Ergebnisliste herunterladen oder senden').waitFor();
    expect(await row.getByTestId('list-delivery').count()).toBe(0);

    // Completed before the client got its address: the sweep does not send it either.
    expect((await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { resultEmail: 'forderung@ohne.example' } })).status).toBe(200);
    await t.db.update(dunningLists).set({ completedAt: new Date(Date.now() - 86_400_000) }).where(eq(dunningLists.id, listId));
    await page.reload();
    await row.getByText('Vor der Ergebnisadresse abgeschlossen: wird nicht automatisch gesendet, bitte senden').waitFor();
    expect(await row.getByTestId('list-delivery').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
