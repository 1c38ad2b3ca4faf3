import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, screenshot, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { seedLeFixture, type LeFixture } from './helpers/le-seed.js';

let t: TestContext;
let ui: Awaited<ReturnType<typeof startUi>>;
let f: LeFixture;

beforeAll(async () => {
  t = await createTestContext();
  f = await seedLeFixture(t, (await t.userSession('admin')).cookie);
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
});

/** Intl writes a no-break space before the euro sign. */
const plain = (texts: string[]) => texts.map((s) => s.replace(/\u00a0/g, ' '));
const poll = { timeout: 10_000 };

describe('LE report screen', () => {
  it('shows a lead the counts of their client and downloads the same as .xlsx', async () => {
    const { user } = await t.userSession('lead', [f.swm]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.getByRole('link', { name: 'LE-Bericht' }).click();
    await page.getByRole('heading', { name: 'LE-Bericht' }).waitFor();

    await page.getByLabel('Von').fill('2026-11-01');
    await page.getByLabel('Bis').fill('2026-11-30');
    await page.getByLabel('Mandant').selectOption({ label: 'Stadtwerke Muster (SWM)' });
    await page.getByRole('button', { name: 'Anzeigen' }).click();

    // Columns: Versuche (LE), Erreicht, Richtige Person, Zusagen, Zusagen Summe, then the outcomes
    // that occur: bezahlt, Zahlungszusage, nicht erreicht, Später anrufen, Mailbox, legacy_code.
    const swm = page.locator('section[data-client="SWM"]');
    const cells = (row: string) => swm.getByRole('row', { name: row }).getByRole('cell').allTextContents();
    await expect.poll(async () => plain(await cells('Mo., 02.11.2026')), poll).toEqual(['2', '2', '2', '1', '123,45 €', '1', '1', '0', '0', '0', '0']);
    expect(plain(await cells('Di., 03.11.2026'))).toEqual(['3', '1', '0', '0', '–', '0', '0', '0', '1', '1', '1']);
    expect(plain(await cells('Summe'))).toEqual(['7', '4', '3', '2', '173,45 €', '1', '2', '1', '1', '1', '1']);
    expect(await page.locator('section[data-client]').count()).toBe(1); // EVL is not theirs
    await screenshot(page, 'lead-le-report');

    const link = page.getByRole('link', { name: 'Als Excel herunterladen (.xlsx)' });
    expect(await link.getAttribute('href')).toBe(`/api/reports/le.xlsx?from=2026-11-01&to=2026-11-30&groupBy=day&clientId=${f.swm}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('LE-Bericht_SWM_2026-11-01_2026-11-30.xlsx');
    const body = await readFile((await download.path())!);
    expect(body.subarray(0, 2).toString()).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['SWM']);

    await page.getByLabel('Gruppierung').selectOption('agent');
    await expect.poll(async () => plain(await cells('Anna Schmidt (anna)')), poll).toEqual(['3', '2', '1', '0', '–', '1', '0', '1', '1', '0', '0']);
    expect(await link.getAttribute('href')).toContain('groupBy=agent');
    expect(errors).toEqual([]);
  });

  it('says in German what is wrong with the period', async () => {
    const { user } = await t.userSession('lead', [f.swm]);
    const { page } = await ui.newPage();
    await loginAs(page, user.username);
    await page.goto('/#/le');
    await page.getByLabel('Von').fill('2026-12-01');
    await page.getByLabel('Bis').fill('2026-11-30');
    await page.getByRole('alert').getByText('„Von“ liegt nach „Bis“.').waitFor();
    expect(await page.getByRole('link', { name: 'Als Excel herunterladen (.xlsx)' }).count()).toBe(0);
  });
});
