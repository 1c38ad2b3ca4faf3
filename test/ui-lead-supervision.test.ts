import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, attempts, dunningLists } from '../src/db/schema.js';
import { loginAs, screenshot, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let ui: Awaited<ReturnType<typeof startUi>>;
let admin: string;

beforeAll(async () => {
  // A short lock, so the agent's heartbeat (every LOCK_SECONDS/3) is seen within the test.
  t = await createTestContext({ LOCK_SECONDS: '9' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
});

const statusOf = async (listId: string) => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]!.status;

describe('a lead pauses one list', () => {
  it('from its page (asked first): its cases wait, said so; resumed, they are callable again', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, name: 'Stadtwerke Muster' });
    const { listId } = await seedList(t, clientId, 3);
    const leadUser = (await t.userSession('lead', [clientId])).user;
    const lead = await ui.newPage({ acceptDialogs: true });
    await loginAs(lead.page, leadUser.username);
    await lead.page.goto(`/#/liste/${listId}`);
    await lead.page.getByText('Jetzt anrufbar').waitFor();
    await lead.page.getByRole('button', { name: 'Liste pausieren' }).click();
    await lead.page.getByText('Liste pausiert. Die Fälle der Liste werden nicht mehr ausgegeben.').waitFor();
    await lead.page.getByText('Die Liste ist pausiert: ihre Fälle werden nicht ausgegeben, bis die Liste fortgesetzt wird').waitFor();
    expect(await lead.page.getByTestId('list-status').textContent()).toBe('pausiert');
    await lead.page.getByText(/ · pausiert seit \S+, \d\d\.\d\d\.\d{4}, \d\d:\d\d/).waitFor();
    await lead.page.getByText('Fällig, Liste pausiert').waitFor();
    await screenshot(lead.page, 'list-paused');
    // The overview says since when, too: a paused list is never finished by itself.
    await lead.page.getByRole('link', { name: '← Alle Listen' }).click();
    await lead.page.locator(`tr[data-list-id="${listId}"]`).getByText(/^seit \S+, \d\d\.\d\d\.\d{4}, \d\d:\d\d/).waitFor();
    await lead.page.goto(`/#/liste/${listId}`);
    expect(await statusOf(listId)).toBe('paused');

    await lead.page.getByRole('button', { name: 'Liste fortsetzen' }).click();
    await lead.page.getByText('Liste fortgesetzt. Die Fälle der Liste werden wieder ausgegeben.').waitFor();
    await lead.page.getByText('Jetzt anrufbar').waitFor();
    expect(await lead.page.getByTestId('list-status').textContent()).toBe('aktiv');
    expect(lead.dialogs).toEqual([expect.stringMatching(/^confirm: Liste pausieren\?/), expect.stringMatching(/^confirm: Liste fortsetzen\?/)]);
    expect(await statusOf(listId)).toBe('active');
    expect(lead.errors).toEqual([]);
  }, 60_000);
});

describe('a list paused for days', () => {
  it('warns on its page and in the overview that it will never finish by itself; one paused two days does not', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, name: 'Stadtwerke Muster' });
    const { listId: forgotten } = await seedList(t, clientId, 1);
    const { listId: recent } = await seedList(t, clientId, 1);
    const leadUser = (await t.userSession('lead', [clientId]));
    for (const [listId, days] of [[forgotten, 4], [recent, 2]] as const) {
      expect((await t.request('POST', `/api/lists/${listId}/pause`, { cookie: leadUser.cookie })).status).toBe(200);
      await t.db.update(dunningLists).set({ pausedAt: new Date(Date.now() - days * 24 * 3600 * 1000 - 60_000) }).where(eq(dunningLists.id, listId));
    }
    const lead = await ui.newPage();
    await loginAs(lead.page, leadUser.user.username);
    await lead.page.goto(`/#/liste/${forgotten}`);
    await lead.page.getByText('Diese Liste ist seit 4 Tagen pausiert. Solange sie pausiert ist, wird sie nicht zu Ende telefoniert: Der Mandant erhält keine Ergebnisliste').waitFor();
    await lead.page.getByText('Fällig, Liste pausiert').waitFor();
    await screenshot(lead.page, 'list-paused-long');
    await lead.page.goto(`/#/liste/${recent}`);
    await lead.page.getByText(/ · pausiert seit /).waitFor();
    expect(await lead.page.getByText(/Diese Liste ist seit \d+ Tagen pausiert/).count()).toBe(0);

    await lead.page.goto('/#/listen');
    await lead.page.locator(`tr[data-list-id="${forgotten}"]`).getByTestId('paused-long').getByText(/^seit .* \(4 Tage\): bitte fortsetzen oder abbrechen$/).waitFor();
    await lead.page.locator(`tr[data-list-id="${recent}"]`).getByText(/^seit /).waitFor();
    expect(await lead.page.locator(`tr[data-list-id="${recent}"]`).getByTestId('paused-long').count()).toBe(0);
    expect(lead.errors).toEqual([]);
  }, 60_000);
});

