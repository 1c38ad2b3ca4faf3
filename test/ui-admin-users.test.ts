import { and, eq, ne } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../src/db/schema.js';
import { loginAs, screenshot, useUiContext } from './helpers/browser.js';

const ctx = useUiContext();

/** An admin on the users page, with a user to work on. */
async function onUsersPage() {
  const { t, ui } = ctx;
  const { user } = await t.userSession('admin');
  const { page, errors } = await ui.newPage({ acceptDialogs: true });
  await loginAs(page, user.username);
  await page.getByRole('link', { name: 'Benutzer' }).click();
  await page.getByRole('heading', { name: 'Alle Benutzer' }).waitFor();
  return { page, errors, admin: user };
}

describe('the users page says in German why the server refused', () => {
  it('a username taken already (in any case), and a language code that is none', async () => {
    const { t } = ctx;
    const { user: anna } = await t.userSession('agent');
    const { page, errors } = await onUsersPage();
    const alert = page.getByRole('alert');

    await page.getByLabel('Benutzername').fill(anna.username.toUpperCase());
    await page.getByLabel('Anzeigename').fill('Anna Zwei');
    await page.getByLabel('Passwort').fill('anna-password-2');
    await page.getByRole('button', { name: 'Benutzer anlegen' }).click();
    await page.getByText(`Den Benutzernamen „${anna.username.toUpperCase()}“ gibt es schon (Groß-/Kleinschreibung zählt nicht). Bitte einen anderen wählen.`, { exact: true }).waitFor();
    expect(await alert.textContent()).not.toMatch(/taken|Konflikt|Details/);

    await page.getByLabel('Benutzername').fill('anna-zwei');
    await page.getByLabel('Sprachen').fill('de, Deutsch');
    await page.getByRole('button', { name: 'Benutzer anlegen' }).click();
    await page.getByText('Bitte prüfen: Sprachen: „deutsch“ ist kein Sprachkürzel; bitte zwei Kleinbuchstaben wie de, fr, it.', { exact: true }).waitFor();
    await screenshot(page, 'admin-users-refused');

    // The extension changed in place: its rule, not the general "invalid".
    await page.getByLabel(`Nebenstelle von ${anna.username}`).fill('22 1');
    await page.getByRole('row', { name: new RegExp(anna.username) }).getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Bitte prüfen: Nebenstelle: nur Buchstaben, Ziffern und * # + . _ - (höchstens 40 Zeichen), z. B. 221.', { exact: true }).waitFor();
    const names = (await t.db.select({ username: users.username }).from(users)).map((u) => u.username.toLowerCase());
    expect(names.filter((n) => n === anna.username || n === 'anna-zwei')).toEqual([anna.username]);
    expect(errors).toEqual([]);
  });

  it('the only active admin demoting themselves', async () => {
    const { t } = ctx;
    const { page, errors, admin } = await onUsersPage();
    // This file's other admins locked: the one on the page is the only active one.
    await t.db.update(users).set({ active: false }).where(and(eq(users.role, 'admin'), ne(users.id, admin.id)));

    await page.getByRole('button', { name: `${admin.username} bearbeiten` }).click();
    await page.getByLabel('Rolle').selectOption('lead');
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page
      .getByText('Das ist der einzige aktive Administrator: Er kann weder gesperrt noch herabgestuft werden. Bitte zuerst einen anderen Benutzer zum Administrator machen.', { exact: true })
      .waitFor();
    const [stored] = await t.db.select({ role: users.role }).from(users).where(eq(users.id, admin.id));
    expect(stored?.role).toBe('admin');
    expect(errors).toEqual([]);
  });
});
