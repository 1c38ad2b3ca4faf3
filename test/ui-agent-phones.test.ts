import { asc, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { attempts, cases } from '../src/db/schema.js';
import { loginAs, pullCase, screenshot, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let ui: Awaited<ReturnType<typeof startUi>>;
let admin: string;

const NEXT_HINT = 'Die Nummer wird als falsch markiert; der Fall kommt mit der nächsten Nummer wieder.';
const LAST_HINT = 'Keine weitere Nummer – der Fall wird abgeschlossen.';

beforeAll(async () => {
  // BullMQ and the browser both run on the real clock.
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
});

/** A case of a client callable all day, with two numbers written as a client's file has them. */
async function caseWithTwoNumbers(landline: [string, string], mobile: [string, string]) {
  const clientId = await createClient(t, admin, { ...fastRules, name: 'Stadtwerke Muster' });
  const { cases: [seeded] } = await seedList(t, clientId, [{ name: 'Erika Mustermann', phones: [landline[0], mobile[0]] }]);
  await t.db
    .update(cases)
    .set({
      phoneRaw: landline[1],
      phones: [
        { e164: landline[0], raw: landline[1], kind: 'Telefon', status: 'active' },
        { e164: mobile[0], raw: mobile[1], kind: 'Mobil', status: 'active' },
      ],
    })
    .where(eq(cases.id, seeded!.id));
  return { clientId, caseId: seeded!.id };
}

/**
 * A softphone takes tel: links; without one, headless Chromium hands them to the system and
 * ignores clicks on the page afterwards. The page's own click handlers still run.
 */
const withoutDialer = (page: Page) =>
  page.evaluate(`document.addEventListener('click', (e) => { if (e.target.closest('a[href^="tel:"]')) e.preventDefault(); })`);

describe('agent screen, several numbers', () => {
  it('marks the number dialled wrong, brings the case back with the next one, and records which number was dialled', async () => {
    const landline = ['+497211234567', '0721 1234567'] as [string, string];
    const mobile = ['+491701234567', '0170 1234567'] as [string, string];
    const { clientId, caseId } = await caseWithTwoNumbers(landline, mobile);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors, dialogs } = await ui.newPage();
    await loginAs(page, user.username);
    await withoutDialer(page);
    await pullCase(page);

    // The card: the landline to dial first, the mobile below it, both with their kinds and links,
    // international first and as the list wrote them after it.
    const current = page.locator('.fact-phone .fact-label');
    expect(await current.textContent()).toBe('Telefon zuerst wählen');
    expect(await page.getByTestId('phone').textContent()).toBe('+49 721 1234567');
    expect(await page.locator('.fact-phone > .phone-listed').textContent()).toBe(landline[1]);
    const others = page.getByTestId('other-phones').getByRole('listitem');
    expect(await others.count()).toBe(1);
    expect(await others.locator('.phone-kind').textContent()).toBe('Mobil');
    expect(await others.textContent()).toBe(`Mobil+49 170 1234567${mobile[1]}`);
    const mobileLink = others.getByRole('link', { name: '+49 170 1234567' });
    expect(decodeURIComponent((await mobileLink.getAttribute('href'))!)).toBe(`tel:${mobile[0]}`);

    // The form: which number was dialled, the current one by default; a dial link chooses its number.
    const choice = page.getByRole('group', { name: 'Gewählte Nummer' });
    const landlineRadio = choice.getByRole('radio', { name: `Telefon +49 721 1234567 (${landline[1]})`, exact: true });
    const mobileRadio = choice.getByRole('radio', { name: `Mobil +49 170 1234567 (${mobile[1]})`, exact: true });
    expect(await landlineRadio.isChecked()).toBe(true);
    // Without a phone system the link dials: the screen reports it, so that a release would hold the case.
    const reported = page.waitForRequest((r) => r.url().endsWith('/link-dialled'));
    await mobileLink.click();
    expect((await reported).postDataJSON()).toEqual({ phone: mobile[0] });
    expect(await mobileRadio.isChecked()).toBe(true);
    await landlineRadio.check();
    await screenshot(page, 'agent-case-phones');

    await page.getByRole('button', { name: 'Falsche Nummer' }).click();
    await page.getByText(NEXT_HINT).waitFor();
    const posted = page.waitForRequest((r) => r.url().endsWith('/outcome'));
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    expect((await posted).postDataJSON()).toMatchObject({ outcome: 'wrong_number', phone: landline[0] });
    await page.getByText('Ergebnis gespeichert: Falsche Nummer – Erika Mustermann').waitFor();
    await attemptsRecorded(t, caseId, 1);

    // Back at once with the mobile as the current number; the landline struck through.
    await pullCase(page);
    expect(await page.getByTestId('attempt').textContent()).toBe('Versuch 2 von 3');
    expect(await current.textContent()).toBe('Mobil zuerst wählen');
    expect(await page.getByTestId('phone').textContent()).toBe('+49 170 1234567');
    expect(await others.count()).toBe(1);
    expect(await others.textContent()).toBe(`Telefon+49 721 1234567 falsch${landline[1]}`);
    expect(await others.locator('s').textContent()).toBe('+49 721 1234567');
    expect(await others.getByRole('link').count()).toBe(0);
    expect(await page.getByTestId('history-phone').allTextContents()).toEqual(['+49 721 1234567']);
    expect(await page.locator('.history thead th').allTextContents()).toContain('Nummer');
    // One number left: nothing to choose, and "Falsche Nummer" would close the case.
    expect(await page.getByRole('group', { name: 'Gewählte Nummer' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Falsche Nummer' }).click();
    await page.getByText(LAST_HINT).waitFor();
    await screenshot(page, 'agent-case-phones-wrong');

    await page.getByRole('button', { name: 'Erledigt – bezahlt' }).click();
    await page.getByLabel('Richtige Person erreicht: ja').check();
    expect(await page.getByText(LAST_HINT).count()).toBe(0);
    const paid = page.waitForRequest((r) => r.url().endsWith('/outcome'));
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    expect((await paid).postDataJSON()).not.toHaveProperty('phone');
    await page.getByText('Ergebnis gespeichert: Erledigt – bezahlt – Erika Mustermann').waitFor();
    await attemptsRecorded(t, caseId, 2);

    const stored = await t.db.select().from(attempts).where(eq(attempts.caseId, caseId)).orderBy(asc(attempts.attemptNo));
    expect(stored.map((a) => [a.outcome, a.phoneE164])).toEqual([
      ['wrong_number', landline[0]],
      ['paid', mobile[0]],
    ]);
    const [c] = await t.db.select().from(cases).where(eq(cases.id, caseId));
    expect(c!.status).toBe('closed');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows a number on the do-not-call list as "gesperrt", without a link, and dials the other', async () => {
    const landline = ['+497219876543', '0721 9876543'] as [string, string];
    const mobile = ['+491709876543', '0170 9876543'] as [string, string];
    const { clientId } = await caseWithTwoNumbers(landline, mobile);
    const patched = await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { doNotCall: [landline[0]] } });
    expect(patched.status).toBe(200);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await pullCase(page);

    expect(await page.locator('.fact-phone .fact-label').textContent()).toBe('Mobil zuerst wählen');
    expect(await page.getByTestId('phone').textContent()).toBe('+49 170 9876543');
    const blocked = page.getByTestId('other-phones').getByRole('listitem');
    expect(await blocked.textContent()).toBe(`Telefon+49 721 9876543 gesperrt${landline[1]}`);
    expect(await blocked.getByRole('link').count()).toBe(0);
    expect(await page.getByRole('group', { name: 'Gewählte Nummer' }).count()).toBe(0);
    await screenshot(page, 'agent-case-phones-blocked');
    expect(errors).toEqual([]);
  });

  it('shows a Swiss second number so that a German desk phone dials Switzerland: international first, the list\'s writing after it', async () => {
    const landline = ['+497215554433', '0721 5554433'] as [string, string];
    const swiss = ['+41795551234', '079 555 12 34'] as [string, string];
    const { clientId } = await caseWithTwoNumbers(landline, swiss);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await withoutDialer(page);
    await pullCase(page);

    const other = page.getByTestId('other-phones').getByRole('listitem');
    const link = other.getByRole('link');
    expect(await link.textContent()).toBe('+41 79 555 12 34');
    expect(decodeURIComponent((await link.getAttribute('href'))!)).toBe(`tel:${swiss[0]}`);
    expect(await other.locator('.phone-listed').textContent()).toBe(swiss[1]);
    const choice = page.getByRole('group', { name: 'Gewählte Nummer' });
    expect(await choice.locator('.phone-number').allTextContents()).toEqual(['+49 721 5554433', '+41 79 555 12 34']);
    await choice.getByRole('radio', { name: `Mobil +41 79 555 12 34 (${swiss[1]})`, exact: true }).check();
    await screenshot(page, 'agent-case-phones-swiss');

    // Wrong: it comes back struck through, international as well; so does the history.
    await page.getByRole('button', { name: 'Falsche Nummer' }).click();
    const posted = page.waitForRequest((r) => r.url().endsWith('/outcome'));
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    expect((await posted).postDataJSON()).toMatchObject({ outcome: 'wrong_number', phone: swiss[0] });
    await page.getByText('Ergebnis gespeichert: Falsche Nummer').waitFor();
    await pullCase(page);
    expect(await other.locator('s').textContent()).toBe('+41 79 555 12 34');
    expect(await page.getByTestId('history-phone').allTextContents()).toEqual(['+41 79 555 12 34']);
    expect(errors).toEqual([]);
  });

  it('shown outside the times the customer may be called, its numbers stop dialling and the agent is told', async () => {
    const landline = ['+497215556667', '0721 5556667'] as [string, string];
    const mobile = ['+491705556667', '0170 5556667'] as [string, string];
    const { clientId, caseId } = await caseWithTwoNumbers(landline, mobile);
    const { user } = await t.userSession('agent', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await withoutDialer(page);
    await pullCase(page);
    expect(await page.getByTestId('phone').getAttribute('href')).toBe(`tel:${landline[0]}`);

    // The customer now says: only in two hours' time (a window that cannot hold the present moment).
    const hour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Berlin' }).format(new Date()));
    const window = hour < 12 ? { from: '14:00', to: '16:00' } : { from: '08:00', to: '10:00' };
    await t.db.update(cases).set({ preferredWindows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], ...window }] }).where(eq(cases.id, caseId));
    await page.reload();
    await pullCase(page); // the held case again
    await page.getByTestId('dial-status').getByText('Dieser Kunde darf jetzt nicht mehr angerufen werden').waitFor();
    expect(await page.getByTestId('phone').getAttribute('href')).toBeNull();
    expect(await page.getByTestId('other-phones').getByRole('link').count()).toBe(0);
    // Recording the outcome still works.
    await page.getByRole('button', { name: 'Kunde nicht erreicht' }).click();
    await page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await page.getByText('Ergebnis gespeichert: Kunde nicht erreicht').waitFor();
    expect(errors).toEqual([]);
  });
});