describe('a lead frees a case an agent holds', () => {
  it('from the list page (asked first); the agent is told at the heartbeat, keeps the form and can still save', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, name: 'Stadtwerke Muster', retryDelaySeconds: 3600 });
    const { listId, cases: [seeded] } = await seedList(t, clientId, 1);
    const agentUser = (await t.userSession('agent', [clientId])).user;
    const agent = await ui.newPage();
    await loginAs(agent.page, agentUser.username);
    await agent.page.getByRole('button', { name: 'Nächster Anruf' }).click();
    await agent.page.getByTestId('case-name').waitFor();

    const leadUser = (await t.userSession('lead', [clientId])).user;
    const lead = await ui.newPage({ acceptDialogs: true });
    await loginAs(lead.page, leadUser.username);
    await lead.page.goto(`/#/liste/${listId}`);
    const row = lead.page.getByRole('row', { name: new RegExp(agentUser.displayName) });
    await row.getByRole('button', { name: 'Freigeben' }).click();
    await lead.page.getByText(`Fall von ${agentUser.displayName} freigegeben; er ist wieder in der Warteschlange.`).waitFor();
    expect(lead.dialogs).toEqual([expect.stringMatching(new RegExp(`^confirm: Fall von ${agentUser.displayName} freigeben\\?`))]);
    await lead.page.getByText('Niemand.').waitFor();
    const [ended] = await t.db.select().from(assignments).where(eq(assignments.caseId, seeded!.id));
    expect(ended!.endReason).toBe('freed');

    await agent.page.getByText('Ihre Teamleitung hat diesen Fall freigegeben – er ist wieder in der Warteschlange.').waitFor({ timeout: 15_000 });
    await agent.page.getByText('Von Ihrer Teamleitung freigegeben').waitFor();
    expect(await agent.page.getByTestId('phone').getAttribute('aria-disabled')).toBe('true');
    // The call happened after all: its outcome counts while nobody took the case.
    await agent.page.getByRole('button', { name: 'Kunde nicht erreicht' }).click();
    await agent.page.getByRole('button', { name: 'Ergebnis speichern' }).click();
    await agent.page.getByText(/^Ergebnis gespeichert: /).waitFor();
    await attemptsRecorded(t, seeded!.id, 1);
    expect((await t.db.select().from(attempts).where(eq(attempts.caseId, seeded!.id)))[0]).toMatchObject({ agentId: agentUser.id, outcome: 'not_reached' });
    expect([...agent.errors, ...lead.errors]).toEqual([]);
  }, 60_000);
});

describe('the team view', () => {
  it('shows the agent in a call with the list and today\'s figures, and frees the case from there', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, name: 'Teamwerke' });
    const { listId } = await seedList(t, clientId, 2);
    const agent = await t.userSession('agent', [clientId]);
    const first = await t.request('POST', '/api/agent/next', { cookie: agent.cookie });
    expect((await t.request('POST', `/api/agent/assignments/${first.body.assignment.id}/outcome`, { cookie: agent.cookie, body: { outcome: 'not_reached' } })).status).toBe(202);
    await attemptsRecorded(t, first.body.case.id, 1);
    const held = await t.request('POST', '/api/agent/next', { cookie: agent.cookie });
    expect(held.body.case.listId).toBe(listId);
    const leadUser = (await t.userSession('lead', [clientId])).user;
    const lead = await ui.newPage({ acceptDialogs: true });
    await loginAs(lead.page, leadUser.username);
    await lead.page.getByRole('link', { name: 'Team', exact: true }).click();
    const row = lead.page.getByTestId('team').getByRole('row', { name: new RegExp(agent.user.displayName) });
    await row.getByText('Im Gespräch').waitFor();
    await row.getByRole('link', { name: 'Teamwerke · Testliste' }).waitFor();
    // One attempt today, nobody reached, no promise.
    expect(await row.getByRole('cell').allTextContents()).toEqual([agent.user.displayName, expect.stringMatching(/^Im Gespräch seit \d\d:\d\d(:\d\d)?$/), 'Teamwerke · Testliste', '1', '0', '0', expect.stringMatching(/^\d\d:\d\d(:\d\d)?$/), 'Freigeben']);
    await screenshot(lead.page, 'team-view');
    // Held for over 15 minutes: marked (a long call, or an agent gone with the case on screen).
    await t.db.update(assignments).set({ assignedAt: new Date(Date.now() - 20 * 60_000) }).where(eq(assignments.id, held.body.assignment.id));
    await row.getByText(/– über 15 Min\.$/).waitFor();
    expect(await row.locator('.badge').getAttribute('class')).toContain('badge-warning');
    await row.getByRole('button', { name: 'Freigeben' }).click();
    await lead.page.getByText(`Fall von ${agent.user.displayName} freigegeben; er ist wieder in der Warteschlange.`).waitFor();
    await row.getByText('Anwesend').waitFor();
    const [ended] = await t.db.select().from(assignments).where(eq(assignments.id, held.body.assignment.id));
    expect(ended!.endReason).toBe('freed');
    expect(lead.errors).toEqual([]);
  }, 60_000);
});
