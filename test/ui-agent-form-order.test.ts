import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { cases } from '../src/db/schema.js';
import { loginAs, pullCase, screenshot, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/**
 * The outcome form books what the customer said: no callback window chosen for the agent (the
 * database's key order put „Mittag“ first, and 7 + Ctrl+Enter booked it), the callback gap as
 * the server keeps it, and on the last attempt only the hint of what the server will do.
 */
let t: TestContext;
let ui: Awaited<ReturnType<typeof startUi>>;
let admin: string;

beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
});

const NO_WINDOW = 'Bitte ein Zeitfenster für den Rückruf wählen.';
const NEXT_NUMBER_HINT = 'Die Nummer wird als falsch markiert; der Fall kommt mit der nächsten Nummer wieder.';

/** The outcomes the page posts, as they go out. */
function postedOutcomes(page: Page): Array<Record<string, any>> {
  const posted: Array<Record<string, any>> = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/outcome')) posted.push(r.postDataJSON());
  });
  return posted;
}

describe('callback window in the outcome form', () => {
  it('lists the windows by start time with none chosen, refuses a window callback without one next to the field, and keeps the exact time working', async () => {
    // The default windows (morning, midday, afternoon, evening), stored as jsonb: midday, evening, morning, afternoon.
    const { windows: _oneWindow, ...allDay } = fastRules;
    const clientId = await createClient(t, admin, { ...allDay, name: 'Stadtwerke Muster', retryDelaySeconds: 3600 });
    const { cases: [first, second] } = await seedList(t, clientId, 2);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    const posted = postedOutcomes(page);
    await loginAs(page, user.username);
    await pullCase(page);

    await page.keyboard.press('7');
    await page.getByRole('button', { name: 'Später noch mal anrufen' }).and(page.locator('[aria-pressed=true]')).waitFor();
    const select = page.getByRole('combobox', { name: 'Zeitfenster' });
    expect(await select.locator('option').allTextContents()).toEqual([
      '– Zeitfenster wählen –',
      'Vormittag (08:00–12:00)',
      'Mittag (12:00–14:00)',
      'Nachmittag (14:00–17:00)',
      'Abend (17:00–20:00)',
    ]);
    expect(await select.inputValue()).toBe('');
    await page.getByText('leer = nächstes passendes Zeitfenster, frühestens 30 Minuten nach dem Gespräch – oder nach der Wartezeit bis zum nächsten Versuch, falls diese kürzer ist').waitFor();

    // Ctrl+Enter with no window chosen: nothing goes out; the field says why and has the focus.
    await page.keyboard.press('j');
    await page.keyboard.press('Control+Enter');
    const problem = page.locator('.field', { has: select }).locator('.field-error');
    await problem.getByText(NO_WINDOW, { exact: true }).waitFor();
    expect(await select.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('combobox', { name: 'Zeitfenster', description: NO_WINDOW }).count()).toBe(1);
    expect(await select.evaluate((el) => el.matches(':focus'))).toBe(true);
    expect(await page.locator('.form-error').textContent()).toBe('');
    await screenshot(page, 'agent-callback-no-window');
    expect(posted).toEqual([]);

    await select.selectOption('evening');
    expect(await problem.isVisible()).toBe(false);
    await page.keyboard.press('Control+Enter');
    await page.getByText('Ergebnis gespeichert: Später noch mal anrufen').waitFor();
    expect(posted).toEqual([expect.objectContaining({ outcome: 'callback', callback: { window: 'evening', owner: 'anyone' } })]);
    await attemptsRecorded(t, first!.id, 1);

    // An exact time needs no window.
    await pullCase(page);
    expect(await page.getByTestId('case-name').textContent()).toBe(second!.name);
    await page.getByRole('button', { name: 'Später noch mal anrufen' }).click();
    await page.getByLabel('Genaue Uhrzeit').check();
    const at = DateTime.now().setZone('Europe/Berlin').plus({ hours: 2 }).startOf('minute');
    await page.getByLabel('Datum und Uhrzeit').fill(at.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Richtige Person erreicht: ja').check();
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Ergebnis gespeichert: Später noch mal anrufen').waitFor();
    expect(posted[1]).toMatchObject({ outcome: 'callback', callback: { owner: 'anyone' } });
    expect(new Date(posted[1]!.callback.at).getTime()).toBe(at.toMillis());
    await attemptsRecorded(t, second!.id, 1);
    expect(errors).toEqual([]);
  });
});

describe('"Falsche Nummer" on the last attempt', () => {
  it('with another number left says only that the case closes, as the server closes it', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, name: 'Stadtwerke Muster', maxAttempts: 1 });
    const { cases: [seeded] } = await seedList(t, clientId, [{ name: 'Erika Mustermann', phones: ['+497211234567', '+491701234567'] }]);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await pullCase(page);
    expect(await page.getByTestId('attempt').textContent()).toBe('Versuch 1 von 1');

    await page.getByRole('button', { name: 'Falsche Nummer' }).click();
    await page.getByTestId('last-try').waitFor();
    expect(await page.getByText(NEXT_NUMBER_HINT).count()).toBe(0);
    expect(await page.locator('.outcome-extras .notice').count()).toBe(1);
    await screenshot(page, 'agent-last-try-wrong-number');
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Ergebnis gespeichert: Falsche Nummer (letzter Versuch, Fall abgeschlossen) – Erika Mustermann').waitFor();
    await attemptsRecorded(t, seeded!.id, 1);
    const [c] = await t.db.select().from(cases).where(eq(cases.id, seeded!.id));
    expect([c!.status, c!.finalOutcome]).toEqual(['closed', 'max_attempts']);
    expect(errors).toEqual([]);
  });

  it('before the last attempt still says the case comes back with the next number', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, name: 'Stadtwerke Muster', maxAttempts: 2 });
    await seedList(t, clientId, [{ phones: ['+497219876543', '+491709876543'] }]);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await pullCase(page);
    await page.getByRole('button', { name: 'Falsche Nummer' }).click();
    await page.getByText(NEXT_NUMBER_HINT).waitFor();
    expect(await page.getByTestId('last-try').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
