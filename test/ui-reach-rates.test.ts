import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { attempts, cases } from '../src/db/schema.js';
import { refreshReachRates } from '../src/reach/refresh-reach-rates.js';
import { loginAs, screenshot, useUiContext } from './helpers/browser.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/** Best time to call in the browser: the lead's heat map and the agent's "why now". */

const ctx = useUiContext();
/** The last Monday before today, at `hh:mm` Berlin time (within the learning period). */
const lastMonday = (hh: number, mm = 0) => {
  const today = DateTime.now().setZone('Europe/Berlin').startOf('day');
  return today.minus({ days: ((today.weekday + 6) % 7) + 7 }).set({ hour: hh, minute: mm }).toJSDate();
};

async function seedAttempts(clientId: string, list: Array<{ at: Date; outcome: string; rightParty?: boolean }>) {
  const { cases: rows } = await seedList(ctx.t, clientId, list.length);
  await ctx.t.db.insert(attempts).values(list.map((a, i) => ({ caseId: rows[i]!.id, clientId, attemptNo: 1, outcome: a.outcome, rightParty: a.rightParty ?? null, recordedAt: a.at })));
}

describe('best time to call in the UI', () => {
  it("shows the lead a weekday × window heat map of the client's reach, with the counts behind each cell", async () => {
    const clientId = await createClient(ctx.t, ctx.admin, { code: 'SWM', name: 'Stadtwerke Muster', retryStrategy: 'learned' });
    const n = (k: number, at: Date, outcome: string, rightParty?: boolean) => Array.from({ length: k }, () => ({ at, outcome, rightParty }));
    await seedAttempts(clientId, [
      ...n(4, lastMonday(18), 'paid', true),
      ...n(2, lastMonday(18, 30), 'callback', false),
      ...n(4, lastMonday(19), 'not_reached'),
      ...n(1, lastMonday(9), 'paid', true),
      ...n(9, lastMonday(9, 30), 'not_reached'),
    ]);
    await refreshReachRates(ctx.t.db, new Date());

    const { user } = await ctx.t.userSession('lead', [clientId]);
    const { page, errors } = await ctx.ui.newPage();
    await loginAs(page, user.username);
    await page.locator('section.client', { hasText: 'Stadtwerke Muster' }).getByRole('link', { name: 'Einstellungen' }).click();
    const map = page.getByTestId('reach-heatmap');
    await map.waitFor();

    const cells = map.getByTestId('reach-cell');
    expect(await cells.count()).toBe(8); // Mo–Fr and Sa/So × four windows
    const evening = map.locator('[data-day-type="weekday"][data-window="evening"]');
    expect(await evening.getAttribute('data-attempts')).toBe('10');
    expect(await evening.getAttribute('data-reached')).toBe('6');
    expect(await evening.locator('.reach-count').textContent()).toBe('6/10 · RP 4');
    const morning = map.locator('[data-day-type="weekday"][data-window="morning"]');
    expect(await morning.locator('.reach-count').textContent()).toBe('1/10 · RP 1');
    // The client's rate, 7 of 20, shrunk towards all clients' — here the same 35 % (the only client with attempts).
    // Evening (6 + 20·0.35) / 30 = 43 %, morning (1 + 7) / 30 = 27 %, no data: 35 %.
    expect(await evening.locator('.reach-rate').textContent()).toBe('43 %');
    expect(await morning.locator('.reach-rate').textContent()).toBe('27 %');
    expect(await map.locator('[data-day-type="weekend"][data-window="midday"] .reach-rate').textContent()).toBe('35 %');
    // Saturday's calls end at 14:00, none on Sunday: no retry goes to a weekend afternoon or evening.
    for (const window of ['afternoon', 'evening']) {
      const cell = map.locator(`[data-day-type="weekend"][data-window="${window}"]`);
      expect([await cell.getAttribute('data-callable'), await cell.locator('.reach-count').textContent()]).toEqual(['false', 'keine Anrufzeit']);
    }
    // Darker is better: the evening cell is filled darker than the morning cell.
    const lightness = async (cell: typeof evening) => Number(/(\d+)%\)$/.exec((await cell.locator('rect').getAttribute('fill'))!)![1]);
    expect(await lightness(evening)).toBeLessThan(await lightness(morning));
    expect(await map.getAttribute('aria-label')).toBe('Erreichbarkeit je Wochentag und Zeitfenster; am besten Mo–Fr Abend mit 43 %');
    expect(await page.getByTestId('reach-summary').textContent()).toContain('Nach „nicht erreicht“: gelernt (fest eingestellt). 20 Versuche der letzten 90 Tage');
    await screenshot(page, 'lead-reach-heatmap');
    expect(errors).toEqual([]);
  });

  it('tells the agent why a learned retry is now', async () => {
    const clientId = await createClient(ctx.t, ctx.admin, { ...fastRules, windows: { morning: ['08:00', '12:00'], midday: ['12:00', '14:00'], evening: ['17:00', '20:00'] } });
    const { cases: [c] } = await seedList(ctx.t, clientId, 1);
    // As the outcomes worker stores it after a learned retry (test/reach-rates.test.ts).
    await ctx.t.db
      .update(cases)
      .set({ retryChoice: { basis: 'rates', window: 'evening', dayType: 'weekday', rate: 0.41, others: [{ window: 'midday', rate: 0.18 }, { window: 'morning', rate: 0.12 }] } })
      .where(eq(cases.id, c!.id));
    const { user } = await ctx.t.userSession('agent', [clientId]);
    const { page, errors } = await ctx.ui.newPage();
    await loginAs(page, user.username);
    await page.getByRole('button', { name: 'Nächster Anruf' }).click();
    const why = page.getByTestId('retry-choice');
    await why.waitFor();
    expect(await why.textContent()).toBe('Warum jetzt: Abend: hier erreicht 41 % der Kunden, Mittag 18 %, Vormittag 12 %');
    await screenshot(page, 'agent-retry-choice');
    expect(errors).toEqual([]);
  });
});
