import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { dials } from '../src/db/schema.js';
import { DIAL_REPEAT_MS } from '../src/dial/dial-record.js';
import { loginAs, pullCase, screenshot, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { startPhoneSystem } from './helpers/phone-system.js';
import { seedList } from './helpers/seed.js';

/**
 * In the browser: the agent's phone button dials through the phone system (CTI_MODE=http, a real
 * local server standing in for it), the card names a language the agent does not speak, and
 * the lead's list page says which language cases wait for.
 */
let pbx: Awaited<ReturnType<typeof startPhoneSystem>>;
let t: TestContext;
let ui: Awaited<ReturnType<typeof startUi>>;
let admin: string;

beforeAll(async () => {
  pbx = await startPhoneSystem();
  t = await createTestContext(
    { CTI_MODE: 'http', CTI_HTTP_URL: `${pbx.url}/dial`, CTI_HTTP_HEADERS: '{"Content-Type":"application/json"}', CTI_HTTP_BODY: '{"from":"{extension}","to":"{e164}"}', CTI_TIMEOUT_MS: '1000' },
    { clock: systemClock },
  );
  admin = (await t.userSession('admin')).cookie;
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
  await pbx?.close();
});

describe('agent screen with click-to-dial', () => {
  it('dials through the phone system, says so, and shows its refusal in German while the case stays', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, languageRouting: 'off' });
    await seedList(t, clientId, [{ name: 'Jeanne Dubois', language: 'fr', country: 'CH', postalCode: '1204', phoneE164: '+41223102222' }]);
    const { user } = await t.userSession('agent', [clientId], { languages: ['de'], extension: '221' });
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await pullCase(page);
    expect(await page.getByTestId('language-note').textContent()).toBe('Kunde spricht vermutlich Französisch');
    expect(await page.getByTestId('case-language').textContent()).toBe('Französisch');

    pbx.answerWith(() => ({ status: 200 }));
    const before = pbx.seen.length;
    await page.getByTestId('phone').click();
    await page.getByTestId('dial-status').getByText('Ihr Telefon klingelt gleich').waitFor();
    expect(pbx.seen.slice(before)).toMatchObject([{ method: 'POST', url: '/dial', body: '{"from":"221","to":"+41223102222"}' }]);
    await screenshot(page, 'agent-dial');

    // A second click at once does not ask the phone system again.
    await page.getByTestId('phone').click();
    await page.getByTestId('dial-status').getByText('Die Telefonanlage hat eben angerufen – Ihr Telefon klingelt gleich.').waitFor();
    expect(pbx.seen.length).toBe(before + 1);

    // Seconds later: asked again, and its refusal shown.
    await t.db.update(dials).set({ at: new Date(Date.now() - DIAL_REPEAT_MS - 1_000) }).where(eq(dials.agentId, user.id));
    pbx.answerWith(() => ({ status: 503 }));
    await page.getByTestId('phone').click();
    await page.getByTestId('dial-status').getByText(/Telefonanlage hat den Anruf abgelehnt \(Antwort 503\)/).waitFor();
    expect(await page.getByTestId('case-name').textContent()).toBe('Jeanne Dubois');
    expect(errors).toEqual([]);
  });
});

describe('lead list page', () => {
  it('says prominently which language cases wait for when no active agent speaks it', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, languageRouting: 'strict' });
    const { listId } = await seedList(t, clientId, [
      { language: 'fr', country: 'CH', postalCode: '1204', phoneE164: '+41223102222' },
      { language: 'fr', country: 'CH', postalCode: '1204', phoneE164: '+41223102223' },
      { language: 'de' },
    ]);
    // A German agent at work (asked for a case): German is covered, French is not.
    const german = await t.userSession('agent', [clientId], { languages: ['de'] });
    expect((await t.request('POST', '/api/agent/next', { cookie: german.cookie })).status).toBe(200);
    const { user } = await t.userSession('lead', [clientId]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, user.username);
    await page.goto(`/#/liste/${listId}`);
    const gaps = page.getByTestId('language-gaps');
    await gaps.waitFor();
    expect((await gaps.textContent())?.trim()).toBe('2 Fälle warten auf Französisch – kein aktiver Mitarbeiter spricht Französisch; niemand sonst bekommt sie.');
    await screenshot(page, 'lead-language-gaps');
    expect(errors).toEqual([]);
  });
});
