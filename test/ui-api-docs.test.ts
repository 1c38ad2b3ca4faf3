import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';

/** /api/docs in a real browser: Swagger UI works under the page's CSP, from our origin alone. */
let t: TestContext;
let ui: Awaited<ReturnType<typeof startUi>>;
beforeAll(async () => {
  t = await createTestContext();
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
});

describe('API docs in the browser', () => {
  it('renders every operation with no CSP violation and no request to another origin', async () => {
    const context = await ui.browser.newContext({ baseURL: ui.baseUrl });
    const page = await context.newPage();
    const violations: string[] = [];
    const foreign: string[] = [];
    const errors: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(`${ui.baseUrl}/`) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    // Playwright's init scripts are not subject to the page's CSP; this one only listens.
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI));",
    });
    await page.goto('/api/docs');
    await page.getByText('Mahnanrufe API').first().waitFor();
    await page.locator('.opblock-summary-path', { hasText: '/api/agent/next' }).first().waitFor();
    // Open one operation, so its parameters, schemas and icons render too.
    await page.locator('.opblock-summary', { hasText: '/api/session' }).first().click();
    await page.getByText('Request body').first().waitFor();
    await screenshot(page, 'api-docs');
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    expect(violations).toEqual([]);
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
